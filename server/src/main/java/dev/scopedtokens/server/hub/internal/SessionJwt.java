package dev.scopedtokens.server.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues and checks the management API's session tokens: compact JWS with ES256 (ECDSA on P-256
 * with SHA-256, the signature as raw {@code r || s}), signed and verified with the JDK alone.
 *
 * <p>Only what this server itself issues is accepted: the header must be exactly this server's (no
 * {@code none}, no other algorithm), the signature must verify under this server's key and be
 * spelled canonically, and {@code exp} must lie after the server's clock.
 *
 * <p>The registry token endpoint has a signer of its own ({@code dev.scopedtokens.server.jwt});
 * this one is minimal on purpose and can be folded into it.
 */
public final class SessionJwt {
  /** How long a session lives: Docker Hub's ten minutes. */
  public static final Duration LIFETIME = Duration.ofSeconds(600);

  /** The JDK's name for ES256's signature: ECDSA over SHA-256 with a raw r || s encoding. */
  private static final String ALGORITHM = "SHA256withECDSAinP1363Format";

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String HEADER =
      ENCODER.encodeToString(
          "{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
  private static final String SOURCE_PAT = "docker_pat|";

  /** The longest token looked at; anything longer is not one of ours. */
  private static final int MAX_LENGTH = 4096;

  /**
   * What a session token says.
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

    /** Whether the session was opened with a personal access token. */
    public boolean fromPersonalAccessToken() {
      return tokenId.isPresent();
    }
  }

  private final ECPrivateKey privateKey;
  private final ECPublicKey publicKey;
  private final Clock clock;
  private final SecureRandom random;
  private final String issuer;

  /**
   * A signer over {@code keys}, a P-256 key pair.
   *
   * @throws IllegalArgumentException if the keys are not a P-256 pair
   */
  public SessionJwt(KeyPair keys, String issuer, Clock clock, SecureRandom random) {
    Objects.requireNonNull(keys, "keys");
    if (!(keys.getPrivate() instanceof ECPrivateKey priv)
        || !(keys.getPublic() instanceof ECPublicKey pub)
        || pub.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new IllegalArgumentException("session key: must be an EC key pair on P-256 for ES256");
    }
    this.privateKey = priv;
    this.publicKey = pub;
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
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
    ObjectNode payload = Json.MAPPER.createObjectNode();
    payload.put("iss", issuer);
    payload.put("sub", subject);
    payload.put("username", subject);
    payload.put("iat", iat);
    payload.put("exp", iat + LIFETIME.getSeconds());
    byte[] jti = new byte[16];
    random.nextBytes(jti);
    payload.put("jti", ENCODER.encodeToString(jti));
    tokenId.ifPresent(id -> payload.put("source", SOURCE_PAT + id));
    scope.ifPresent(s -> payload.put("scope", s));
    String signingInput = HEADER + "." + ENCODER.encodeToString(Json.bytes(payload));
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(privateKey, random);
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + ENCODER.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ES256 signing failed", e);
    }
  }

  /**
   * The claims of a session this server issued that has not expired by the server's clock, or empty
   * for anything else (another key, another algorithm, tampering, expiry, garbage).
   */
  public Optional<Claims> verify(String token) {
    Objects.requireNonNull(token, "token");
    if (token.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(HEADER)) {
      return Optional.empty();
    }
    byte[] signature;
    byte[] payloadBytes;
    try {
      signature = DECODER.decode(parts[2]);
      payloadBytes = DECODER.decode(parts[1]);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    // The decoder ignores the unused low bits of the last character: only the canonical spelling
    // is this server's, so that a token changed in its last character does not verify.
    if (signature.length != 64 || !ENCODER.encodeToString(signature).equals(parts[2])) {
      return Optional.empty();
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(publicKey);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!verifier.verify(signature)) {
        return Optional.empty();
      }
    } catch (GeneralSecurityException e) {
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
      try {
        tokenId = Optional.of(UUID.fromString(source.substring(SOURCE_PAT.length())));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    Optional<String> scope =
        payload.path("scope").isTextual()
            ? Optional.of(payload.get("scope").asText())
            : Optional.empty();
    return Optional.of(
        new Claims(payload.get("sub").asText(), issuedAt, expiresAt, tokenId, scope));
  }

  @Override
  public String toString() {
    return "SessionJwt[ES256, key redacted]";
  }
}
