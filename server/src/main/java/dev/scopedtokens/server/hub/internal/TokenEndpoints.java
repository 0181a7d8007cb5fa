package dev.scopedtokens.server.hub.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scopedtokens.internal.Messages;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.http.Parameters;
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
import java.time.Clock;
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
import java.util.function.Function;
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

  private final Logins logins;
  private final TokenService service;
  private final Clock clock;
  private final Function<HttpRequest, URI> baseUri;

  TokenEndpoints(
      Logins logins, TokenService service, Clock clock, Function<HttpRequest, URI> baseUri) {
    this.logins = logins;
    this.service = service;
    this.clock = clock;
    this.baseUri = baseUri;
  }

  /** {@code POST /v2/access-tokens}: 201 with the secret, the only time it is ever shown. */
  HttpResponse create(HttpRequest request) {
    String owner = logins.requireTokenManager(request);
    ObjectNode body = Fields.jsonBody(request);
    Fields.Problems problems = new Fields.Problems();
    String label =
        label(Fields.requiredString(body, "token_label", problems.of("token_label")), problems);
    Set<Scope> scopes = scopes(body.get("scopes"), problems.of("scopes"));
    Optional<Instant> expiresAt = expiresAt(body.get("expires_at"), problems.of("expires_at"));
    problems.throwIfAny();
    ClientInfo client = clientOf(request);
    IssuedToken issued;
    try {
      issued = service.create(owner, new TokenRequest(label, scopes, expiresAt, client));
    } catch (InvalidTokenRequestException e) {
      throw invalid(e);
    } catch (PlanLimitExceededException e) {
      throw planLimit(e);
    }
    return Json.response(201, toWire(issued.token(), issued.secret().reveal()));
  }

  /** {@code GET /v2/access-tokens?page=&page_size=}: one page, newest first. */
  HttpResponse list(HttpRequest request) {
    String owner = logins.requireTokenManager(request);
    Parameters query = request.query();
    Fields.Problems problems = new Fields.Problems();
    int page = positive(query, "page", 1, Integer.MAX_VALUE, problems.of("page"));
    int size =
        positive(query, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, problems.of("page_size"));
    problems.throwIfAny();
    TokenPage result = service.list(owner, PageRequest.of(page, size));
    long lastPage = Math.max(1, (result.total() + size - 1) / size);
    String next = (long) page * size < result.total() ? pageUri(request, page + 1L, size) : null;
    String previous = page > 1 ? pageUri(request, Math.min(page - 1L, lastPage), size) : null;
    List<Wire.Token> results = new ArrayList<>();
    for (AccessToken token : result.tokens()) {
      results.add(toWire(token, ""));
    }
    return Json.response(
        200, new Wire.TokenList(result.total(), next, previous, result.activeCount(), results));
  }

  /** {@code GET /v2/access-tokens/{uuid}}. */
  HttpResponse get(HttpRequest request, UUID id) {
    String owner = logins.requireTokenManager(request);
    AccessToken token = service.find(owner, id).orElseThrow(() -> notFound(id));
    return Json.response(200, toWire(token, ""));
  }

  /** {@code PATCH /v2/access-tokens/{uuid}}: the label and/or the active flag. */
  HttpResponse patch(HttpRequest request, UUID id) {
    String owner = logins.requireTokenManager(request);
    ObjectNode body = Fields.jsonBody(request);
    Fields.Problems problems = new Fields.Problems();
    Optional<String> label =
        Fields.optionalString(body, "token_label", problems.of("token_label"))
            .map(l -> label(l, problems));
    Optional<Boolean> active = Fields.optionalBoolean(body, "is_active", problems.of("is_active"));
    problems.throwIfAny();
    try {
      AccessToken token = service.find(owner, id).orElseThrow(() -> notFound(id));
      if (label.isPresent()) {
        token = service.rename(owner, id, label.get());
      }
      if (active.isPresent()) {
        token = active.get() ? service.activate(owner, id) : service.deactivate(owner, id);
      }
      return Json.response(200, toWire(token, ""));
    } catch (TokenNotFoundException e) {
      throw notFound(id);
    } catch (InvalidTokenRequestException e) {
      throw invalid(e);
    } catch (TokenStateException e) {
      throw HubError.badRequest(
          active.isPresent() ? "is_active" : "token_label",
          "the token is "
              + e.status().name().toLowerCase(java.util.Locale.ROOT)
              + "; it can only be deleted");
    }
  }

  /** {@code DELETE /v2/access-tokens/{uuid}}: 204. */
  HttpResponse delete(HttpRequest request, UUID id) {
    String owner = logins.requireTokenManager(request);
    try {
      service.delete(owner, id);
    } catch (TokenNotFoundException e) {
      throw notFound(id);
    }
    return HttpResponse.empty(204);
  }

  private static String label(String label, Fields.Problems problems) {
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
      problems.add("Must be a list of strings, not " + Fields.kind(node) + ".");
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
            (item.isTextual() ? "Unknown scope " + Messages.quote(item.asText()) : "Not a string")
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
      problems.add("Must be an RFC 3339 date-time string, not " + Fields.kind(node) + ".");
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
      Parameters query, String name, int fallback, int max, List<String> problems) {
    Optional<String> given = query.first(name);
    if (given.isEmpty()) {
      return fallback;
    }
    String value = given.get();
    if (!POSITIVE_INT.matcher(value).matches() || Long.parseLong(value) > max) {
      problems.add("Must be a whole number from 1 to " + max + ".");
      return fallback;
    }
    return Integer.parseInt(value);
  }

  private String pageUri(HttpRequest request, long page, int size) {
    return baseUri.apply(request) + "/v2/access-tokens?page=" + page + "&page_size=" + size;
  }

  /**
   * Who asked, as far as the token's record goes. The user agent is the client's own text: one that
   * the core's free-text rule refuses (a control or bidi character, a token pasted into it) or that
   * is too long is left out rather than failing the request, so no client can turn its own header
   * into a refused create, and nothing the rule refuses is ever stored.
   */
  private ClientInfo clientOf(HttpRequest request) {
    ClientInfo withoutAgent =
        new ClientInfo(Optional.of("HUB"), Optional.of(request.remoteAddress()), Optional.empty());
    Optional<String> agent =
        request.headers().first("User-Agent").filter(a -> a.length() <= ClientInfo.MAX_LENGTH);
    if (agent.isEmpty()) {
      return withoutAgent;
    }
    try {
      return withoutAgent.withUserAgent(agent.get());
    } catch (InvalidTokenRequestException e) {
      return withoutAgent;
    }
  }

  /**
   * Docker's token object. {@code is_active} is true only for a token that works now, so that it
   * agrees with {@code active_count}: an expired or revoked token reads as inactive.
   */
  private Wire.Token toWire(AccessToken token, String secret) {
    Instant now = clock.instant();
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

  /**
   * 400 for a request the core refused, under the field's wire name. The core's message starts with
   * its own name for the field, which the answer names already: it is said once.
   */
  private static HubError invalid(InvalidTokenRequestException e) {
    String message = e.getMessage();
    String prefix = e.field() + ": ";
    String problem = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    return HubError.badRequest(wireField(e.field()), problem);
  }

  private static HubError notFound(UUID id) {
    return HubError.notFound("access token " + id + " not found");
  }

  private static HubError planLimit(PlanLimitExceededException e) {
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
    return new HubError(403, new Wire.ErrorBody(text, text, errinfo));
  }
}
