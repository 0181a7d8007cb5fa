package dev.scopedtokens.server.jwt;

/**
 * The JWS algorithms a registry token may be signed with. Registries built on the CNCF distribution
 * code (2.8 and 3.x) accept both; ES256 is the default: its keys and signatures are small and
 * signing is fast.
 */
public enum JwtAlgorithm {
  /**
   * ECDSA on P-256 with SHA-256. The signature is the raw {@code r‖s}, each padded to 32 bytes (the
   * JWS form, RFC 7518 §3.4), never the DER form that registries refuse.
   */
  ES256("SHA256withECDSA"),
  /** RSASSA-PKCS1-v1_5 with SHA-256, for keys of at least 2048 bits. */
  RS256("SHA256withRSA");

  private final String certificateSignature;

  JwtAlgorithm(String certificateSignature) {
    this.certificateSignature = certificateSignature;
  }

  /** The JCA signature algorithm for an X.509 certificate: the DER form for ECDSA. */
  String certificateSignature() {
    return certificateSignature;
  }
}
