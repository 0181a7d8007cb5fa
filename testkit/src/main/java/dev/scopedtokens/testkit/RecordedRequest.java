package dev.scopedtokens.testkit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A request the fake Docker Hub received, as its journal keeps it: every secret masked as {@code
 * ***} and every part cut to a bound.
 *
 * <p>The {@code Authorization} header keeps only a well-known scheme ({@code Bearer ***}, {@code
 * Basic ***}); anything else in it becomes {@code ***}. Anywhere else (path, query, other headers,
 * body), personal access tokens, JWTs, any other long random-looking string, the passwords of the
 * fake's users, and the values of fields and parameters named like secrets ({@code password},
 * {@code secret}, {@code code}, {@code login_2fa_token}, {@code token}...) are masked. Masking
 * happens before cutting, so a cut never leaves part of a secret.
 *
 * @param receivedAt when it arrived, by the server's clock
 * @param method the HTTP method, such as {@code GET}
 * @param path the raw path, such as {@code /v2/access-tokens/}, masked and at most {@value
 *     #MAX_TARGET_CHARS} characters
 * @param query the raw query string, when there was one, masked and cut like the path
 * @param authorization the {@code Authorization} header, masked (for example {@code Bearer ***}),
 *     when there was one
 * @param status the status answered, or empty when the connection was dropped without an answer
 * @param headers the header fields, masked, at most {@value #MAX_HEADER_FIELDS} of them with values
 *     of at most {@value #MAX_HEADER_VALUE_CHARS} characters
 * @param body the body as text, masked and at most {@value #MAX_BODY_CHARS} characters; empty for
 *     none
 */
public record RecordedRequest(
    Instant receivedAt,
    String method,
    String path,
    Optional<String> query,
    Optional<String> authorization,
    OptionalInt status,
    Map<String, List<String>> headers,
    String body) {

  /** The most characters kept of the path, and of the query. */
  public static final int MAX_TARGET_CHARS = 2048;

  /** The most characters kept of the body. */
  public static final int MAX_BODY_CHARS = 8192;

  /** The most header fields kept. */
  public static final int MAX_HEADER_FIELDS = 64;

  /** The most characters kept of one header value. */
  public static final int MAX_HEADER_VALUE_CHARS = 1024;

  /** Checks that no component is null, and copies the headers. */
  public RecordedRequest {
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(body, "body");
    Map<String, List<String>> copy = new LinkedHashMap<>();
    Objects.requireNonNull(headers, "headers").forEach((k, v) -> copy.put(k, List.copyOf(v)));
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  /** The first (masked) value of the header {@code name}, looked up without regard to case. */
  public Optional<String> header(String name) {
    Objects.requireNonNull(name, "name");
    for (Map.Entry<String, List<String>> field : headers.entrySet()) {
      if (field.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))
          && !field.getValue().isEmpty()) {
        return Optional.of(field.getValue().get(0));
      }
    }
    return Optional.empty();
  }
}
