package dev.scopedtokens.server.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.internal.Jws;
import dev.scopedtokens.server.jwt.internal.JwsSigner;
import dev.scopedtokens.server.jwt.internal.JwsVerifier;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The management API's sessions: what a session JWT says, written by the server's one JWS signer
 * and checked by its one verifier ({@code dev.scopedtokens.server.jwt.internal}) with ES256 over
 * the session key pair.
 *
 * <p>Only what this server itself issues is accepted: {@code alg} pinned to ES256 (no {@code none},
 * no other algorithm), a signature under this server's key spelled canonically, {@code exp} after
 * the server's clock and {@code iat} not after it (beyond {@link #CLOCK_SKEW}), and a {@code sub}.
 */
public final class SessionJwt {
  /** How long a session lives: Docker Hub's ten minutes. */
  public static final Duration LIFETIME = Duration.ofSeconds(600);

  /**
   * How far a session's {@code iat} may lie after the clock: a system clock stepped back by a time
   * server should not sign everyone out. Expiry stays exact.
   */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  /** The longest bearer looked at; a session is about 600 characters. */
  static final int MAX_LENGTH = 4096;

  private static final String SOURCE_PAT = "docker_pat|";

  /**
   * What a session token says.
   *
   * @param subject the account
   * @param tokenId the PAT the session was opened with, when it was
   * @param scope the PAT's effective scope wire value, when the session was opened with a PAT
   */
  public record Claims(String subject, Optional<UUID> tokenId, Optional<String> scope) {

    /** Whether the session was opened with a personal access token. */
    public boolean fromPersonalAccessToken() {
      return tokenId.isPresent();
    }
  }

  private final JwsSigner signer;
  private final JwsVerifier verifier;
  private final String issuer;
  private final Clock clock;
  private final SecureRandom random;

  /**
   * A signer and verifier over {@code keys}, a P-256 key pair.
   *
   * @throws IllegalArgumentException if the keys are not a P-256 pair
   */
  public SessionJwt(KeyPair keys, String issuer, Clock clock, SecureRandom random) {
    Objects.requireNonNull(keys, "keys");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    Optional<JwtAlgorithm> es256 = Optional.of(JwtAlgorithm.ES256);
    if (keys.getPrivate() == null
        || keys.getPublic() == null
        || !Jws.algorithmOf(keys.getPrivate()).equals(es256)
        || !Jws.algorithmOf(keys.getPublic()).equals(es256)) {
      throw new IllegalArgumentException("session key: must be an EC key pair on P-256 for ES256");
    }
    if (!Jws.arePair(JwtAlgorithm.ES256, keys.getPrivate(), keys.getPublic())) {
      throw new IllegalArgumentException(
          "session key: the public key is not the private key's other half; give one key pair");
    }
    this.signer = JwsSigner.of(JwtAlgorithm.ES256, keys.getPrivate(), Map.of());
    this.verifier =
        JwsVerifier.builder(JwtAlgorithm.ES256, keys.getPublic(), clock)
            .clockSkew(CLOCK_SKEW)
            .maxLength(MAX_LENGTH)
            .build();
  }

  /** A fresh P-256 key pair drawn from {@code random}. */
  public static KeyPair generateKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      // Every Java platform provides EC on P-256.
      throw new IllegalStateException("EC on P-256 is not available", e);
    }
  }

  /** A session for a password login. */
  public String issueForPassword(String subject) {
    return issue(subject, Optional.empty(), Optional.empty());
  }

  /** A session for a login with a personal access token, carrying its scope and origin. */
  public String issueForAccessToken(String subject, UUID tokenId, String scope) {
    return issue(subject, Optional.of(tokenId), Optional.of(scope));
  }

  private String issue(String subject, Optional<UUID> tokenId, Optional<String> scope) {
    long iat = clock.instant().getEpochSecond();
    byte[] jti = new byte[16];
    random.nextBytes(jti);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("sub", subject);
    claims.put("username", subject);
    claims.put("iat", iat);
    claims.put("exp", iat + LIFETIME.getSeconds());
    claims.put("jti", Base64.getUrlEncoder().withoutPadding().encodeToString(jti));
    tokenId.ifPresent(id -> claims.put("source", SOURCE_PAT + id));
    scope.ifPresent(s -> claims.put("scope", s));
    return signer.sign(claims);
  }

  /**
   * The claims of a session this server issued that is valid by the server's clock, or empty for
   * anything else (another key, another algorithm, tampering, expiry, garbage).
   */
  public Optional<Claims> verify(String token) {
    if (!(verifier.verify(token) instanceof JwsVerifier.Verified verified)) {
      return Optional.empty();
    }
    JsonNode claims = verified.claims();
    if (!claims.path("sub").isTextual()) {
      return Optional.empty();
    }
    Optional<UUID> tokenId = Optional.empty();
    String source = claims.path("source").asText("");
    if (source.startsWith(SOURCE_PAT)) {
      try {
        tokenId = Optional.of(UUID.fromString(source.substring(SOURCE_PAT.length())));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    Optional<String> scope =
        claims.path("scope").isTextual()
            ? Optional.of(claims.get("scope").asText())
            : Optional.empty();
    return Optional.of(new Claims(claims.get("sub").asText(), tokenId, scope));
  }

  @Override
  public String toString() {
    return "SessionJwt[ES256, key redacted]";
  }
}
