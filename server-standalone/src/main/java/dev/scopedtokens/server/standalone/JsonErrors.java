package dev.scopedtokens.server.standalone;

import dev.scopedtokens.server.http.HttpLimits;
import dev.scopedtokens.server.http.HttpResponse;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request line or header section it cannot parse, too large, too
 * slow), rendered as the neutral JSON error instead of an HTML page, whatever the client accepts. A
 * protocol problem that Jetty answers with a 5xx (an HTTP version or transfer coding it does not
 * implement) is the client's, and is answered 400. Messages are fixed per status: Jetty's reason
 * may quote what the client sent.
 */
final class JsonErrors {
  private JsonErrors() {}

  /** The status to answer for what Jetty reported. */
  static int status(int code, Throwable cause) {
    if (code >= 500 && cause instanceof HttpException) {
      return 400;
    }
    return code;
  }

  /** The JSON body for a status. */
  static String body(int status, Throwable cause, HttpLimits limits) {
    String code;
    String message;
    switch (status) {
      case 400 -> {
        code = "invalid_request";
        message =
            cause instanceof HttpException h && h.getCode() == 505
                ? "unsupported HTTP version; send HTTP/1.1"
                : cause instanceof HttpException h && h.getCode() == 501
                    ? "unsupported Transfer-Encoding; send chunked or a Content-Length"
                    : "malformed HTTP request; send HTTP/1.1 as RFC 9112 defines it";
      }
      case 408 -> {
        code = "request_timeout";
        message = "the request did not arrive within " + limits.readTimeout().toMillis() + " ms";
      }
      case 413 -> {
        code = "request_too_large";
        message = "request body over " + limits.maxBodyBytes() + " bytes; send at most that many";
      }
      case 414 -> {
        code = "uri_too_long";
        message =
            "request line over "
                + limits.maxHeaderBytes()
                + " bytes; send a shorter request target";
      }
      case 431 -> {
        code = "header_fields_too_large";
        message =
            "request line and header fields over "
                + limits.maxHeaderBytes()
                + " bytes; send at most that many";
      }
      case 404 -> {
        code = "not_found";
        message = "no such resource";
      }
      case 405 -> {
        code = "method_not_allowed";
        message = "method not allowed here";
      }
      case 503 -> {
        code = "unavailable";
        message = "the server is busy or stopping; try again later";
      }
      default -> {
        code = status >= 500 ? "internal_error" : "invalid_request";
        message = status >= 500 ? "the server failed; try again later" : "the request was refused";
      }
    }
    return new String(HttpResponse.error(status, code, message).body(), StandardCharsets.UTF_8);
  }

  /** The server-wide handler: errors found before any context (the parser's). */
  static final class Core extends org.eclipse.jetty.server.handler.ErrorHandler {
    private final HttpLimits limits;

    Core(HttpLimits limits) {
      this.limits = limits;
      setShowStacks(false);
      setShowCauses(false);
    }

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback)
        throws java.io.IOException {
      int status = status(code, cause);
      response.setStatus(status);
      generateAcceptableResponse(
          request,
          response,
          callback,
          "application/json",
          List.of(StandardCharsets.UTF_8),
          status,
          message,
          cause);
    }

    @Override
    protected void writeErrorJson(
        Request request, PrintWriter writer, int code, String message, Throwable cause) {
      writer.write(body(code, cause, limits));
    }
  }

  /** The servlet context's handler: errors found on the way to the servlet. */
  static final class Servlet extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    private final HttpLimits limits;

    Servlet(HttpLimits limits) {
      this.limits = limits;
      setShowStacks(false);
      setShowCauses(false);
      setShowOrigin(false);
    }

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback)
        throws java.io.IOException {
      int status = status(code, cause);
      response.setStatus(status);
      generateAcceptableResponse(
          request,
          response,
          callback,
          "application/json",
          List.of(StandardCharsets.UTF_8),
          status,
          message,
          cause);
    }

    @Override
    protected void writeErrorJson(
        Request request, PrintWriter writer, int code, String message, Throwable cause) {
      writer.write(body(code, cause, limits));
    }
  }
}
