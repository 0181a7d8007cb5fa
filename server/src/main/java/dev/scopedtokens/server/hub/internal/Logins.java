package dev.scopedtokens.server.hub.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.server.accounts.Account;
import dev.scopedtokens.server.accounts.AccountDirectory;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.TokenVerifier;
import dev.scopedtokens.token.VerificationResult;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signing in: passwords through the {@link AccountDirectory}, two-factor codes, personal access
 * tokens presented as passwords through the core, and the bearer rules of the token endpoints.
 */
final class Logins {
  /** How long a {@code login_2fa_token} may be redeemed. */
  static final Duration SECOND_FACTOR_WINDOW = Duration.ofMinutes(5);

  /** How many wrong codes a {@code login_2fa_token} survives. */
  static final int SECOND_FACTOR_ATTEMPTS = 5;

  /** The most second-factor steps pending at once; beyond it the oldest are forgotten. */
  static final int MAX_PENDING_SECOND_FACTORS = 10_000;

  static final String MFA_REQUIRED = "Require secondary authentication on MFA enabled account";
  static final String BAD_CREDENTIALS = "Incorrect authentication credentials";
  static final String PAT_NOT_ALLOWED = "token issued from personal access token is not allowed";

  private static final Pattern BEARER = Pattern.compile("(?i)bearer +(\\S+) *");

  private record PendingSecondFactor(Account account, Instant expiresAt, int attemptsLeft) {}

  /** Who signed in, and with what: a personal access token, or a password. */
  private record Login(String account, Optional<AccessToken> accessToken, boolean twoFactor) {}

  private final ConcurrentMap<String, PendingSecondFactor> pending = new ConcurrentHashMap<>();
  private final TokenVerifier tokens;
  private final AccountDirectory accounts;
  private final SessionJwt jwt;
  private final Clock clock;
  private final SecureRandom random;

  Logins(
      TokenVerifier tokens,
      AccountDirectory accounts,
      SessionJwt jwt,
      Clock clock,
      SecureRandom random) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.jwt = Objects.requireNonNull(jwt, "jwt");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** {@code POST /v2/auth/token}: a password or a personal access token for a JWT. */
  HttpResponse authToken(HttpRequest request) {
    ObjectNode body = Fields.jsonBody(request);
    Fields.Problems problems = new Fields.Problems();
    String identifier = Fields.requiredString(body, "identifier", problems.of("identifier"));
    String secret = Fields.requiredString(body, "secret", problems.of("secret"));
    problems.throwIfAny();
    Login login = authenticate(identifier, secret).orElseThrow(() -> refused(BAD_CREDENTIALS));
    if (login.accessToken().isEmpty() && login.twoFactor()) {
      // This endpoint has no second step: an account with two factors signs in here with a PAT.
      throw refused(MFA_REQUIRED + "; sign in with a personal access token");
    }
    return Json.response(200, new Wire.AccessTokenGranted(issue(login)));
  }

  /** {@code POST /v2/users/login}: a password or a personal access token, maybe a second step. */
  HttpResponse login(HttpRequest request) {
    ObjectNode body = Fields.jsonBody(request);
    Fields.Problems problems = new Fields.Problems();
    String username = Fields.requiredString(body, "username", problems.of("username"));
    String password = Fields.requiredString(body, "password", problems.of("password"));
    problems.throwIfAny();
    Login login =
        authenticate(username, password)
            .orElseThrow(() -> loginRefused(new Wire.LoginRefused(BAD_CREDENTIALS, null)));
    // A personal access token is itself a second factor's worth: Docker skips the code for it.
    if (login.accessToken().isEmpty() && login.twoFactor()) {
      String handle = randomHandle();
      Instant now = clock.instant();
      pending.values().removeIf(p -> !now.isBefore(p.expiresAt()));
      if (pending.size() >= MAX_PENDING_SECOND_FACTORS) {
        pending.clear(); // a flood of right passwords: forget the steps rather than grow
      }
      pending.put(
          handle,
          new PendingSecondFactor(
              new Account(login.account(), true),
              now.plus(SECOND_FACTOR_WINDOW),
              SECOND_FACTOR_ATTEMPTS));
      throw loginRefused(new Wire.LoginRefused(MFA_REQUIRED, handle));
    }
    return Json.response(200, new Wire.LoginGranted(issue(login)));
  }

  /** {@code POST /v2/users/2fa-login}: the second step, a TOTP code for a JWT. */
  HttpResponse twoFactorLogin(HttpRequest request) {
    ObjectNode body = Fields.jsonBody(request);
    Fields.Problems problems = new Fields.Problems();
    String handle = Fields.requiredString(body, "login_2fa_token", problems.of("login_2fa_token"));
    String code = Fields.requiredString(body, "code", problems.of("code"));
    problems.throwIfAny();
    Instant now = clock.instant();
    PendingSecondFactor step = pending.get(handle);
    if (step == null || !now.isBefore(step.expiresAt())) {
      pending.remove(handle);
      throw loginRefused(new Wire.LoginRefused("Invalid or expired login_2fa_token", null));
    }
    if (!accounts.verifySecondFactor(step.account(), code)) {
      if (step.attemptsLeft() <= 1) {
        pending.remove(handle, step);
      } else {
        pending.replace(
            handle,
            step,
            new PendingSecondFactor(step.account(), step.expiresAt(), step.attemptsLeft() - 1));
      }
      throw loginRefused(new Wire.LoginRefused("Incorrect authentication code", null));
    }
    // Single use: a second redemption of the same handle fails.
    if (!pending.remove(handle, step)) {
      throw loginRefused(new Wire.LoginRefused("Invalid or expired login_2fa_token", null));
    }
    return Json.response(200, new Wire.LoginGranted(jwt.issueForPassword(step.account().name())));
  }

  /** The account of a valid bearer JWT, for rate limiting; empty otherwise. */
  Optional<String> bearerSubject(HttpRequest request) {
    return bearer(request).map(SessionJwt.Claims::subject);
  }

  /**
   * The account allowed to manage tokens with this request's bearer.
   *
   * @throws HubError 401 when the bearer is missing, not a JWT of this server (a raw PAT, for one),
   *     tampered with or expired; 403 when it came from a login with a personal access token
   */
  String requireTokenManager(HttpRequest request) {
    SessionJwt.Claims claims = bearer(request).orElseThrow(HubError::unauthorized);
    if (claims.fromPersonalAccessToken()) {
      throw new HubError(403, new Wire.ErrorBody(null, PAT_NOT_ALLOWED, Map.of()));
    }
    return claims.subject();
  }

  private Optional<SessionJwt.Claims> bearer(HttpRequest request) {
    Optional<String> header = request.headers().first("Authorization");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = BEARER.matcher(header.get());
    if (!m.matches()) {
      return Optional.empty();
    }
    return jwt.verify(m.group(1));
  }

  /**
   * Checks a secret that is a personal access token or a password. Every failure takes the same
   * steps, whether the account exists or not: the core checks the secret as a token (spending a
   * decoy's work on a token it does not know, for any account), then the directory checks it as a
   * password (spending the same work on an unknown account as on a wrong password).
   */
  private Optional<Login> authenticate(String name, String secret) {
    if (!secret.isEmpty()) {
      VerificationResult result = tokens.verify(name, TokenSecret.of(secret));
      if (result instanceof VerificationResult.Verified verified) {
        return Optional.of(new Login(name, Optional.of(verified.token()), false));
      }
    }
    return accounts
        .authenticate(name, secret)
        .map(account -> new Login(account.name(), Optional.empty(), account.twoFactor()));
  }

  private String issue(Login login) {
    return login
        .accessToken()
        .map(
            token ->
                jwt.issueForAccessToken(
                    login.account(), token.id(), token.effectiveScope().wireValue()))
        .orElseGet(() -> jwt.issueForPassword(login.account()));
  }

  private String randomHandle() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static HubError refused(String detail) {
    return new HubError(401, new Wire.ErrorBody(detail, "unauthorized", Map.of()));
  }

  private static HubError loginRefused(Wire.LoginRefused body) {
    return new HubError(401, body);
  }
}
