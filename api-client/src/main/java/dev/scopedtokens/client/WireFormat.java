package dev.scopedtokens.client;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.scopedtokens.client.internal.Wire;
import dev.scopedtokens.client.internal.Wire.PageBody;
import dev.scopedtokens.client.internal.Wire.TokenBody;
import dev.scopedtokens.secret.TokenSecret;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and writes the JSON bodies of {@link Wire}, and maps them to the public types. Reading is
 * tolerant: unknown fields are ignored, {@code expires_at} may be absent, null or empty, counts may
 * be written as {@code 1.0}; anything else that does not fit is a {@link WireException} naming the
 * field.
 */
final class WireFormat {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Numbers are read exactly, never rounded to a double: 1e-999999999 must not become 0,
          // nor 1e999999999 infinity; plausible() then refuses both before anything expands them.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private WireFormat() {}

  // ---------------------------------------------------------------- reading and writing

  static byte[] write(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // Only the records above are written; they always serialize.
      throw new IllegalStateException("cannot write " + body.getClass().getSimpleName(), e);
    }
  }

  static <T> T read(byte[] body, Class<T> type) throws WireException {
    if (body.length == 0) {
      throw new WireException("body: empty; expected a JSON object");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new WireException("body: null; expected a JSON object");
      }
      return value;
    } catch (IOException e) {
      // Jackson's message may quote the body, and a body may hold a secret: keep only the place.
      throw new WireException("body: not the expected JSON object (" + where(e) + ")");
    }
  }

  /** Reads any JSON tree, or empty when the body is not JSON (an HTML error page, say). */
  static Optional<JsonNode> tree(byte[] body) {
    if (body.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(MAPPER.readTree(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static HubAccessToken token(TokenBody body, String where) throws WireException {
    if (body == null) {
      throw new WireException(where + ": null; expected a token object");
    }
    UUID uuid = uuid(where + ".uuid", body.uuid());
    String label = required(where + ".token_label", body.label());
    if (body.active() == null) {
      throw new WireException(where + ".is_active: missing; expected true or false");
    }
    Instant createdAt =
        Rfc3339.parse(where + ".created_at", required(where + ".created_at", body.createdAt()));
    List<String> scopes = new ArrayList<>();
    if (body.scopes() != null) {
      for (int i = 0; i < body.scopes().size(); i++) {
        scopes.add(required(where + ".scopes[" + i + "]", body.scopes().get(i)));
      }
    }
    return new HubAccessToken(
        uuid,
        label,
        scopes,
        body.active(),
        body.generatedBy() == null ? "" : body.generatedBy(),
        text(body.clientId()),
        text(body.creatorIp()),
        text(body.creatorUa()),
        createdAt,
        instant(where + ".last_used", body.lastUsed()),
        instant(where + ".expires_at", body.expiresAt()));
  }

  static CreatedAccessToken created(byte[] body) throws WireException {
    TokenBody token = read(body, TokenBody.class);
    HubAccessToken metadata = token(token, "token");
    if (token.token() == null || token.token().isEmpty()) {
      throw new WireException(
          "token.token: missing; a created token's secret is returned once, on create");
    }
    return new CreatedAccessToken(metadata, TokenSecret.of(token.token()));
  }

  static AccessTokenPage page(byte[] body, URI requestUri) throws WireException {
    PageBody page = read(body, PageBody.class);
    if (page.results() == null) {
      throw new WireException("results: missing; expected an array of tokens");
    }
    List<HubAccessToken> tokens = new ArrayList<>(page.results().size());
    for (int i = 0; i < page.results().size(); i++) {
      tokens.add(token(page.results().get(i), "results[" + i + "]"));
    }
    return new AccessTokenPage(
        count("count", page.count()),
        count("active_count", page.activeCount()),
        link("next", page.next(), requestUri),
        link("previous", page.previous(), requestUri),
        tokens);
  }

  /**
   * Reads the server's error body: its message ({@code message}, then {@code detail}, then {@code
   * text}) and its field errors ({@code fields}, each a string or an array of strings).
   */
  static ErrorBody error(byte[] body) {
    Optional<JsonNode> tree = tree(body).filter(JsonNode::isObject);
    if (tree.isEmpty()) {
      return new ErrorBody(Optional.empty(), Map.of(), Optional.empty());
    }
    JsonNode node = tree.get();
    Optional<String> message = Optional.empty();
    for (String key : List.of("message", "detail", "text")) {
      JsonNode value = node.get(key);
      if (value != null && value.isTextual() && !value.asText().isBlank()) {
        message = Optional.of(value.asText());
        break;
      }
    }
    Map<String, List<String>> fields = new LinkedHashMap<>();
    JsonNode fieldsNode = node.get("fields");
    if (fieldsNode != null && fieldsNode.isObject()) {
      for (Map.Entry<String, JsonNode> field : fieldsNode.properties()) {
        List<String> errors = new ArrayList<>();
        if (field.getValue().isArray()) {
          field.getValue().forEach(e -> errors.add(e.isTextual() ? e.asText() : e.toString()));
        } else if (!field.getValue().isNull()) {
          errors.add(
              field.getValue().isTextual()
                  ? field.getValue().asText()
                  : field.getValue().toString());
        }
        fields.put(field.getKey(), errors);
      }
    }
    return new ErrorBody(message, fields, Optional.of(node));
  }

  /**
   * An error response as the server wrote it.
   *
   * @param message the server's message, not yet redacted
   * @param fields the field errors, not yet redacted
   * @param json the whole body, when it was a JSON object
   */
  record ErrorBody(
      Optional<String> message, Map<String, List<String>> fields, Optional<JsonNode> json) {
    Optional<String> textField(String name) {
      return json.map(j -> j.get(name)).filter(JsonNode::isTextual).map(JsonNode::asText);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Numbers beyond these bounds are refused before anything expands them. */
  private static final int MAX_PRECISION = 64;

  private static final int MAX_SCALE = 64;

  /**
   * Whether a number is one the client will work with: at most {@value #MAX_PRECISION} digits and
   * an exponent within {@value #MAX_SCALE} either way. {@code 1e999999999} is not: writing it out,
   * or rounding it, would cost a billion digits.
   */
  static boolean plausible(BigDecimal value) {
    return value.precision() <= MAX_PRECISION && Math.abs((long) value.scale()) <= MAX_SCALE;
  }

  /** A JSON number as a {@link BigDecimal}, when it is finite and {@linkplain #plausible}. */
  static Optional<BigDecimal> boundedDecimal(JsonNode node) {
    if (node == null || !node.isNumber()) {
      return Optional.empty();
    }
    if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
      return Optional.empty();
    }
    BigDecimal value = node.decimalValue();
    return plausible(value) ? Optional.of(value) : Optional.empty();
  }

  /** The value as a long, when it is a whole number ({@code 3}, {@code 3.0}) that fits one. */
  static Optional<Long> exactLong(BigDecimal plausible) {
    try {
      return Optional.of(plausible.stripTrailingZeros().longValueExact());
    } catch (ArithmeticException notWholeOrTooLarge) {
      return Optional.empty();
    }
  }

  private static String required(String field, String value) throws WireException {
    if (value == null) {
      throw new WireException(field + ": missing; expected a string");
    }
    return value;
  }

  private static UUID uuid(String field, String value) throws WireException {
    try {
      return UUID.fromString(required(field, value));
    } catch (IllegalArgumentException e) {
      // The cause is not kept: its message quotes the server's text.
      throw new WireException(field, value, "is not a UUID");
    }
  }

  private static Optional<String> text(String value) {
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Absent, null and "" all mean "none": servers disagree on how to say "never". */
  private static Optional<Instant> instant(String field, String value) throws WireException {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(Rfc3339.parse(field, value));
  }

  private static long count(String field, BigDecimal value) throws WireException {
    if (value == null) {
      throw new WireException(field + ": missing; expected a whole number");
    }
    if (!plausible(value)) {
      throw new WireException(
          field
              + ": a number with "
              + value.precision()
              + " digits and exponent "
              + (-(long) value.scale())
              + " is out of range; expected a whole number");
    }
    long result =
        exactLong(value)
            .orElseThrow(() -> new WireException(field + ": " + value + " is not a whole number"));
    if (result < 0) {
      throw new WireException(field + ": " + result + " is negative");
    }
    return result;
  }

  private static Optional<URI> link(String field, String value, URI requestUri)
      throws WireException {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      // The API sends absolute links; a relative one is read against the request it answered.
      return Optional.of(requestUri.resolve(new URI(value.trim())));
    } catch (URISyntaxException e) {
      throw new WireException(field, value, "is not a URI");
    }
  }

  /** Describes where reading failed by JSON path or position, never by the offending text. */
  private static String where(IOException e) {
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder("at ");
      for (JsonMappingException.Reference ref : mapping.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() > 3 ? "." : "").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      return path + ", wrong type";
    }
    if (e instanceof JsonProcessingException processing && processing.getLocation() != null) {
      JsonLocation location = processing.getLocation();
      return "malformed JSON at line "
          + location.getLineNr()
          + ", column "
          + location.getColumnNr();
    }
    return "unreadable";
  }
}
