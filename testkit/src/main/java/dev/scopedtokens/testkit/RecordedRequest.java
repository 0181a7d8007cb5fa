package dev.scopedtokens.testkit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A request the fake Docker Hub received, as its journal keeps it: never a body, and the
 * credentials of the {@code Authorization} header masked.
 *
 * @param receivedAt when it arrived, by the server's clock
 * @param method the HTTP method, such as {@code GET}
 * @param path the raw path, such as {@code /v2/access-tokens/}
 * @param query the raw query string, when there was one
 * @param authorization the {@code Authorization} header with its credentials masked (for example
 *     {@code Bearer ***}), when there was one
 * @param status the status answered, or empty when the connection was dropped without an answer
 */
public record RecordedRequest(
    Instant receivedAt,
    String method,
    String path,
    Optional<String> query,
    Optional<String> authorization,
    OptionalInt status) {

  /** Checks that no component is null. */
  public RecordedRequest {
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(status, "status");
  }
}
