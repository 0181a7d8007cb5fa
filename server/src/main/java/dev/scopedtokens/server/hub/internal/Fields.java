package dev.scopedtokens.server.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scopedtokens.server.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the fields of a request body strictly. Every problem with the input surfaces as a {@link
 * HubError} naming the field that is wrong, and never its value.
 */
final class Fields {
  private Fields() {}

  /**
   * Reads the body as one JSON object.
   *
   * @throws HubError 400 for invalid UTF-8, malformed or too deeply nested JSON, or anything but an
   *     object
   */
  static ObjectNode jsonBody(HttpRequest request) {
    return Json.readObject(request.body());
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
    return switch (node.getNodeType()) {
      case NULL -> "null";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case STRING -> "a string";
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
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
        throw HubError.badRequest(byField);
      }
    }
  }
}
