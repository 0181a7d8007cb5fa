package dev.scopedtokens.server.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A complete HTTP response from an {@link HttpEndpoint}: status, header fields and body.
 *
 * <p>{@link #toString()} shows the status and body length only: a body may carry a token.
 */
public final class HttpResponse {
  private static final String JSON = "application/json; charset=utf-8";

  private final int status;
  private final HttpHeaders headers;
  private final byte[] body;

  private HttpResponse(int status, HttpHeaders headers, byte[] body) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status: " + status + "; must be 100 to 599");
    }
    this.status = status;
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = Objects.requireNonNull(body, "body");
  }

  /** A response with the given status, header fields and body (copied). */
  public static HttpResponse of(int status, HttpHeaders headers, byte[] body) {
    return new HttpResponse(status, headers, body.clone());
  }

  /** A response with no body. */
  public static HttpResponse empty(int status) {
    return new HttpResponse(status, HttpHeaders.empty(), new byte[0]);
  }

  /** A JSON response; {@code json} must already be a JSON document. */
  public static HttpResponse json(int status, String json) {
    return new HttpResponse(
        status,
        HttpHeaders.empty().with("Content-Type", JSON),
        json.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON response; {@code json} must already be a UTF-8 JSON document (not copied). */
  public static HttpResponse json(int status, byte[] json) {
    return new HttpResponse(status, HttpHeaders.empty().with("Content-Type", JSON), json);
  }

  /**
   * The neutral JSON error body, {@code {"code": ..., "message": ...}}. Faces with a wire format of
   * their own (the registry token endpoint, the Docker Hub API) render their errors themselves.
   */
  public static HttpResponse error(int status, String code, String message) {
    return json(
        status, "{\"code\":\"" + escape(code) + "\",\"message\":\"" + escape(message) + "\"}");
  }

  /** {@code text} escaped for use inside a JSON string literal. */
  public static String escape(String text) {
    return new String(JsonStringEncoder.getInstance().quoteAsString(text));
  }

  /** A copy with {@code name} set to {@code value}. */
  public HttpResponse withHeader(String name, String value) {
    return new HttpResponse(status, headers.with(name, value), body);
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** The header fields. */
  public HttpHeaders headers() {
    return headers;
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /**
   * Writes the body to {@code out} without copying it; for adapters.
   *
   * @throws java.io.IOException if {@code out} fails
   */
  public void writeBody(java.io.OutputStream out) throws java.io.IOException {
    out.write(body);
  }

  /** Status and body length only: a body may carry a token. */
  @Override
  public String toString() {
    return "HttpResponse[" + status + ", " + body.length + " bytes]";
  }
}
