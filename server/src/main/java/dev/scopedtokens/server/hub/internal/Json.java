package dev.scopedtokens.server.hub.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scopedtokens.server.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The management API's one Jackson configuration, and the strict reading of request bodies. */
final class Json {
  /** The deepest nesting a request body may have; the API's bodies need 2. */
  static final int MAX_NESTING_DEPTH = 32;

  /** The longest string a body may hold; the adapter bounds the body itself. */
  private static final int MAX_STRING_LENGTH = 1 << 20;

  static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .maxNumberLength(100)
                          .build())
                  .build())
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /**
   * A JSON answer with a wire record or a tree as its body, typed {@code application/json} as
   * Docker Hub types it (JSON is UTF-8 by definition).
   */
  static HttpResponse response(int status, Object body) {
    return HttpResponse.json(status, bytes(body)).withHeader("Content-Type", "application/json");
  }

  /** Serializes a wire record or a tree. */
  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      // Our own records always serialize; anything else is a bug in this server.
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads a request body that must be one JSON object in strict UTF-8.
   *
   * @throws HubError 400 naming {@code body} for invalid UTF-8, malformed JSON, nesting deeper than
   *     {@value #MAX_NESTING_DEPTH}, or anything but an object
   */
  static ObjectNode readObject(byte[] body) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
    } catch (CharacterCodingException e) {
      throw HubError.badRequest("body", "the request body is not valid UTF-8");
    }
    if (text.isBlank()) {
      throw HubError.badRequest("body", "a JSON object is required; the request body is empty");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (StreamConstraintsException e) {
      throw HubError.badRequest(
          "body",
          "the JSON is too deeply nested or too long; at most "
              + MAX_NESTING_DEPTH
              + " levels are allowed");
    } catch (JsonProcessingException e) {
      // Only the position: Jackson's own message would echo part of the body, which may be a
      // password.
      JsonLocation at = e.getLocation();
      throw HubError.badRequest(
          "body",
          at == null
              ? "malformed JSON"
              : "malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }
    if (tree == null || !tree.isObject()) {
      throw HubError.badRequest("body", "a JSON object is required");
    }
    return (ObjectNode) tree;
  }
}
