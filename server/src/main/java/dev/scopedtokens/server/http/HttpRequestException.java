package dev.scopedtokens.server.http;

import java.io.Serial;

/**
 * A request that cannot be served as sent: the adapters and {@link Routes} answer it with its 4xx
 * status and a JSON body that carries {@link #getMessage()}.
 *
 * <p>The message is shown to the client, so it names the problem and the allowed range, and never
 * repeats what the client sent (which may hold a secret pasted into the wrong field).
 */
public final class HttpRequestException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** {@code invalid_request}, the default code. */
  public static final String INVALID_REQUEST = "invalid_request";

  private final int status;
  private final String code;

  /**
   * A request error.
   *
   * @param status a 4xx status
   * @param code a short machine-readable code, such as {@code invalid_request}
   * @param message what is wrong, for people; never the client's own input
   * @throws IllegalArgumentException if {@code status} is not 4xx
   */
  public HttpRequestException(int status, String code, String message) {
    super(message, null, false, false);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("status: " + status + "; a request error is 4xx");
    }
    this.status = status;
    this.code = java.util.Objects.requireNonNull(code, "code");
  }

  /** A {@code 400 invalid_request} error. */
  public static HttpRequestException badRequest(String message) {
    return new HttpRequestException(400, INVALID_REQUEST, message);
  }

  /** The 4xx status to answer. */
  public int status() {
    return status;
  }

  /** The machine-readable code, such as {@code invalid_request}. */
  public String code() {
    return code;
  }

  /** The JSON answer: {@code {"code": ..., "message": ...}} with {@link #status()}. */
  public HttpResponse toResponse() {
    return HttpResponse.error(status, code, getMessage());
  }
}
