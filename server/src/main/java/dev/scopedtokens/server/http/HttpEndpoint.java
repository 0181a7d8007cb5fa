package dev.scopedtokens.server.http;

/**
 * A framework-neutral HTTP handler: the unit that the adapters (Servlet, the JDK's {@code
 * HttpServer}, the standalone server) mount. An endpoint sees a request whose size the adapter has
 * already bounded and answers with a complete response; it never touches a socket.
 *
 * <p>An endpoint answers bad input with a 4xx response, or throws {@link HttpRequestException},
 * which every adapter and {@link Routes} turn into a 4xx JSON answer. Implementations are
 * thread-safe.
 */
@FunctionalInterface
public interface HttpEndpoint {
  /**
   * Answers one request.
   *
   * @throws HttpRequestException when the request is malformed; the adapter answers its status
   */
  HttpResponse handle(HttpRequest request);
}
