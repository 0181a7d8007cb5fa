package dev.scopedtokens.server.hub;

import dev.scopedtokens.server.accounts.AccountDirectory;
import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpRequestException;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.hub.internal.HubEndpoints;
import dev.scopedtokens.server.hub.internal.SessionJwt;
import dev.scopedtokens.token.TokenService;
import java.net.URI;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The Docker Hub-compatible token management API as an {@link HttpEndpoint}: sign-in, two-factor
 * sign-in and the five {@code /v2/access-tokens} endpoints, over the core's {@link TokenService}
 * and an {@link AccountDirectory}.
 *
 * <pre>{@code
 * HubApi api = HubApi.builder(tokens, accounts).build();
 * try (JdkHttpServer server = JdkHttpServer.builder(api).errors(HubApi::render).start()) {
 *   ...
 * }
 * }</pre>
 *
 * <h2>The wire</h2>
 *
 * <ul>
 *   <li>{@code POST /v2/auth/token} {@code {"identifier", "secret"}}: 200 {@code {"access_token"}};
 *       the secret is the password or a personal access token (PAT). An account with two-factor
 *       authentication signs in here only with a PAT. Bad credentials: 401 {@code {"detail",
 *       "message", "errinfo"}}.
 *   <li>{@code POST /v2/users/login} {@code {"username", "password"}}: 200 {@code {"token"}}; with
 *       a password on an account with two-factor authentication, 401 {@code {"detail": "Require
 *       secondary authentication on MFA enabled account", "login_2fa_token"}}. Bad credentials: 401
 *       {@code {"detail"}}.
 *   <li>{@code POST /v2/users/2fa-login} {@code {"login_2fa_token", "code"}}: 200 {@code
 *       {"token"}}. The handle lives five minutes, survives five wrong codes, and is redeemed once;
 *       the code is checked by {@link AccountDirectory#verifySecondFactor}, which refuses a replay.
 *   <li>Sessions are JWTs signed ES256 with the session key, expiring {@link #SESSION_LIFETIME}
 *       after issue by the API's clock. A login with a PAT carries {@code scope} (the PAT's
 *       effective scope) and {@code source: docker_pat|<uuid>}.
 *   <li>{@code /v2/access-tokens} (GET, POST) and {@code /v2/access-tokens/{uuid}} (GET, PATCH,
 *       DELETE) need {@code Authorization: Bearer <JWT>}. Missing, malformed, tampered, expired or
 *       issued more than a minute after the API's clock, or a raw PAT: 401 {@code {"message":
 *       "unauthorized", "errinfo": {}}}. A JWT from a PAT login: 403 {@code {"message": "token
 *       issued from personal access token is not allowed", "errinfo": {}}}.
 *   <li>Validation errors: 400 {@code {"fields": {"<field>": ["<problem>"]}, "text"}}, each problem
 *       said once. A create beyond the plan's limit: 403 with {@code errinfo.code
 *       token_limit_exceeded}. Paging: {@code page}, {@code page_size} (at most 100), absolute
 *       {@code next} and {@code previous} links.
 *   <li>Rate limit (off unless {@link Builder#rateLimitPerMinute(int)}): per account for a valid
 *       bearer, per client address otherwise, in fixed minutes of the API's clock, with {@code
 *       X-RateLimit-*} headers on every answer and 429 with {@code Retry-After} over the limit.
 * </ul>
 *
 * <p>Every sign-in failure takes the same steps whether the account exists or not. Thread-safe.
 */
public final class HubApi implements HttpEndpoint {
  /** How long a session JWT lives: Docker Hub's ten minutes. */
  public static final Duration SESSION_LIFETIME = SessionJwt.LIFETIME;

  private final HubEndpoints endpoints;

  private HubApi(Builder builder) {
    this.endpoints =
        new HubEndpoints(
            builder.tokens,
            builder.accounts,
            builder.sessionKeys.orElseGet(() -> SessionJwt.generateKeyPair(builder.random)),
            builder.issuer,
            builder.clock,
            builder.random,
            builder.publicBaseUri,
            builder.rateLimit);
  }

  /**
   * A builder over {@code tokens} and {@code accounts}: the system clock, a fresh session key, no
   * rate limit, paging links on each request's {@code Host}.
   */
  public static Builder builder(TokenService tokens, AccountDirectory accounts) {
    return new Builder(tokens, accounts);
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    return endpoints.handle(request);
  }

  /**
   * A transport's own 4xx (a body too large, a malformed query) in this API's error shapes: a 400
   * as {@code {"fields", "text"}}, anything else as {@code {"detail", "message"}}. Hand it to the
   * transport, as in {@code JdkHttpServer.builder(api).errors(HubApi::render)}.
   */
  public static HttpResponse render(HttpRequestException error) {
    return HubEndpoints.render(error);
  }

  @Override
  public String toString() {
    return "HubApi";
  }

  /** Configures a {@link HubApi}; every setter checks its argument at once. */
  public static final class Builder {
    private final TokenService tokens;
    private final AccountDirectory accounts;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = new SecureRandom();
    private Optional<KeyPair> sessionKeys = Optional.empty();
    private String issuer = "scopedtokens";
    private Optional<URI> publicBaseUri = Optional.empty();
    private int rateLimit;

    private Builder(TokenService tokens, AccountDirectory accounts) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      this.accounts = Objects.requireNonNull(accounts, "accounts");
    }

    /** The clock for sessions, token status and the rate limit's windows (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The randomness for session keys, JWT ids and second-factor handles. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The P-256 key pair that signs sessions (ES256). Without one, a fresh pair is drawn at {@link
     * #build()}, and sessions do not survive a restart.
     *
     * @throws IllegalArgumentException if the pair is not EC on P-256, or its halves do not match
     */
    public Builder sessionKeys(KeyPair keys) {
      Objects.requireNonNull(keys, "keys");
      new SessionJwt(keys, issuer, clock, random); // checks the key at the call
      this.sessionKeys = Optional.of(keys);
      return this;
    }

    /** The {@code iss} claim of sessions (default {@code scopedtokens}); 1 to 200 characters. */
    public Builder issuer(String issuer) {
      Objects.requireNonNull(issuer, "issuer");
      if (issuer.isEmpty() || issuer.length() > 200) {
        throw new IllegalArgumentException("issuer: must be 1 to 200 characters");
      }
      this.issuer = issuer;
      return this;
    }

    /**
     * The base of paging links, such as {@code https://hub.example.com}; by default each request's
     * scheme and {@code Host}.
     *
     * @throws IllegalArgumentException if it is not an absolute http(s) URI without query
     */
    public Builder publicBaseUri(URI base) {
      Objects.requireNonNull(base, "base");
      String scheme = base.getScheme();
      if (!base.isAbsolute()
          || !("http".equals(scheme) || "https".equals(scheme))
          || base.getRawQuery() != null
          || base.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "publicBaseUri: must be an absolute http or https URI without query or fragment");
      }
      String text = base.toString();
      this.publicBaseUri =
          Optional.of(URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text));
      return this;
    }

    /**
     * Limits each caller to {@code requestsPerMinute} (1 or more); 0 turns the limit off (the
     * default).
     */
    public Builder rateLimitPerMinute(int requestsPerMinute) {
      if (requestsPerMinute < 0) {
        throw new IllegalArgumentException(
            "rateLimitPerMinute: " + requestsPerMinute + "; must be 0 (off) or more");
      }
      this.rateLimit = requestsPerMinute;
      return this;
    }

    /** The API. */
    public HubApi build() {
      return new HubApi(this);
    }
  }
}
