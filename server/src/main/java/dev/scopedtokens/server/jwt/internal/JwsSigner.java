package dev.scopedtokens.server.jwt.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes and signs compact JWS: the one place in the server that encodes a JOSE header and claims
 * and signs them. The header is {@code {"alg", "typ": "JWT"}} followed by the extra members the
 * caller names (a {@code kid} or an {@code x5c}); it is written once, when the signer is made.
 * Thread-safe.
 *
 * <pre>{@code
 * JwsSigner signer = JwsSigner.of(JwtAlgorithm.ES256, keyPair.getPrivate(), Map.of());
 * String jwt = signer.sign(Map.of("sub", "alice", "exp", 1767225600L));
 * }</pre>
 */
public final class JwsSigner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JwtAlgorithm algorithm;
  private final PrivateKey key;
  private final String header;

  private JwsSigner(JwtAlgorithm algorithm, PrivateKey key, String header) {
    this.algorithm = algorithm;
    this.key = key;
    this.header = header;
  }

  /**
   * A signer with {@code key} for {@code algorithm}, whose header carries {@code extraHeader}'s
   * members after {@code alg} and {@code typ}, in its iteration order.
   *
   * @throws IllegalArgumentException if the key does not fit the algorithm (ES256: a P-256 EC key;
   *     RS256: an RSA key of at least 2048 bits), or the extra members name {@code alg} or {@code
   *     typ} or cannot be written as JSON
   */
  public static JwsSigner of(JwtAlgorithm algorithm, PrivateKey key, Map<String, ?> extraHeader) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(extraHeader, "extraHeader");
    if (!Jws.algorithmOf(key).equals(java.util.Optional.of(algorithm))) {
      throw new IllegalArgumentException(
          "key: "
              + algorithm
              + " signs with "
              + (algorithm == JwtAlgorithm.ES256
                  ? "a P-256 EC key"
                  : "an RSA key of at least " + Jws.MIN_RSA_BITS + " bits"));
    }
    if (extraHeader.containsKey("alg") || extraHeader.containsKey("typ")) {
      throw new IllegalArgumentException("extraHeader: alg and typ are the signer's to write");
    }
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", algorithm.name());
    header.put("typ", "JWT");
    header.putAll(extraHeader);
    return new JwsSigner(algorithm, key, Jws.B64URL.encodeToString(json(header, "extraHeader")));
  }

  /** The algorithm this signer writes in {@code alg} and signs with. */
  public JwtAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Signs {@code claims}.
   *
   * @param claims claim names to JSON-serialisable values (strings, numbers, lists, maps), written
   *     in the map's iteration order
   * @return the compact JWS: header, claims and signature, each base64url without padding
   * @throws IllegalArgumentException if a claim value cannot be written as JSON
   */
  public String sign(Map<String, ?> claims) {
    Objects.requireNonNull(claims, "claims");
    String signingInput = header + "." + Jws.B64URL.encodeToString(json(claims, "claims"));
    byte[] signature;
    try {
      Signature signer = Signature.getInstance(Jws.jcaSignature(algorithm));
      signer.initSign(key);
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      // The key was checked against the algorithm when the signer was made.
      throw new IllegalStateException("the JDK failed to sign with a " + algorithm + " key", e);
    }
    return signingInput + "." + Jws.B64URL.encodeToString(signature);
  }

  private static byte[] json(Map<String, ?> members, String what) {
    try {
      return JSON.writeValueAsBytes(members);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + ": a value cannot be written as JSON", e);
    }
  }

  /** The algorithm; never the key. */
  @Override
  public String toString() {
    return "JwsSigner[" + algorithm + ", key redacted]";
  }
}
