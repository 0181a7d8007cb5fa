package dev.scopedtokens.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as the endpoints see it: its query parameters, headers and body, read strictly. Every
 * problem with the input surfaces as an {@link HttpError} naming the part that is wrong.
 */
final class Exchange {
  private final HttpExchange http;

  Exchange(HttpExchange http) {
    this.http = http;
  }

  /** Returns a request header, when present. */
  Optional<String> header(String name) {
    return Optional.ofNullable(http.getRequestHeaders().getFirst(name));
  }

  /** Returns the caller's IP address. */
  String remoteIp() {
    return http.getRemoteAddress().getAddress().getHostAddress();
  }

  /**
   * Returns the query parameters, the first value of each.
   *
   * @throws HttpError 400 when the query is not valid percent-encoding
   */
  Map<String, String> query() {
    Map<String, String> parameters = new LinkedHashMap<>();
    String raw = http.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        parameters.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw HttpError.badRequest("query", "not valid percent-encoding");
      }
    }
    return parameters;
  }

  /**
   * Reads the body as one JSON object.
   *
   * @throws HttpError 413 when it exceeds 1 MiB; 400 for invalid UTF-8, malformed or too deeply
   *     nested JSON, or anything but an object
   */
  ObjectNode jsonBody() {
    byte[] bytes;
    try {
      String length = http.getRequestHeaders().getFirst("Content-Length");
      long declared = -1;
      if (length != null) {
        try {
          declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          throw HttpError.badRequest("Content-Length", "not a number");
        }
      }
      bytes = HttpBodies.read(http.getRequestBody(), declared);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Json.readObject(bytes);
  }

  /** Returns a required string field. */
  static String requiredString(ObjectNode body, String field, List<String> problems) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      problems.add("This field is required and must be a string.");
      return "";
    }
    if (!node.isTextual()) {
      problems.add("Must be a string, not " + kind(node) + ".");
      return "";
    }
    return node.asText();
  }

  /** Returns a field that is a string when present; {@code null} in the JSON is a wrong type. */
  static Optional<String> optionalString(ObjectNode body, String field, List<String> problems) {
    JsonNode node = body.get(field);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      problems.add("Must be a string, not " + kind(node) + ".");
      return Optional.empty();
    }
    return Optional.of(node.asText());
  }

  /** Returns a field that is a boolean when present; {@code null} in the JSON is a wrong type. */
  static Optional<Boolean> optionalBoolean(ObjectNode body, String field, List<String> problems) {
    JsonNode node = body.get(field);
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isBoolean()) {
      problems.add("Must be true or false, not " + kind(node) + ".");
      return Optional.empty();
    }
    return Optional.of(node.asBoolean());
  }

  /** Names the JSON type of a node for a message, without echoing its value. */
  static String kind(JsonNode node) {
    switch (node.getNodeType()) {
      case NULL:
        return "null";
      case BOOLEAN:
        return "a boolean";
      case NUMBER:
        return "a number";
      case STRING:
        return "a string";
      case ARRAY:
        return "an array";
      case OBJECT:
      case POJO:
        return "an object";
      default:
        return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Collects the problems of several fields and throws one 400 naming all of them. */
  static final class Problems {
    private final Map<String, List<String>> byField = new LinkedHashMap<>();

    List<String> of(String field) {
      return byField.computeIfAbsent(field, f -> new ArrayList<>());
    }

    void throwIfAny() {
      byField.values().removeIf(List::isEmpty);
      if (!byField.isEmpty()) {
        throw HttpError.badRequest(byField);
      }
    }
  }
}
