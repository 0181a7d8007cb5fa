package dev.scopedtokens.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.scopedtokens.client.AccessTokenPage;
import dev.scopedtokens.client.CreatedAccessToken;
import dev.scopedtokens.client.HubAccessToken;
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
 * The JSON bodies of Docker Hub's access-token and login API, and their mapping to the public
 * types. Reading is tolerant: unknown fields are ignored, {@code expires_at} may be absent, null or
 * empty, counts may be written as {@code 1.0}; anything else that does not fit is a {@link
 * WireException} naming the field.
 */
final class Wire {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Wire() {}

  // ---------------------------------------------------------------- requests

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CreateBody(
      @JsonProperty("token_label") String label,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("expires_at") String expiresAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PatchBody(
      @JsonProperty("token_label") String label, @JsonProperty("is_active") Boolean active) {}

  /** {@code POST /v2/users/login}. Not printable: it holds the password. */
  record LoginBody(
      @JsonProperty("username") String username, @JsonProperty("password") String password) {
    @Override
    public String toString() {
      return "LoginBody[username=" + username + ", password=redacted]";
    }
  }

  /** {@code POST /v2/users/2fa-login}. */
  record TwoFactorBody(
      @JsonProperty("login_2fa_token") String loginToken, @JsonProperty("code") String code) {
    @Override
    public String toString() {
      return "TwoFactorBody[redacted]";
    }
  }

  /** {@code POST /v2/auth/token}. */
  record AuthTokenBody(
      @JsonProperty("identifier") String identifier, @JsonProperty("secret") String secret) {
    @Override
    public String toString() {
      return "AuthTokenBody[identifier=" + identifier + ", secret=redacted]";
    }
  }

  // ---------------------------------------------------------------- responses

  /** The token object. {@code token} is the secret on create and {@code ""} everywhere else. */
  record TokenBody(
      @JsonProperty("uuid") String uuid,
      @JsonProperty("client_id") String clientId,
      @JsonProperty("creator_ip") String creatorIp,
      @JsonProperty("creator_ua") String creatorUa,
      @JsonProperty("created_at") String createdAt,
      @JsonProperty("last_used") String lastUsed,
      @JsonProperty("generated_by") String generatedBy,
      @JsonProperty("is_active") Boolean active,
      @JsonProperty("token") String token,
      @JsonProperty("token_label") String label,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("expires_at") String expiresAt) {
    @Override
    public String toString() {
      return "TokenBody[uuid=" + uuid + ", token=redacted]";
    }
  }

  record PageBody(
      @JsonProperty("count") BigDecimal count,
      @JsonProperty("next") String next,
      @JsonProperty("previous") String previous,
      @JsonProperty("active_count") BigDecimal activeCount,
      @JsonProperty("results") List<TokenBody> results) {}

  /** {@code /v2/users/login} and {@code /v2/users/2fa-login}, success and failure alike. */
  record LoginResponse(
      @JsonProperty("token") String token,
      @JsonProperty("detail") String detail,
      @JsonProperty("login_2fa_token") String loginToken) {
    @Override
    public String toString() {
      return "LoginResponse[redacted]";
    }
  }

  /** {@code /v2/auth/token}. */
  record AuthTokenResponse(@JsonProperty("access_token") String accessToken) {
    @Override
    public String toString() {
      return "AuthTokenResponse[redacted]";
    }
  }

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

  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    // Only non-secret fields are quoted; still bound the length so a hostile body cannot flood a
    // log.
    String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    StringBuilder out = new StringBuilder("\"");
    shown.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.append('"').toString();
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
      throw new WireException(field + ": " + quote(value) + " is not a UUID", e);
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
    long result;
    try {
      result = value.longValueExact();
    } catch (ArithmeticException e) {
      throw new WireException(field + ": " + value.toPlainString() + " is not a whole number", e);
    }
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
      throw new WireException(field + ": " + quote(value) + " is not a URI", e);
    }
  }

  /** Describes where reading failed by JSON path or position, never by the offending text. */
  private static String where(IOException e) {
    if (e instanceof JsonMappingException && !((JsonMappingException) e).getPath().isEmpty()) {
      StringBuilder path = new StringBuilder("at ");
      for (JsonMappingException.Reference ref : ((JsonMappingException) e).getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() > 3 ? "." : "").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      return path + ", wrong type";
    }
    if (e instanceof JsonProcessingException
        && ((JsonProcessingException) e).getLocation() != null) {
      JsonLocation location = ((JsonProcessingException) e).getLocation();
      return "malformed JSON at line "
          + location.getLineNr()
          + ", column "
          + location.getColumnNr();
    }
    return "unreadable";
  }
}
