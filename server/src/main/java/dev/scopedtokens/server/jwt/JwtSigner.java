package dev.scopedtokens.server.jwt;

import dev.scopedtokens.server.jwt.internal.JwsSigner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
  private final SigningKeys keys;
  private final KeyIdMode mode;
  // One signer per key: its header (with the key's certificate chain or id) is written once.
  private final Map<SigningKey, JwsSigner> signers = new ConcurrentHashMap<>();

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
    return signers.computeIfAbsent(keys.signingKey(now), this::signerFor).sign(claims);
  }

  private JwsSigner signerFor(SigningKey key) {
    if (mode == KeyIdMode.X5C) {
      List<String> chain = new ArrayList<>();
      for (var certificate : key.certificateChain()) {
        chain.add(Base64.getEncoder().encodeToString(SigningKey.encoded(certificate)));
      }
      return key.jwsSigner(Map.of("x5c", chain));
    }
    return key.jwsSigner(Map.of("kid", key.keyId(mode)));
  }

  @Override
  public String toString() {
    return "JwtSigner[" + mode + ", " + keys + "]";
  }
}
