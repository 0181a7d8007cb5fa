package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.NOW;
import static dev.scopedtokens.client.TestSupport.client;
import static dev.scopedtokens.client.TestSupport.example;
import static dev.scopedtokens.client.TestSupport.jwt;
import static dev.scopedtokens.client.TestSupport.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Logging in, two factors, keeping the JWT until shortly before it expires, and renewing it. */
class HubClientAuthTest {
  private static final UUID ID = UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb");
  private static final String PATH = "/v2/access-tokens/" + ID;
  private static final String TOKEN = tokenJson(ID.toString(), "t");
  private static final Duration LIFETIME = Duration.ofMinutes(10);

  private final ScriptedHttpClient http = ScriptedHttpClient.create();
  private final TestSupport.MutableClock clock = new TestSupport.MutableClock(NOW);
  private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();
  private final AtomicInteger logins = new AtomicInteger();

  /** Each login returns a fresh JWT, issued now by the test clock, valid for ten minutes. */
  private void passwordLoginIssuesFreshJwts() {
    http.answer(
        "POST",
        "/v2/users/login",
        request ->
            Reply.json(
                200,
                "{\"token\":\""
                    + jwt("alice-" + logins.incrementAndGet(), clock.instant(), LIFETIME)
                    + "\"}"));
  }

  private HubClient passwordClient() {
    return client(http, Credentials.password("alice", "correct horse"), clock, sleeper).build();
  }

  private List<String> bearersSent() {
    return http.requests("GET", PATH).stream()
        .map(r -> r.header("Authorization").orElseThrow())
        .toList();
  }

  @Test
  void passwordLogin_postsUsernameAndPassword_andUsesTheJwt() {
    passwordLoginIssuesFreshJwts();
    http.on("GET", PATH, Reply.json(200, TOKEN));

    passwordClient().get(ID);

    assertThat(http.requests("POST", "/v2/users/login"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.bodyText())
                  .isEqualTo("{\"username\":\"alice\",\"password\":\"correct horse\"}");
              assertThat(r.header("Authorization")).isEmpty();
            });
    assertThat(bearersSent()).containsExactly("Bearer " + jwt("alice-1", NOW, LIFETIME));
  }

  @Test
  void jwt_isReusedWhileValid() {
    passwordLoginIssuesFreshJwts();
    http.on("GET", PATH, Reply.json(200, TOKEN));
    HubClient hub = passwordClient();

    hub.get(ID);
    clock.advance(Duration.ofMinutes(9));
    hub.get(ID);

    assertThat(logins).hasValue(1);
  }

  @Test
  void jwt_isRenewedShortlyBeforeItsExpiry() {
    passwordLoginIssuesFreshJwts();
    http.on("GET", PATH, Reply.json(200, TOKEN));
    HubClient hub = passwordClient();

    hub.get(ID);
    clock.advance(LIFETIME.minus(Duration.ofSeconds(30)));
    hub.get(ID);

    assertThat(logins).hasValue(2);
    assertThat(bearersSent()).doesNotHaveDuplicates();
  }

  @Test
  void jwt_isRenewedAfterTheClockPassesItsExpiry() {
    passwordLoginIssuesFreshJwts();
    http.on("GET", PATH, Reply.json(200, TOKEN));
    HubClient hub = passwordClient();

    hub.get(ID);
    clock.advance(Duration.ofHours(2));
    hub.get(ID);

    assertThat(logins).hasValue(2);
  }

  @Test
  void unauthorizedCall_renewsTheJwtOnceAndRepeats() {
    passwordLoginIssuesFreshJwts();
    http.on(
        "GET",
        PATH,
        Reply.json(401, example("error-unauthorized-observed.json")),
        Reply.json(200, TOKEN));

    passwordClient().get(ID);

    assertThat(logins).hasValue(2);
    assertThat(bearersSent()).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void unauthorizedTwice_failsAfterOneRenewal() {
    passwordLoginIssuesFreshJwts();
    http.on("GET", PATH, Reply.json(401, example("error-unauthorized-observed.json")));

    HubAuthenticationException e =
        catchThrowableOfType(HubAuthenticationException.class, () -> passwordClient().get(ID));

    assertThat(logins).hasValue(2);
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(e.serverMessage()).contains("unauthorized");
  }

  @Test
  void unauthorizedWithNoRetryPolicy_stillRenewsOnce() {
    passwordLoginIssuesFreshJwts();
    http.on("GET", PATH, Reply.json(401, "{}"), Reply.json(200, TOKEN));
    HubClient hub =
        client(http, Credentials.password("alice", "pw"), clock, sleeper)
            .retryPolicy(RetryPolicy.none())
            .build();

    hub.get(ID);

    assertThat(logins).hasValue(2);
  }

  @Test
  void readyBearer_isNotRenewedAfterUnauthorized() {
    http.on("GET", PATH, Reply.json(401, "{}"), Reply.json(200, TOKEN));
    HubClient hub =
        client(http, Credentials.bearer(jwt("alice", NOW, LIFETIME)), clock, sleeper).build();

    HubAuthenticationException e =
        catchThrowableOfType(HubAuthenticationException.class, () -> hub.get(ID));

    assertThat(e.attempts()).isEqualTo(1);
    assertThat(http.requests()).hasSize(1);
  }

  @Test
  void readyBearer_isSentEvenAfterItsExpiry() {
    String given = jwt("alice", NOW, LIFETIME);
    http.on("GET", PATH, Reply.json(200, TOKEN));
    HubClient hub = client(http, Credentials.bearer(given), clock, sleeper).build();
    clock.advance(Duration.ofHours(1));

    hub.get(ID);

    assertThat(bearersSent()).containsExactly("Bearer " + given);
  }

  @Test
  void jwtWithoutExpiry_isKeptUntilRefused() {
    http.answer(
        "POST",
        "/v2/users/login",
        r ->
            Reply.json(
                200,
                "{\"token\":\""
                    + jwt("{\"sub\":\"alice" + logins.incrementAndGet() + "\"}")
                    + "\"}"));
    http.on("GET", PATH, Reply.json(200, TOKEN));
    HubClient hub = passwordClient();

    hub.get(ID);
    clock.advance(Duration.ofDays(1));
    hub.get(ID);

    assertThat(logins).hasValue(1);
  }

  @Test
  void opaqueJwt_isUsedAsGiven() {
    http.on("POST", "/v2/users/login", Reply.json(200, "{\"token\":\"opaque-session-token\"}"));
    http.on("GET", PATH, Reply.json(200, TOKEN));

    passwordClient().get(ID);

    assertThat(bearersSent()).containsExactly("Bearer opaque-session-token");
  }

  @Test
  void twoFactorAccount_logsInWithACodeFromTheSupplier() {
    http.on("POST", "/v2/users/login", Reply.json(401, example("users-login-2fa-required.json")));
    http.on(
        "POST",
        "/v2/users/2fa-login",
        Reply.json(200, "{\"token\":\"" + jwt("alice", NOW, LIFETIME) + "\"}"));
    http.on("GET", PATH, Reply.json(200, TOKEN));
    HubClient hub =
        client(http, Credentials.password("alice", "pw", () -> "123456"), clock, sleeper).build();

    hub.get(ID);

    String loginToken =
        example("users-login-2fa-required.json").split("\"login_2fa_token\": \"")[1].split("\"")[0];
    assertThat(http.requests("POST", "/v2/users/2fa-login"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.bodyText())
                    .isEqualTo("{\"login_2fa_token\":\"" + loginToken + "\",\"code\":\"123456\"}"));
    assertThat(bearersSent()).containsExactly("Bearer " + jwt("alice", NOW, LIFETIME));
  }

  @Test
  void twoFactorAccountWithoutSupplier_failsSayingWhatIsMissing() {
    http.on("POST", "/v2/users/login", Reply.json(401, example("users-login-2fa-required.json")));

    HubAuthenticationException e =
        catchThrowableOfType(HubAuthenticationException.class, () -> passwordClient().get(ID));

    assertThat(e)
        .hasMessageContaining("requires a second factor")
        .hasMessageContaining("totpCodes");
    assertThat(e.serverMessage())
        .contains("Require secondary authentication on MFA enabled account");
    assertThat(http.requests("POST", "/v2/users/2fa-login")).isEmpty();
  }

  @Test
  void wrongTwoFactorCode_isAnAuthenticationFailure() {
    http.on("POST", "/v2/users/login", Reply.json(401, example("users-login-2fa-required.json")));
    http.on("POST", "/v2/users/2fa-login", Reply.json(401, example("users-2fa-login-error.json")));
    HubClient hub =
        client(http, Credentials.password("alice", "pw", () -> "000000"), clock, sleeper).build();

    HubAuthenticationException e =
        catchThrowableOfType(HubAuthenticationException.class, () -> hub.get(ID));

    assertThat(e).hasMessageStartingWith("POST /v2/users/2fa-login: HTTP 401");
    assertThat(e.serverMessage()).contains("Incorrect authentication credentials");
    assertThat(e.getMessage()).doesNotContain("000000");
  }

  @Test
  void supplierWithoutACode_failsClearly() {
    http.on("POST", "/v2/users/login", Reply.json(401, example("users-login-2fa-required.json")));
    HubClient hub =
        client(http, Credentials.password("alice", "pw", () -> " "), clock, sleeper).build();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> hub.get(ID))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("totpCodes: the supplier returned no code");
  }

  @Test
  void wrongPassword_isAnAuthenticationFailure() {
    http.on("POST", "/v2/users/login", Reply.json(401, example("users-login-error.json")));

    HubAuthenticationException e =
        catchThrowableOfType(HubAuthenticationException.class, () -> passwordClient().get(ID));

    assertThat(e)
        .hasMessageStartingWith(
            "POST /v2/users/login: HTTP 401 unauthorized: \"Incorrect authentication"
                + " credentials\"");
    assertThat(e).hasMessageContaining("the server refused the credentials");
    assertThat(http.requests("GET", PATH)).isEmpty();
  }

  @Test
  void loginAnsweredWithoutAJwt_isUnexpected() {
    http.on("POST", "/v2/users/login", Reply.json(200, "{}"));

    assertThat(
            catchThrowableOfType(
                HubUnexpectedResponseException.class, () -> passwordClient().get(ID)))
        .hasMessageContaining("has no token");
  }

  @ParameterizedTest
  // "tab\\tbed" reaches the JSON as an escape, so the token holds a real tab.
  @ValueSource(strings = {"  ", "a b", "tab\\tbed", "caf\u00e9"})
  void loginAnsweredWithAJwtNoHeaderCanCarry_isUnexpected(String jwt) {
    http.on("POST", "/v2/users/login", Reply.json(200, "{\"token\":\"" + jwt + "\"}"));

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> passwordClient().get(ID));

    assertThat(e).hasMessageContaining("token: not a bearer token");
    assertThat(http.requests("GET", PATH)).isEmpty();
  }

  @Test
  void loginRetriedThenAnsweredWithoutAJwt_reportsTheRealStatusAndAttempts() {
    http.on(
        "POST", "/v2/auth/token", Reply.status(503), Reply.json(201, "{\"access_token\":\"\"}"));
    HubClient hub = client(http, Credentials.secret("alice", "pw"), clock, sleeper).build();

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> hub.get(ID));

    assertThat(e.status()).hasValue(201);
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(e).hasMessageContaining("access_token: missing");
  }

  @Test
  void login_isRetriedOnGatewayErrors() {
    http.on(
        "POST",
        "/v2/users/login",
        Reply.status(503),
        Reply.json(200, "{\"token\":\"" + jwt("alice", NOW, LIFETIME) + "\"}"));
    http.on("GET", PATH, Reply.json(200, TOKEN));

    passwordClient().get(ID);

    assertThat(http.requests("POST", "/v2/users/login")).hasSize(2);
  }

  @Test
  void identifierAndSecret_logInThroughAuthToken() {
    http.on(
        "POST",
        "/v2/auth/token",
        Reply.json(200, "{\"access_token\":\"" + jwt("alice", NOW, LIFETIME) + "\"}"));
    http.on("GET", PATH, Reply.json(200, TOKEN));
    HubClient hub =
        client(http, Credentials.secret("myusername", "dckr_pat_124509ugsdjga93"), clock, sleeper)
            .build();

    hub.get(ID);

    assertThat(http.requests("POST", "/v2/auth/token"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.bodyText())
                    .isEqualTo(
                        "{\"identifier\":\"myusername\",\"secret\":\"dckr_pat_124509ugsdjga93\"}"));
    assertThat(bearersSent()).containsExactly("Bearer " + jwt("alice", NOW, LIFETIME));
  }

  @Test
  void patSessionRefused_isRecognisedFromTheJwtSource() {
    String patJwt =
        jwt(
            "{\"sub\":\"alice\",\"exp\":"
                + NOW.plus(LIFETIME).getEpochSecond()
                + ",\"source\":\"docker_pat|"
                + ID
                + "\",\"scope\":\"repo:read\"}");
    http.on("POST", "/v2/auth/token", Reply.json(200, "{\"access_token\":\"" + patJwt + "\"}"));
    http.on("GET", "/v2/access-tokens", Reply.json(403, "{\"message\":\"forbidden\"}"));
    HubClient hub =
        client(http, Credentials.secret("alice", "dckr_pat_abc"), clock, sleeper).build();

    HubForbiddenException e =
        catchThrowableOfType(HubForbiddenException.class, () -> hub.listPage(1, 10));

    assertThat(e.accessTokenSession()).isTrue();
    assertThat(e).hasMessageContaining("opened with a personal access token");
    assertThat(http.requests("POST", "/v2/auth/token")).hasSize(1);
  }

  @Test
  void credentials_printNoSecret() {
    assertThat(Credentials.password("alice", "correct horse", () -> "123456").toString())
        .contains("alice")
        .doesNotContain("correct horse")
        .doesNotContain("123456");
    assertThat(Credentials.secret("alice", "dckr_pat_abc").toString())
        .doesNotContain("dckr_pat_abc");
    assertThat(Credentials.bearer("a.b.c").toString()).doesNotContain("a.b.c");
  }

  @Test
  void malformedBearer_isRejectedWithoutEchoingIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Credentials.bearer("Bearer abc.def"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("abc.def");
  }
}
