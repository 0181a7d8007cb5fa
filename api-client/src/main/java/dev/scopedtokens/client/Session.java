package dev.scopedtokens.client;

import dev.scopedtokens.client.internal.Wire;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * Holds the bearer JWT and logs in when there is none, when it is about to expire, or after the
 * server refused it. Thread-safe: concurrent callers that find the JWT due share one login.
 */
final class Session implements Auth {
  /** How long before {@code exp} the JWT is renewed, so that it never expires in flight. */
  static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(30);

  private final Credentials credentials;
  private final URI baseUri;
  private final Clock clock;
  private final Redactor redactor;
  private final RequestExecutor executor;
  private final Object lock = new Object();

  private volatile Bearer current;

  Session(
      Credentials credentials,
      URI baseUri,
      Clock clock,
      Redactor redactor,
      RequestExecutor executor) {
    this.credentials = credentials;
    this.baseUri = baseUri;
    this.clock = clock;
    this.redactor = redactor;
    this.executor = executor;
  }

  @Override
  public String bearer() {
    Bearer bearer = current;
    if (bearer != null && !bearer.due(clock.instant())) {
      return bearer.jwt();
    }
    synchronized (lock) {
      bearer = current;
      if (bearer == null || bearer.due(clock.instant())) {
        bearer = bearerFor(obtain());
        current = bearer;
      }
      return bearer.jwt();
    }
  }

  @Override
  public boolean renewAfterUnauthorized(String rejected) {
    if (credentials instanceof Credentials.BearerToken) {
      return false;
    }
    synchronized (lock) {
      // Another thread may already have replaced the rejected JWT; keep its replacement.
      if (current != null && current.jwt().equals(rejected)) {
        current = null;
      }
    }
    return true;
  }

  @Override
  public boolean accessTokenSession() {
    Bearer bearer = current;
    return bearer != null && bearer.claims().fromAccessToken();
  }

  private String obtain() {
    if (credentials instanceof Credentials.BearerToken fixed) {
      return fixed.jwt();
    }
    if (credentials instanceof Credentials.IdentifierSecret secret) {
      return post(
          "/v2/auth/token",
          new Wire.AuthTokenBody(secret.identifier(), secret.secret()),
          Call.SUCCESS,
          answer ->
              jwt(
                  WireFormat.read(answer.body(), Wire.AuthTokenResponse.class).accessToken(),
                  "access_token"));
    }
    Credentials.UsernamePassword password = (Credentials.UsernamePassword) credentials;
    String path = "/v2/users/login";
    LoginStep step =
        post(
            path,
            new Wire.LoginBody(password.username(), password.password()),
            status -> Call.SUCCESS.test(status) || status == 401,
            answer -> loginStep(answer, "POST " + path));
    if (step.loginToken.isEmpty()) {
      return step.jwt.orElseThrow();
    }
    // A 401 with a login_2fa_token: the account has two-factor authentication on.
    redactor.addOneTime(step.loginToken.get());
    if (password.totpCodes().isEmpty()) {
      throw new HubAuthenticationException(
          "POST "
              + path
              + ": HTTP 401 the account requires a second factor (two-factor authentication is on);"
              + " pass a TOTP code supplier to Credentials.password(username, password, totpCodes)",
          step.detail.map(redactor::clean),
          step.attempts);
    }
    String code = totpCode(password.totpCodes().get());
    redactor.addOneTime(code);
    return post(
        "/v2/users/2fa-login",
        new Wire.TwoFactorBody(step.loginToken.get(), code),
        Call.SUCCESS,
        answer -> jwt(WireFormat.read(answer.body(), Wire.LoginResponse.class).token(), "token"));
  }

  /** Sends one login request, without a bearer, through the same retries as every call. */
  private <T> T post(String path, Object body, IntPredicate accepts, Call.Reader<T> reader) {
    return executor.execute(
        Call.login(uri(path), "POST " + path, WireFormat.write(body), accepts, reader),
        NoAuth.INSTANCE);
  }

  /**
   * The first step of a password login.
   *
   * @param jwt the JWT, when the login is complete
   * @param loginToken the two-factor token, when the server asks for a second factor
   * @param detail the server's explanation of the 401
   * @param attempts the requests sent
   */
  private record LoginStep(
      Optional<String> jwt, Optional<String> loginToken, Optional<String> detail, int attempts) {
    @Override
    public String toString() {
      return "LoginStep[redacted]";
    }
  }

  /** Reads a login answer: 2xx must carry the JWT, 401 either the two-factor token or a refusal. */
  private LoginStep loginStep(Call.Response answer, String description) throws WireException {
    if (answer.status() != 401) {
      Wire.LoginResponse response = WireFormat.read(answer.body(), Wire.LoginResponse.class);
      return new LoginStep(
          Optional.of(jwt(response.token(), "token")),
          Optional.empty(),
          Optional.empty(),
          answer.attempts());
    }
    WireFormat.ErrorBody error = WireFormat.error(answer.body());
    Optional<String> loginToken = error.textField("login_2fa_token").filter(t -> !t.isEmpty());
    if (loginToken.isEmpty()) {
      throw executor.errors().error(description, false, answer, NoAuth.INSTANCE);
    }
    return new LoginStep(
        Optional.empty(), loginToken, error.textField("detail"), answer.attempts());
  }

  /**
   * Checks that a successful login carried a JWT that an Authorization header can carry, and
   * remembers it for redaction. It runs inside the call's reader, so that a failure names the real
   * status and the number of attempts.
   */
  private String jwt(String jwt, String field) throws WireException {
    if (jwt == null || jwt.isEmpty()) {
      throw new WireException(
          field + ": missing; the login succeeded but the response has no " + field);
    }
    if (jwt.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      // Not a value an Authorization header can carry; the value itself is not shown.
      throw new WireException(
          field + ": not a bearer token; expected visible ASCII without spaces");
    }
    redactor.addOneTime(jwt);
    return jwt;
  }

  private static String totpCode(Supplier<String> codes) {
    String code = codes.get();
    if (code == null || code.isBlank()) {
      throw new IllegalStateException(
          "totpCodes: the supplier returned no code; it must return the current one-time code");
    }
    return code.trim();
  }

  private Bearer bearerFor(String jwt) {
    JwtClaims claims = JwtClaims.read(jwt);
    Instant now = clock.instant();
    Instant renewAt = null;
    if (!(credentials instanceof Credentials.BearerToken)
        && claims.expiresAt().isPresent()
        && claims.expiresAt().get().isAfter(now)) {
      Duration lifetime = Duration.between(now, claims.expiresAt().get());
      Duration margin =
          lifetime.dividedBy(2).compareTo(RENEW_BEFORE_EXPIRY) < 0
              ? lifetime.dividedBy(2)
              : RENEW_BEFORE_EXPIRY;
      renewAt = claims.expiresAt().get().minus(margin);
    }
    // An exp already past by our clock means the clocks disagree: rely on the server's 401 then,
    // rather than logging in before every call.
    return new Bearer(jwt, claims, renewAt);
  }

  private URI uri(String path) {
    return URI.create(baseUri + path);
  }

  /**
   * A JWT and when to replace it. Not printable.
   *
   * @param jwt the bearer JWT
   * @param claims what the client read from it
   * @param renewAt when to log in again, or null to rely on the server's 401
   */
  private record Bearer(String jwt, JwtClaims claims, Instant renewAt) {
    boolean due(Instant now) {
      return renewAt != null && !now.isBefore(renewAt);
    }

    @Override
    public String toString() {
      return "Bearer[redacted]";
    }
  }

  /** Login calls carry no bearer. */
  enum NoAuth implements Auth {
    INSTANCE;

    @Override
    public String bearer() {
      throw new IllegalStateException("login calls carry no bearer");
    }

    @Override
    public boolean renewAfterUnauthorized(String rejected) {
      return false;
    }

    @Override
    public boolean accessTokenSession() {
      return false;
    }
  }
}
