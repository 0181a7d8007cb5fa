package dev.scopedtokens.server.jwt.internal;

import dev.scopedtokens.server.jwt.JwtAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * What the signer and the verifier share: which JCA signature each {@link JwtAlgorithm} is, which
 * keys fit it, and the base64url alphabet of the compact form.
 */
public final class Jws {
  /** The smallest RSA modulus RS256 accepts, as RFC 7518 §3.3 requires. */
  public static final int MIN_RSA_BITS = 2048;

  static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

  private static final ECParameterSpec P256 = p256();

  private Jws() {}

  /**
   * The JCA signature algorithm of a JWS: for ECDSA the raw {@code r‖s} form (RFC 7518 §3.4) that
   * registries demand, never the DER form.
   */
  public static String jcaSignature(JwtAlgorithm algorithm) {
    return switch (Objects.requireNonNull(algorithm, "algorithm")) {
      case ES256 -> "SHA256withECDSAinP1363Format";
      case RS256 -> "SHA256withRSA";
    };
  }

  /**
   * The algorithm a private or public key signs or verifies: ES256 for a P-256 EC key, RS256 for an
   * RSA key of at least {@value #MIN_RSA_BITS} bits; empty for any other key.
   */
  public static Optional<JwtAlgorithm> algorithmOf(Key key) {
    Objects.requireNonNull(key, "key");
    if (key instanceof ECKey ec && isP256(ec.getParams())) {
      return Optional.of(JwtAlgorithm.ES256);
    }
    if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() >= MIN_RSA_BITS) {
      return Optional.of(JwtAlgorithm.RS256);
    }
    return Optional.empty();
  }

  /**
   * Whether {@code publicKey} is the other half of {@code privateKey}, both fit for {@code
   * algorithm}: a probe is signed with the one and verified with the other.
   */
  public static boolean arePair(
      JwtAlgorithm algorithm, PrivateKey privateKey, PublicKey publicKey) {
    Optional<JwtAlgorithm> expected = Optional.of(algorithm);
    if (!algorithmOf(privateKey).equals(expected) || !algorithmOf(publicKey).equals(expected)) {
      return false;
    }
    try {
      byte[] probe = "scopedtokens key pair probe".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(jcaSignature(algorithm));
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(jcaSignature(algorithm));
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean isP256(ECParameterSpec params) {
    return params.getCurve().equals(P256.getCurve())
        && params.getGenerator().equals(P256.getGenerator())
        && params.getOrder().equals(P256.getOrder());
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
