package dev.scopedtokens.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.InvalidTokenRequestException;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.PageRequest;
import dev.scopedtokens.token.PlanLimitExceededException;
import dev.scopedtokens.token.TokenNotFoundException;
import dev.scopedtokens.token.TokenOrigin;
import dev.scopedtokens.token.TokenPage;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.TokenStateException;
import dev.scopedtokens.token.TokenStatus;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The five {@code /v2/access-tokens} endpoints over the core's {@link TokenService}. */
final class TokenEndpoints {
  static final int MAX_LABEL_LENGTH = 100;
  static final int DEFAULT_PAGE_SIZE = 10;
  static final int MAX_PAGE_SIZE = 100;

  /** The {@code errinfo.code} of the answer to a create that the plan does not allow. */
  static final String TOKEN_LIMIT_CODE = "token_limit_exceeded";

  private static final DateTimeFormatter WIRE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern POSITIVE_INT = Pattern.compile("[1-9][0-9]{0,8}");
  private static final String SCOPE_VALUES =
      "repo:admin, repo:write, repo:read or repo:public_read";

  /** The core's names for request fields, and Docker's names for them on the wire. */
  private static final Map<String, String> WIRE_FIELDS =
      Map.of(
          "label", "token_label",
          "scopes", "scopes",
          "expiresAt", "expires_at",
          "expires_at", "expires_at",
          "token_label", "token_label");

  private final Accounts accounts;
  private final TokenService service;
  private final Supplier<URI> baseUri;

  TokenEndpoints(Accounts accounts, Supplier<URI> baseUri) {
    this.accounts = accounts;
    this.service = accounts.service();
    this.baseUri = baseUri;
  }

  /** {@code POST /v2/access-tokens}: 201 with the secret, the only time it is ever shown. */
  HubServer.Response create(Exchange exchange) {
    String owner = accounts.requireTokenManager(exchange);
    ObjectNode body = exchange.jsonBody();
    Exchange.Problems problems = new Exchange.Problems();
    String label =
        label(Exchange.requiredString(body, "token_label", problems.of("token_label")), problems);
    Set<Scope> scopes = scopes(body.get("scopes"), problems.of("scopes"));
    Optional<Instant> expiresAt = expiresAt(body.get("expires_at"), problems.of("expires_at"));
    problems.throwIfAny();
    ClientInfo client = clientOf(exchange);
    IssuedToken issued;
    try {
      issued = service.create(owner, new TokenRequest(label, scopes, expiresAt, client));
    } catch (InvalidTokenRequestException e) {
      throw HttpError.badRequest(wireField(e.field()), e.getMessage());
    } catch (PlanLimitExceededException e) {
      throw planLimit(e);
    }
    return HubServer.Response.json(201, toWire(issued.token(), issued.secret().reveal()));
  }

  /** {@code GET /v2/access-tokens?page=&page_size=}: one page, newest first. */
  HubServer.Response list(Exchange exchange) {
    String owner = accounts.requireTokenManager(exchange);
    Map<String, String> query = exchange.query();
    Exchange.Problems problems = new Exchange.Problems();
    int page = positive(query, "page", 1, Integer.MAX_VALUE, problems.of("page"));
    int size =
        positive(query, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, problems.of("page_size"));
    problems.throwIfAny();
    TokenPage result = service.list(owner, PageRequest.of(page, size));
    long lastPage = Math.max(1, (result.total() + size - 1) / size);
    String next = (long) page * size < result.total() ? pageUri(page + 1L, size) : null;
    String previous = page > 1 ? pageUri(Math.min(page - 1L, lastPage), size) : null;
    List<Wire.Token> results = new ArrayList<>();
    for (AccessToken token : result.tokens()) {
      results.add(toWire(token, ""));
    }
    return HubServer.Response.json(
        200, new Wire.TokenList(result.total(), next, previous, result.activeCount(), results));
  }

  /** {@code GET /v2/access-tokens/{uuid}}. */
  HubServer.Response get(Exchange exchange, UUID id) {
    String owner = accounts.requireTokenManager(exchange);
    AccessToken token = service.find(owner, id).orElseThrow(() -> notFound(id));
    return HubServer.Response.json(200, toWire(token, ""));
  }

  /** {@code PATCH /v2/access-tokens/{uuid}}: the label and/or the active flag. */
  HubServer.Response patch(Exchange exchange, UUID id) {
    String owner = accounts.requireTokenManager(exchange);
    ObjectNode body = exchange.jsonBody();
    Exchange.Problems problems = new Exchange.Problems();
    Optional<String> label =
        Exchange.optionalString(body, "token_label", problems.of("token_label"))
            .map(l -> label(l, problems));
    Optional<Boolean> active =
        Exchange.optionalBoolean(body, "is_active", problems.of("is_active"));
    problems.throwIfAny();
    try {
      AccessToken token = service.find(owner, id).orElseThrow(() -> notFound(id));
      if (label.isPresent()) {
        token = service.rename(owner, id, label.get());
      }
      if (active.isPresent()) {
        token = active.get() ? service.activate(owner, id) : service.deactivate(owner, id);
      }
      return HubServer.Response.json(200, toWire(token, ""));
    } catch (TokenNotFoundException e) {
      throw notFound(id);
    } catch (InvalidTokenRequestException e) {
      throw HttpError.badRequest(wireField(e.field()), e.getMessage());
    } catch (TokenStateException e) {
      throw HttpError.badRequest(
          active.isPresent() ? "is_active" : "token_label",
          "the token is "
              + e.status().name().toLowerCase(java.util.Locale.ROOT)
              + "; it can only be deleted");
    }
  }

  /** {@code DELETE /v2/access-tokens/{uuid}}: 204. */
  HubServer.Response delete(Exchange exchange, UUID id) {
    String owner = accounts.requireTokenManager(exchange);
    try {
      service.delete(owner, id);
    } catch (TokenNotFoundException e) {
      throw notFound(id);
    }
    return HubServer.Response.noContent();
  }

  private static String label(String label, Exchange.Problems problems) {
    int length = label.codePointCount(0, label.length());
    if (length < 1 || length > MAX_LABEL_LENGTH) {
      problems
          .of("token_label")
          .add("Must be 1 to " + MAX_LABEL_LENGTH + " characters; got " + length + ".");
    }
    return label;
  }

  private static Set<Scope> scopes(JsonNode node, List<String> problems) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    if (node == null || node.isNull()) {
      problems.add("This field is required: a list of " + SCOPE_VALUES + ".");
      return scopes;
    }
    if (!node.isArray()) {
      problems.add("Must be a list of strings, not " + Exchange.kind(node) + ".");
      return scopes;
    }
    if (node.isEmpty()) {
      problems.add("Must name at least one of " + SCOPE_VALUES + ".");
      return scopes;
    }
    for (JsonNode item : node) {
      Optional<Scope> scope = item.isTextual() ? Scope.find(item.asText()) : Optional.empty();
      if (scope.isPresent()) {
        scopes.add(scope.get());
      } else {
        problems.add(
            (item.isTextual() ? "Unknown scope " + shorten(item.asText()) : "Not a string")
                + "; valid scopes are "
                + SCOPE_VALUES
                + ".");
      }
    }
    return scopes;
  }

  private static Optional<Instant> expiresAt(JsonNode node, List<String> problems) {
    // Absent, null and "" all mean "never", the three forms Docker writes.
    if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      problems.add("Must be an RFC 3339 date-time string, not " + Exchange.kind(node) + ".");
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(node.asText()).toInstant());
    } catch (DateTimeParseException e) {
      problems.add("Must be an RFC 3339 date-time such as 2030-01-31T00:00:00Z.");
      return Optional.empty();
    }
  }

  private static int positive(
      Map<String, String> query, String name, int fallback, int max, List<String> problems) {
    String value = query.get(name);
    if (value == null) {
      return fallback;
    }
    if (!POSITIVE_INT.matcher(value).matches() || Long.parseLong(value) > max) {
      problems.add("Must be a whole number from 1 to " + max + ".");
      return fallback;
    }
    return Integer.parseInt(value);
  }

  private String pageUri(long page, int size) {
    return baseUri.get() + "/v2/access-tokens?page=" + page + "&page_size=" + size;
  }

  private ClientInfo clientOf(Exchange exchange) {
    return new ClientInfo(
        Optional.of("HUB"),
        Optional.of(exchange.remoteIp()),
        exchange.header("User-Agent").map(TokenEndpoints::sanitize));
  }

  /** Keeps a client-supplied value within what {@link ClientInfo} accepts. */
  private static String sanitize(String value) {
    String printable =
        value
            .codePoints()
            .filter(c -> !Character.isISOControl(c))
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return printable.length() > ClientInfo.MAX_LENGTH
        ? printable.substring(0, ClientInfo.MAX_LENGTH)
        : printable;
  }

  /**
   * Docker's token object. {@code is_active} is true only for a token that works now, so that it
   * agrees with {@code active_count}: an expired or revoked token reads as inactive.
   */
  private Wire.Token toWire(AccessToken token, String secret) {
    Instant now = accounts.clock().instant();
    List<String> scopes = new ArrayList<>();
    token.scopes().forEach(s -> scopes.add(s.wireValue()));
    return new Wire.Token(
        token.id().toString(),
        token.client().clientId().orElse(""),
        token.client().ip().orElse(""),
        token.client().userAgent().orElse(""),
        WIRE_TIME.format(token.createdAt()),
        token.lastUsedAt().map(WIRE_TIME::format).orElse(null),
        token.origin() == TokenOrigin.MANUAL ? "manual" : "autogenerated",
        token.status(now) == TokenStatus.ACTIVE,
        secret,
        token.label(),
        scopes,
        token.expiresAt().map(WIRE_TIME::format).orElse(null));
  }

  private static String wireField(String coreField) {
    return WIRE_FIELDS.getOrDefault(coreField, coreField);
  }

  private static HttpError notFound(UUID id) {
    return HttpError.notFound("access token " + id + " not found");
  }

  private static HttpError planLimit(PlanLimitExceededException e) {
    Map<String, Object> errinfo = new LinkedHashMap<>();
    errinfo.put("code", TOKEN_LIMIT_CODE);
    errinfo.put("plan", e.planName());
    errinfo.put("limit", e.limit());
    errinfo.put("current", e.current());
    String text =
        "access token limit reached: plan "
            + e.planName()
            + " allows "
            + e.limit()
            + "; delete a token first";
    return new HttpError(403, new Wire.ErrorBody(text, text, errinfo));
  }

  private static String shorten(String value) {
    return '"' + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + '"';
  }
}
