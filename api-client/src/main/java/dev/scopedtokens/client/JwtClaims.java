package dev.scopedtokens.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The two claims the client reads from a JWT's payload: {@code exp}, to renew before it passes, and
 * {@code source}, which Docker Hub sets to {@code docker_pat|<uuid>} for a session opened with a
 * personal access token. The signature is not checked: the server does that, and the client only
 * uses the claims to decide when to log in again.
 *
 * @param expiresAt the {@code exp} claim, when present and readable
 * @param source the {@code source} claim, when present
 */
record JwtClaims(Optional<Instant> expiresAt, Optional<String> source) {
  private static final JwtClaims NONE = new JwtClaims(Optional.empty(), Optional.empty());

  /** Returns the claims, or none when the token is not a readable JWT (it stays usable). */
  static JwtClaims read(String jwt) {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      return NONE;
    }
    byte[] payload;
    try {
      // base64url, with or without padding.
      payload = Base64.getUrlDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      return NONE;
    }
    Optional<JsonNode> tree = WireFormat.tree(payload).filter(JsonNode::isObject);
    if (tree.isEmpty()) {
      return NONE;
    }
    JsonNode exp = tree.get().get("exp");
    Optional<Instant> expiresAt = Optional.empty();
    Optional<BigDecimal> bounded = WireFormat.boundedDecimal(exp);
    if (bounded.isPresent()) {
      BigDecimal seconds = bounded.get();
      if (seconds.signum() > 0
          && seconds.compareTo(BigDecimal.valueOf(Instant.MAX.getEpochSecond())) < 0) {
        expiresAt = Optional.of(Instant.ofEpochSecond(seconds.longValue()));
      }
    }
    JsonNode source = tree.get().get("source");
    return new JwtClaims(
        expiresAt,
        source != null && source.isTextual() ? Optional.of(source.asText()) : Optional.empty());
  }

  /** Returns whether the session was opened with a personal access token. */
  boolean fromAccessToken() {
    return source.map(s -> s.startsWith("docker_pat")).orElse(false);
  }
}
