package dev.scopedtokens.server.servlet;

import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpLimits;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpRequestException;
import dev.scopedtokens.server.http.HttpResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mounts an {@link HttpEndpoint} in any Jakarta Servlet 6 container (Jetty, Tomcat, Spring Boot's
 * embedded servers), enforcing the {@link HttpLimits} that a servlet can see: the number and size
 * of header fields and the size of the body. A request over a limit is answered 413 or 431 with a
 * JSON body before the endpoint runs; a body that ends early or is malformed (a chunked body cut
 * short) 400, one that arrives too slowly for the container 408.
 *
 * <pre>{@code
 * HttpEndpoint tokens = ...;   // the registry token endpoint, the management API, or Routes
 * ServletRegistration.Dynamic reg =
 *     servletContext.addServlet("tokens", new EndpointServlet(tokens, HttpLimits.DEFAULTS));
 * reg.addMapping("/auth/*");
 * }</pre>
 *
 * <p>The endpoint sees the raw path below the servlet's mapping: mounted at {@code /auth/*}, a
 * request for {@code /auth/token} reaches it as {@code /token}; mounted at {@code /} or by exact
 * path, it sees the whole path below the context.
 *
 * <p>Read and idle timeouts are the container's: configure its connector with {@link
 * HttpLimits#readTimeout()} and {@link HttpLimits#idleTimeout()} (the standalone server does), and
 * keep the container's own header size limit at or below {@link HttpLimits#maxHeaderBytes()} so
 * that an oversized header section never reaches a servlet.
 *
 * <p>The servlet logs no request content: an endpoint that fails with an unexpected exception is
 * answered 500 and logged with its stack trace through {@code java.util.logging}.
 */
// The Servlet API is the container's, so it is not re-exported to every reader of this module
// (which would make it a compile-time requirement for them all).
@SuppressWarnings("exports")
public final class EndpointServlet extends HttpServlet {
  @Serial private static final long serialVersionUID = 1L;

  private static final Logger LOG = Logger.getLogger(EndpointServlet.class.getName());

  private final transient HttpEndpoint endpoint;
  private final transient HttpLimits limits;

  /**
   * A servlet that answers every request with {@code endpoint}, within {@code limits}.
   *
   * @param endpoint the endpoint to mount
   * @param limits what one request may cost
   */
  public EndpointServlet(HttpEndpoint endpoint, HttpLimits limits) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Reads the request within the limits, hands it to the endpoint and writes its answer.
   *
   * @throws IOException if the answer cannot be written to the client
   */
  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    HttpResponse response;
    try {
      response = endpoint.handle(read(req));
    } catch (HttpRequestException e) {
      response = e.toResponse();
      if (e.status() == 413 || e.status() == 408) {
        // The rest of the body was not read: do not try to parse it as the next request.
        response = response.withHeader("Connection", "close");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "endpoint failed on " + req.getMethod(), e);
      response = HttpResponse.error(500, "internal_error", "the server failed; try again later");
    }
    write(req, response, resp);
  }

  private HttpRequest read(HttpServletRequest req) {
    String query = req.getQueryString();
    if (!isAscii(req.getRequestURI()) || (query != null && !isAscii(query))) {
      // RFC 9112 request targets are ASCII; a container decodes other bytes in its own way.
      throw HttpRequestException.badRequest(
          "request target: holds characters outside ASCII; percent-encode them as UTF-8");
    }
    HttpHeaders headers = headers(req);
    byte[] body = body(req);
    HttpRequest.Builder builder;
    try {
      builder = HttpRequest.builder(req.getMethod(), endpointPath(req));
    } catch (IllegalArgumentException e) {
      throw HttpRequestException.badRequest("request line: " + e.getMessage());
    }
    return builder
        .rawQuery(query)
        .headers(headers)
        .body(body)
        .remoteAddress(Objects.requireNonNullElse(req.getRemoteAddr(), ""))
        .secure(req.isSecure())
        .build();
  }

  private HttpHeaders headers(HttpServletRequest req) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    int count = 0;
    long bytes = req.getMethod().length() + (long) req.getRequestURI().length() + 12;
    String query = req.getQueryString();
    if (query != null) {
      bytes += query.length() + 1;
    }
    for (String name : Collections.list(req.getHeaderNames())) {
      List<String> values = new ArrayList<>();
      for (String value : Collections.list(req.getHeaders(name))) {
        if (++count > limits.maxHeaderCount()) {
          throw new HttpRequestException(
              431,
              "header_fields_too_large",
              "more than " + limits.maxHeaderCount() + " header fields; send at most that many");
        }
        bytes += name.length() + value.length() + 4;
        values.add(value);
      }
      fields.put(name, values);
    }
    if (bytes > limits.maxHeaderBytes()) {
      throw new HttpRequestException(
          431,
          "header_fields_too_large",
          "request line and header fields over "
              + limits.maxHeaderBytes()
              + " bytes; send at most that many");
    }
    try {
      return HttpHeaders.of(fields);
    } catch (IllegalArgumentException e) {
      throw HttpRequestException.badRequest("header fields: " + e.getMessage());
    }
  }

  private byte[] body(HttpServletRequest req) {
    int max = limits.maxBodyBytes();
    long declared = req.getContentLengthLong();
    if (declared > max) {
      throw tooLarge(max);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
    byte[] buffer = new byte[8192];
    try (InputStream in = req.getInputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (out.size() + n > max) {
          throw tooLarge(max);
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof HttpRequestException h) {
        throw h;
      }
      if (hasCause(e, TimeoutException.class)) {
        throw new HttpRequestException(
            408, "request_timeout", "request body: did not arrive in time; send it faster");
      }
      throw HttpRequestException.badRequest(
          "request body: ended early or is malformed (a cut-short chunked body, say)");
    }
    return out.toByteArray();
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static HttpRequestException tooLarge(int max) {
    return new HttpRequestException(
        413, "request_too_large", "request body over " + max + " bytes; send at most that many");
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The raw request path below the context and, for a {@code /prefix/*} mapping, the prefix. */
  private static String endpointPath(HttpServletRequest req) {
    String path = req.getRequestURI();
    String context = req.getContextPath();
    if (!context.isEmpty() && path.startsWith(context)) {
      path = path.substring(context.length());
    }
    if (req.getHttpServletMapping().getMappingMatch() == MappingMatch.PATH) {
      String prefix = req.getServletPath();
      if (!prefix.isEmpty() && path.startsWith(prefix)) {
        path = path.substring(prefix.length());
      }
    }
    return path.isEmpty() ? "/" : path;
  }

  private static void write(HttpServletRequest req, HttpResponse response, HttpServletResponse resp)
      throws IOException {
    resp.setStatus(response.status());
    response
        .headers()
        .asMap()
        .forEach((name, values) -> values.forEach(value -> resp.addHeader(name, value)));
    resp.setContentLength(response.bodyLength());
    if (!req.getMethod().equals("HEAD") && response.bodyLength() > 0) {
      response.writeBody(resp.getOutputStream());
    }
    resp.flushBuffer();
  }
}
