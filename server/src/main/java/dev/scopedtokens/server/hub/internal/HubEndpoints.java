package dev.scopedtokens.server.hub.internal;

import dev.scopedtokens.server.accounts.AccountDirectory;
import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpRequestException;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.http.Routes;
import dev.scopedtokens.token.TokenService;
import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The management API's routes, its rate limit and its error shapes; {@code HubApi} configures it.
 */
public final class HubEndpoints implements HttpEndpoint {
  private static final Pattern UUID_PATTERN =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9.\\-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:[0-9]{1,5})?");

  private final Logins logins;
  private final Routes routes;
  private final Optional<RateLimiter> rateLimiter;

  /**
   * The API over {@code service} and {@code accounts}.
   *
   * @param publicBaseUri the base of paging links; empty to take it from each request's {@code
   *     Host}
   * @param rateLimitPerMinute requests per minute per caller, or 0 for no limit
   */
  public HubEndpoints(
      TokenService service,
      AccountDirectory accounts,
      KeyPair sessionKeys,
      String issuer,
      Clock clock,
      SecureRandom random,
      Optional<URI> publicBaseUri,
      int rateLimitPerMinute) {
    SessionJwt jwt = new SessionJwt(sessionKeys, issuer, clock, random);
    this.logins = new Logins(service, accounts, jwt, clock, random);
    Function<HttpRequest, URI> base =
        publicBaseUri.isPresent() ? request -> publicBaseUri.get() : HubEndpoints::baseOf;
    TokenEndpoints tokens = new TokenEndpoints(logins, service, clock, base);
    this.routes =
        Routes.builder()
            .route("POST", "/v2/auth/token", logins::authToken)
            .route("POST", "/v2/users/login", logins::login)
            .route("POST", "/v2/users/2fa-login", logins::twoFactorLogin)
            .route("GET", "/v2/access-tokens", tokens::list)
            .route("POST", "/v2/access-tokens", tokens::create)
            .route("GET", "/v2/access-tokens/{id}", request -> tokens.get(request, id(request)))
            .route("PATCH", "/v2/access-tokens/{id}", request -> tokens.patch(request, id(request)))
            .route(
                "DELETE", "/v2/access-tokens/{id}", request -> tokens.delete(request, id(request)))
            .errors(HubEndpoints::render)
            .build();
    this.rateLimiter =
        rateLimitPerMinute == 0
            ? Optional.empty()
            : Optional.of(new RateLimiter(rateLimitPerMinute, clock));
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    Map<String, String> rateHeaders = Map.of();
    HttpResponse response;
    try {
      if (rateLimiter.isPresent()) {
        RateLimiter.Decision decision = rateLimiter.get().acquire(caller(request));
        rateHeaders = rateHeaders(decision);
        if (!decision.allowed()) {
          return withHeaders(rateLimited(decision), rateHeaders);
        }
      }
      response = routes.handle(request);
    } catch (HubError e) {
      response = e.toResponse();
    }
    return withHeaders(response, rateHeaders);
  }

  /**
   * An {@link HttpRequestException} (from the transport or the neutral HTTP layer) in Docker Hub's
   * shapes: a 400 as a {@code ValueError} naming the part at fault, anything else as an {@code
   * Error}.
   */
  public static HttpResponse render(HttpRequestException e) {
    if (e.status() == 400) {
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      boolean named = colon > 0 && message.substring(0, colon).matches("[A-Za-z_ -]{1,40}");
      return HubError.badRequest(
              named ? message.substring(0, colon) : "request",
              named ? message.substring(colon + 2) : message)
          .toResponse();
    }
    return Json.response(e.status(), new Wire.ErrorBody(e.getMessage(), e.code(), null));
  }

  /** The API routes a handler throwing {@link HubError} to its answer. */
  private static UUID id(HttpRequest request) {
    String id = request.pathParameter("id");
    if (!UUID_PATTERN.matcher(id).matches()) {
      throw new HubError(404, new Wire.ErrorBody("Not found.", "no such path", null));
    }
    return UUID.fromString(id);
  }

  /** The rate limit's key: the signed-in account when there is one, else the client's address. */
  private String caller(HttpRequest request) {
    return logins
        .bearerSubject(request)
        .map(subject -> "user:" + subject)
        .orElseGet(() -> "ip:" + request.remoteAddress());
  }

  private static URI baseOf(HttpRequest request) {
    String host = request.headers().first("Host").orElse("");
    if (!HOST.matcher(host).matches()) {
      throw HttpRequestException.badRequest("Host: must be a host name or address and a port");
    }
    return URI.create((request.secure() ? "https://" : "http://") + host);
  }

  private static Map<String, String> rateHeaders(RateLimiter.Decision decision) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-RateLimit-Limit", Integer.toString(decision.limit()));
    headers.put("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
    headers.put("X-RateLimit-Reset", Long.toString(decision.reset().getEpochSecond()));
    return headers;
  }

  private static HttpResponse rateLimited(RateLimiter.Decision decision) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Retry-After", Long.toString(decision.retryAfterSeconds()));
    headers.put("X-Retry-After", Long.toString(decision.reset().getEpochSecond()));
    return new HubError(429, new Wire.RateLimited("Rate limit exceeded", false), headers)
        .toResponse();
  }

  /** {@code response} with {@code extra} headers added; its own win on a clash. */
  private static HttpResponse withHeaders(HttpResponse response, Map<String, String> extra) {
    HttpResponse result = response;
    for (Map.Entry<String, String> header : extra.entrySet()) {
      if (response.headers().first(header.getKey()).isEmpty()) {
        result = result.withHeader(header.getKey(), header.getValue());
      }
    }
    return result;
  }
}
