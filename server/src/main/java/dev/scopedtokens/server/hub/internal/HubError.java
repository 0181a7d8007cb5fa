package dev.scopedtokens.server.hub.internal;

import dev.scopedtokens.server.http.HttpResponse;
import java.io.Serial;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An answer other than success in Docker Hub's error shapes, thrown from deep inside a handler and
 * rendered by {@link #toResponse()}. Its message is for this server's own diagnostics; what the
 * client sees is the body.
 */
final class HubError extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  private final int status;
  private final transient Object body;
  private final transient Map<String, String> headers;

  HubError(int status, Object body, Map<String, String> headers) {
    super("HTTP " + status, null, false, false);
    this.status = status;
    this.body = Objects.requireNonNull(body, "body");
    this.headers = Map.copyOf(headers);
  }

  HubError(int status, Object body) {
    this(status, body, Map.of());
  }

  int status() {
    return status;
  }

  HttpResponse toResponse() {
    HttpResponse response = Json.response(status, body);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      response = response.withHeader(header.getKey(), header.getValue());
    }
    return response;
  }

  /** 400 in the spec's {@code ValueError} shape, naming one field. */
  static HubError badRequest(String field, String problem) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    fields.put(field, List.of(problem));
    return badRequest(fields);
  }

  /**
   * 400 in the spec's {@code ValueError} shape, naming every field that is wrong. Each problem is
   * said once, without its field (the map names it); {@code text} joins them as {@code field:
   * problem}.
   */
  static HubError badRequest(Map<String, List<String>> fields) {
    StringBuilder text = new StringBuilder();
    fields.forEach(
        (field, problems) -> {
          for (String problem : problems) {
            text.append(text.length() == 0 ? "" : "; ").append(field).append(": ").append(problem);
          }
        });
    return new HubError(400, new Wire.ValueError(fields, text.toString()));
  }

  /** 404 in the spec's {@code Error} shape. */
  static HubError notFound(String what) {
    return new HubError(404, new Wire.ErrorBody(what, what, null));
  }

  /**
   * 401 for a missing, malformed, expired or foreign bearer, as the live service answers a raw PAT:
   * every case looks the same from outside.
   */
  static HubError unauthorized() {
    return new HubError(
        401,
        new Wire.ErrorBody(null, "unauthorized", Map.of()),
        Map.of("WWW-Authenticate", "Bearer realm=\"scopedtokens\""));
  }
}
