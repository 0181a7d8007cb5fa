package dev.scopedtokens.server.registry;

import dev.scopedtokens.server.http.HttpRequestException;
import dev.scopedtokens.server.http.HttpResponse;

/**
 * The token endpoint's error answers: one JSON body that every registry client understands. The
 * distribution client reads {@code details} (Docker Hub's form) or {@code errors} (the registry's
 * error list); OAuth clients such as containerd read {@code error} and {@code error_description}.
 * The message names the problem and never repeats what the client sent.
 */
final class TokenErrors {
  private TokenErrors() {}

  /** 401 for credentials that were not accepted, with a Basic challenge. */
  static HttpResponse unauthorized(String realm, String oauthError, String message) {
    return body(401, "UNAUTHORIZED", oauthError, message)
        .withHeader(
            "WWW-Authenticate",
            "Basic realm=\"" + realm.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
  }

  /** A 4xx for a request the endpoint cannot serve as sent. */
  static HttpResponse of(HttpRequestException e) {
    String registryCode =
        switch (e.status()) {
          case 401 -> "UNAUTHORIZED";
          case 405 -> "UNSUPPORTED";
          default -> "INVALID_REQUEST";
        };
    return body(e.status(), registryCode, e.code(), e.getMessage());
  }

  private static HttpResponse body(
      int status, String registryCode, String oauthError, String text) {
    String message = HttpResponse.escape(text);
    return HttpResponse.json(
        status,
        "{\"errors\":[{\"code\":\""
            + registryCode
            + "\",\"message\":\""
            + message
            + "\"}],\"details\":\""
            + message
            + "\",\"error\":\""
            + HttpResponse.escape(oauthError)
            + "\",\"error_description\":\""
            + message
            + "\"}");
  }
}
