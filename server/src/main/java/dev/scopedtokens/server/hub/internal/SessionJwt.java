package dev.scopedtokens.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks the fake's bearer tokens: compact JWS with HS256 over a key that lives and dies
 * with one server, so that a token from one server never works on another.
 *
 * <p>Only what this server itself issues is accepted: the header must be exactly HS256 (no {@code
 * none}, no other algorithm), the signature must match in constant time, and {@code exp} must lie
 * after the server's clock.
 */
public final class Jwt {
  /** How long a bearer token lives: Docker Hub's ten minutes. */
  public static final Duration LIFETIME = Duration.ofSeconds(600);

  private static final String HEADER =
      encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String SOURCE_PAT = "docker_pat|";

  /**
   * What a bearer token says.
   *
   * @param subject the account
   * @param issuedAt when it was issued
   * @param expiresAt when it stops working
   * @param tokenId the PAT the session was opened with, when it was
   * @param scope the PAT's effective scope wire value, when the session was opened with a PAT
   */
  public record Claims(
      String subject,
      Instant issuedAt,
      Instant expiresAt,
      Optional<UUID> tokenId,
      Optional<String> scope) {

    /** Returns whether the session was opened with a personal access token. */
    public boolean fromPersonalAccessToken() {
      return tokenId.isPresent();
    }
  }

  private final SecretKey key;
  private final Clock clock;
  private final SecureRandom random;

  /** Makes a signer with a fresh 256-bit key drawn from {@code random}. */
  public Jwt(Clock clock, SecureRandom random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  /** Issues a token for a password login. */
  public String issueForPassword(String subject) {
    return issue(subject, Optional.empty(), Optional.empty());
  }

  /** Issues a token for a login with a personal access token, carrying its scope and origin. */
  public String issueForAccessToken(String subject, UUID tokenId, String scope) {
    return issue(subject, Optional.of(tokenId), Optional.of(scope));
  }

  private String issue(String subject, Optional<UUID> tokenId, Optional<String> scope) {
    long iat = clock.instant().getEpochSecond();
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("iss", "scopedtokens-fake-hub");
    payload.put("sub", subject);
    payload.put("username", subject);
    payload.put("iat", iat);
    payload.put("exp", iat + LIFETIME.getSeconds());
    byte[] jti = new byte[16];
    random.nextBytes(jti);
    payload.put("jti", ENCODER.encodeToString(jti));
    tokenId.ifPresent(id -> payload.put("source", SOURCE_PAT + id));
    scope.ifPresent(s -> payload.put("scope", s));
    String signingInput = HEADER + "." + encode(Json.bytes(payload));
    return signingInput + "." + encode(sign(signingInput));
  }

  /**
   * Returns the claims of a token this server issued that has not expired by the server's clock, or
   * empty for anything else (another key, another algorithm, tampering, expiry, garbage).
   */
  public Optional<Claims> verify(String token) {
    Objects.requireNonNull(token, "token");
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(HEADER)) {
      return Optional.empty();
    }
    // The signature is compared in its encoded form: the decoder ignores the unused low bits of
    // the last character, so comparing decoded bytes would accept several spellings of one
    // signature, and a token changed in its last character would still verify.
    byte[] expected = encode(sign(parts[0] + "." + parts[1])).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    byte[] payloadBytes;
    try {
      payloadBytes = DECODER.decode(parts[1]);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    // The signature is ours, so the payload is too; still read it defensively.
    JsonNode payload;
    try {
      payload = Json.MAPPER.readTree(payloadBytes);
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
    if (payload == null
        || !payload.path("sub").isTextual()
        || !payload.path("iat").canConvertToLong()
        || !payload.path("exp").canConvertToLong()) {
      return Optional.empty();
    }
    Instant issuedAt = Instant.ofEpochSecond(payload.get("iat").asLong());
    Instant expiresAt = Instant.ofEpochSecond(payload.get("exp").asLong());
    if (!clock.instant().isBefore(expiresAt)) {
      return Optional.empty();
    }
    Optional<UUID> tokenId = Optional.empty();
    String source = payload.path("source").asText("");
    if (source.startsWith(SOURCE_PAT)) {
      tokenId = Optional.of(UUID.fromString(source.substring(SOURCE_PAT.length())));
    }
    Optional<String> scope =
        payload.path("scope").isTextual()
            ? Optional.of(payload.get("scope").asText())
            : Optional.empty();
    return Optional.of(
        new Claims(payload.get("sub").asText(), issuedAt, expiresAt, tokenId, scope));
  }

  private byte[] sign(String signingInput) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      // Every Java platform must provide HmacSHA256.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "Jwt[HS256, key redacted]";
  }
}
