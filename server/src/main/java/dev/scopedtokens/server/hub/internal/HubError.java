package dev.scopedtokens.testkit.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An answer other than success, thrown from deep inside a handler and written by the top-level
 * handler. Its message is for this server's own diagnostics; what the client sees is {@link #body}.
 */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Object body;
  private final transient Map<String, String> headers;

  HttpError(int status, Object body, Map<String, String> headers) {
    super("HTTP " + status, null, false, false);
    this.status = status;
    this.body = Objects.requireNonNull(body, "body");
    this.headers = Map.copyOf(headers);
  }

  HttpError(int status, Object body) {
    this(status, body, Map.of());
  }

  int status() {
    return status;
  }

  Object body() {
    return body;
  }

  Map<String, String> headers() {
    return headers;
  }

  /** 400 in the spec's {@code ValueError} shape, naming one field. */
  static HttpError badRequest(String field, String problem) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    fields.put(field, List.of(problem));
    return badRequest(fields);
  }

  /** 400 in the spec's {@code ValueError} shape, naming every field that is wrong. */
  static HttpError badRequest(Map<String, List<String>> fields) {
    StringBuilder text = new StringBuilder();
    fields.forEach(
        (field, problems) -> {
          for (String problem : problems) {
            text.append(text.length() == 0 ? "" : "; ").append(field).append(": ").append(problem);
          }
        });
    return new HttpError(400, new Wire.ValueError(fields, text.toString()));
  }

  /** 404 in the spec's {@code Error} shape. */
  static HttpError notFound(String what) {
    return new HttpError(404, new Wire.ErrorBody(what, what, null));
  }

  /**
   * 401 for a missing, malformed, expired or foreign bearer, as the live service answers a raw PAT:
   * every case looks the same from outside.
   */
  static HttpError unauthorized() {
    return new HttpError(
        401,
        new Wire.ErrorBody(null, "unauthorized", Map.of()),
        Map.of("WWW-Authenticate", "Bearer realm=\"fake-docker-hub\""));
  }
}
