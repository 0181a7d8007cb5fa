package dev.scopedtokens.server.jwt;

/**
 * How a registry token tells the registry which key signed it. A registry built on the CNCF
 * distribution code tries the header's {@code x5c}, then {@code jwk}, then {@code kid}; what a
 * {@code kid} must hold differs between registry 2.8 and 3.x, so the mode is chosen to match the
 * registry.
 */
public enum KeyIdMode {
  /**
   * The signing key's certificate chain in {@code x5c} (standard base64 DER, leaf first), chaining
   * to the registry's {@code rootcertbundle}. Works on registry 2.8 and 3.x; the default.
   */
  X5C,
  /**
   * A {@code kid} holding the libtrust fingerprint of the key, which registry 2.8 matches against
   * the keys of its {@code rootcertbundle}. Registry 3.x no longer accepts it.
   */
  LIBTRUST_FINGERPRINT,
  /**
   * A {@code kid} holding the JWK thumbprint as distribution 3.1 computes it for the keys of its
   * {@code rootcertbundle}: RFC 7638, except that EC coordinates are not padded to the curve size
   * (so for about 0.7% of P-256 keys it differs from a standard thumbprint).
   */
  DISTRIBUTION_THUMBPRINT,
  /**
   * A {@code kid} naming the key in a JWKS document (registry 3.x's {@code jwks} option), which the
   * registry uses as given: the key's {@linkplain SigningKey#withKeyId chosen id}, or its RFC 7638
   * thumbprint when none was chosen.
   */
  JWKS
}
