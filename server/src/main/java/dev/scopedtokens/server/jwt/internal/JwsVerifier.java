package dev.scopedtokens.server.jwt.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a compact JWS that a {@link JwsSigner} wrote: the one place in the server that verifies a
 * JWT. A token passes only if, in this order:
 *
 * <ol>
 *   <li>it is at most {@linkplain Builder#maxLength(int) the longest length} and three segments of
 *       canonical base64url (no padding, no other spelling of the same bytes);
 *   <li>its header is a JSON object whose {@code alg} is the pinned algorithm ({@code none} and
 *       every other algorithm fail before any signature is checked), whose {@code typ}, if any, is
 *       {@code JWT}, and which has no {@code crit} (no extension is understood);
 *   <li>its signature verifies under the public key;
 *   <li>its claims are a JSON object with integer {@code exp} and {@code iat}: the clock is before
 *       {@code exp}, {@code iat} and {@code nbf} (if any) are not after the clock plus the
 *       {@linkplain Builder#clockSkew(Duration) allowed skew}, and {@code iss} and {@code aud} are
 *       the expected ones when the builder names them.
 * </ol>
 *
 * A rejection is a {@link Rejected} result naming the first failed step, never an exception, and
 * never carries the token. Thread-safe.
 *
 * <pre>{@code
 * JwsVerifier verifier = JwsVerifier.builder(JwtAlgorithm.ES256, publicKey, clock).build();
 * if (verifier.verify(token) instanceof JwsVerifier.Verified verified) {
 *   String subject = verified.claims().path("sub").asText();
 * }
 * }</pre>
 */
public final class JwsVerifier {
  /** The default longest token: a JWT with a certificate chain of a few RSA certificates. */
  public static final int DEFAULT_MAX_LENGTH = 16 * 1024;

  /** JOSE headers and our claims nest a few levels; a deep document is not one of ours. */
  private static final int MAX_NESTING_DEPTH = 16;

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxNumberLength(100)
                          .build())
                  .build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Why a token was rejected: the first check it failed. */
  public enum Reason {
    /** Longer than the verifier's longest length; nothing else was looked at. */
    TOO_LONG,
    /**
     * Not three segments of canonical base64url, a header or claims that are not a JSON object, or
     * {@code exp} or {@code iat} missing or not an integer.
     */
    MALFORMED,
    /** The header's {@code alg} is not the pinned algorithm. */
    ALGORITHM,
    /** The header has a {@code crit} member, or a {@code typ} other than {@code JWT}. */
    HEADER,
    /** The signature does not verify under the key. */
    SIGNATURE,
    /** The clock is at or after {@code exp}. */
    EXPIRED,
    /** {@code nbf} is after the clock plus the allowed skew. */
    NOT_YET_VALID,
    /** {@code iat} is after the clock plus the allowed skew. */
    ISSUED_IN_THE_FUTURE,
    /** {@code iss} is not the expected issuer. */
    ISSUER,
    /** {@code aud} is not, and does not list, the expected audience. */
    AUDIENCE
  }

  /** The outcome of {@link #verify}: {@link Verified} or {@link Rejected}. */
  public sealed interface Result permits Verified, Rejected {}

  /**
   * A token that passed every check.
   *
   * @param claims the claims, a JSON object read fresh for this call
   */
  public record Verified(JsonNode claims) implements Result {
    /** The claims' names only: a token's claims are not printed. */
    @Override
    public String toString() {
      java.util.List<String> names = new java.util.ArrayList<>();
      claims.fieldNames().forEachRemaining(names::add);
      return "Verified" + names;
    }
  }

  /**
   * A token that failed a check.
   *
   * @param reason the first check it failed
   */
  public record Rejected(Reason reason) implements Result {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  private final JwtAlgorithm algorithm;
  private final PublicKey key;
  private final Clock clock;
  private final Optional<String> issuer;
  private final Optional<String> audience;
  private final long skewSeconds;
  private final int maxLength;

  private JwsVerifier(Builder b) {
    this.algorithm = b.algorithm;
    this.key = b.key;
    this.clock = b.clock;
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.skewSeconds = b.clockSkew.getSeconds();
    this.maxLength = b.maxLength;
  }

  /**
   * A builder for a verifier of tokens signed with {@code algorithm} by the private half of {@code
   * key}, checking times against {@code clock}.
   *
   * @throws IllegalArgumentException if the key does not fit the algorithm
   */
  public static Builder builder(JwtAlgorithm algorithm, PublicKey key, Clock clock) {
    return new Builder(algorithm, key, clock);
  }

  /** Checks {@code token}; see the class description for what passes. */
  public Result verify(String token) {
    Objects.requireNonNull(token, "token");
    if (token.length() > maxLength) {
      return new Rejected(Reason.TOO_LONG);
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
      return new Rejected(Reason.MALFORMED);
    }
    byte[] headerBytes = decode(token.substring(0, first));
    byte[] claimsBytes = decode(token.substring(first + 1, second));
    byte[] signature = decode(token.substring(second + 1));
    if (headerBytes == null || claimsBytes == null || signature == null) {
      return new Rejected(Reason.MALFORMED);
    }
    JsonNode header = object(headerBytes);
    if (header == null) {
      return new Rejected(Reason.MALFORMED);
    }
    if (!header.path("alg").isTextual() || !header.get("alg").asText().equals(algorithm.name())) {
      return new Rejected(Reason.ALGORITHM);
    }
    if (header.has("crit")
        || (header.has("typ")
            && !(header.get("typ").isTextual()
                && header.get("typ").asText().equalsIgnoreCase("JWT")))) {
      return new Rejected(Reason.HEADER);
    }
    if (!signatureVerifies(token.substring(0, second), signature)) {
      return new Rejected(Reason.SIGNATURE);
    }
    JsonNode claims = object(claimsBytes);
    if (claims == null || !isInteger(claims.get("exp")) || !isInteger(claims.get("iat"))) {
      return new Rejected(Reason.MALFORMED);
    }
    return checkClaims(claims);
  }

  private Result checkClaims(JsonNode claims) {
    long now = clock.instant().getEpochSecond();
    // exp is an integer and the clock's fraction of a second only moves it later: now >= exp in
    // whole seconds is exactly "the clock is at or after exp".
    if (now >= claims.get("exp").longValue()) {
      return new Rejected(Reason.EXPIRED);
    }
    long latest = now + skewSeconds; // an Instant's seconds plus a day cannot overflow a long
    if (claims.has("nbf")) {
      if (!isInteger(claims.get("nbf"))) {
        return new Rejected(Reason.MALFORMED);
      }
      if (claims.get("nbf").longValue() > latest) {
        return new Rejected(Reason.NOT_YET_VALID);
      }
    }
    if (claims.get("iat").longValue() > latest) {
      return new Rejected(Reason.ISSUED_IN_THE_FUTURE);
    }
    if (issuer.isPresent()
        && !(claims.path("iss").isTextual() && claims.get("iss").asText().equals(issuer.get()))) {
      return new Rejected(Reason.ISSUER);
    }
    if (audience.isPresent() && !hasAudience(claims.get("aud"), audience.get())) {
      return new Rejected(Reason.AUDIENCE);
    }
    return new Verified(claims);
  }

  private boolean signatureVerifies(String signingInput, byte[] signature) {
    // ES256's r||s is exactly 64 bytes; the JDK would accept a shorter, zero-stripped encoding.
    if (algorithm == JwtAlgorithm.ES256 && signature.length != 64) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(Jws.jcaSignature(algorithm));
      verifier.initVerify(key);
      verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a signature the provider cannot even parse
    }
  }

  /**
   * The bytes of a canonical base64url segment, or null. The JDK's decoder ignores a final
   * character's unused low bits and accepts padding; only the one spelling a signer writes passes,
   * so a token changed in its last character does not verify.
   */
  private static byte[] decode(String segment) {
    byte[] bytes;
    try {
      bytes = Jws.B64URL_DECODER.decode(segment);
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    return Jws.B64URL.encodeToString(bytes).equals(segment) ? bytes : null;
  }

  /** The JSON object in {@code bytes}, or null if they hold anything else. */
  private static JsonNode object(byte[] bytes) {
    try {
      JsonNode node = JSON.readTree(bytes);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isInteger(JsonNode node) {
    return node != null && node.isIntegralNumber() && node.canConvertToLong();
  }

  private static boolean hasAudience(JsonNode aud, String expected) {
    if (aud == null) {
      return false;
    }
    if (aud.isTextual()) {
      return aud.asText().equals(expected);
    }
    if (aud.isArray()) {
      for (JsonNode member : aud) {
        if (member.isTextual() && member.asText().equals(expected)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The pinned algorithm and the expected claims; never a key. */
  @Override
  public String toString() {
    return "JwsVerifier["
        + algorithm
        + issuer.map(i -> ", iss=" + i).orElse("")
        + audience.map(a -> ", aud=" + a).orElse("")
        + ", skew="
        + skewSeconds
        + "s]";
  }

  /** Configures a {@link JwsVerifier}; every setter checks its argument at once. */
  public static final class Builder {
    private final JwtAlgorithm algorithm;
    private final PublicKey key;
    private final Clock clock;
    private Optional<String> issuer = Optional.empty();
    private Optional<String> audience = Optional.empty();
    private Duration clockSkew = Duration.ZERO;
    private int maxLength = DEFAULT_MAX_LENGTH;

    private Builder(JwtAlgorithm algorithm, PublicKey key, Clock clock) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      this.key = Objects.requireNonNull(key, "key");
      this.clock = Objects.requireNonNull(clock, "clock");
      if (!Jws.algorithmOf(key).equals(Optional.of(algorithm))) {
        throw new IllegalArgumentException(
            "key: does not verify " + algorithm + "; give the public half of the signing key");
      }
    }

    /**
     * Requires {@code iss} to be exactly {@code issuer} (by default {@code iss} is not checked).
     */
    public Builder issuer(String issuer) {
      this.issuer = Optional.of(Objects.requireNonNull(issuer, "issuer"));
      return this;
    }

    /**
     * Requires {@code aud} to be {@code audience}, or an array listing it (by default {@code aud}
     * is not checked).
     */
    public Builder audience(String audience) {
      this.audience = Optional.of(Objects.requireNonNull(audience, "audience"));
      return this;
    }

    /**
     * How far {@code iat} and {@code nbf} may lie after the clock (default zero), for a clock that
     * stepped back or a signer whose clock runs ahead. Expiry is exact: a token is never accepted
     * after its {@code exp}.
     *
     * @throws IllegalArgumentException if negative, longer than a day or not whole seconds
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative() || skew.compareTo(Duration.ofDays(1)) > 0 || skew.getNano() != 0) {
        throw new IllegalArgumentException(
            "clockSkew: " + skew + "; must be whole seconds from 0 to 1 day");
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * The longest token looked at (default {@value #DEFAULT_MAX_LENGTH} characters); anything
     * longer is rejected before it is decoded.
     *
     * @throws IllegalArgumentException if below 16 or above 1 MiB
     */
    public Builder maxLength(int characters) {
      if (characters < 16 || characters > 1 << 20) {
        throw new IllegalArgumentException(
            "maxLength: " + characters + "; must be 16 to 1048576 characters");
      }
      this.maxLength = characters;
      return this;
    }

    /** The verifier. */
    public JwsVerifier build() {
      return new JwsVerifier(this);
    }
  }
}
