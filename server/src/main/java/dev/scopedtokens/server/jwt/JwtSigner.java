package dev.scopedtokens.server.jwt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs JWTs as compact JWS with the JDK alone: ES256 with the raw {@code r‖s} signature that
 * registries demand, or RS256. The header names the key as the {@link KeyIdMode} says. Thread-safe.
 *
 * <pre>{@code
 * JwtSigner signer = JwtSigner.of(SigningKeys.of(key), KeyIdMode.X5C);
 * String jwt = signer.sign(Map.of("iss", "issuer", "aud", "registry"), clock.instant());
 * }</pre>
 */
public final class JwtSigner {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SigningKeys keys;
  private final KeyIdMode mode;
  private final Map<SigningKey, String> headers = new ConcurrentHashMap<>();

  private JwtSigner(SigningKeys keys, KeyIdMode mode) {
    this.keys = keys;
    this.mode = mode;
  }

  /**
   * A signer that signs with the newest active of {@code keys} and names it as {@code mode} says.
   */
  public static JwtSigner of(SigningKeys keys, KeyIdMode mode) {
    return new JwtSigner(
        Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(mode, "mode"));
  }

  /** The keys. */
  public SigningKeys keys() {
    return keys;
  }

  /** How the header names the key. */
  public KeyIdMode keyIdMode() {
    return mode;
  }

  /**
   * Signs the claims with the key active at {@code now}.
   *
   * @param claims claim names to JSON-serialisable values (strings, numbers, lists, maps)
   * @param now the instant that chooses the key
   * @return the compact JWS: header, claims and signature, each base64url without padding
   * @throws IllegalArgumentException if a claim value cannot be written as JSON
   */
  public String sign(Map<String, ?> claims, Instant now) {
    Objects.requireNonNull(claims, "claims");
    byte[] payload;
    try {
      payload = JSON.writeValueAsBytes(claims);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("claims: a value cannot be written as JSON", e);
    }
    SigningKey key = keys.signingKey(now);
    String signingInput =
        headers.computeIfAbsent(key, this::encodedHeader) + "." + B64URL.encodeToString(payload);
    byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64URL.encodeToString(signature);
  }

  private String encodedHeader(SigningKey key) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", key.algorithm().name());
    header.put("typ", "JWT");
    if (mode == KeyIdMode.X5C) {
      List<String> chain = new ArrayList<>();
      for (var certificate : key.certificateChain()) {
        chain.add(Base64.getEncoder().encodeToString(SigningKey.encoded(certificate)));
      }
      header.put("x5c", chain);
    } else {
      header.put("kid", key.keyId(mode));
    }
    try {
      return B64URL.encodeToString(JSON.writeValueAsBytes(header));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JWS header could not be written", e);
    }
  }

  @Override
  public String toString() {
    return "JwtSigner[" + mode + ", " + keys + "]";
  }
}
