package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The three sign-in endpoints and the JWTs they hand out, over real HTTP. */
class FakeDockerHubLoginTest {
  private static final Totp TOTP = Totp.fromBase32("JBSWY3DPEHPK3PXP");

  private final FakeClock clock = FakeClock.atDefaultStart();
  private FakeDockerHub hub;
  private HubHttp http;

  @BeforeEach
  void start() {
    hub =
        FakeDockerHub.builder()
            .clock(clock)
            .fastHashing()
            .user(FakeHubUser.builder("alice", "alice-password").build())
            .user(FakeHubUser.builder("bob", "bob-password").totp(TOTP).build())
            .start();
    http = new HubHttp(hub.baseUri());
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void authToken_withPassword_returnsAccessToken() {
    HubHttp.Reply reply =
        http.post("/v2/auth/token", "{\"identifier\":\"alice\",\"secret\":\"alice-password\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("access_token").asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(reply.header("Content-Type")).contains("application/json");
  }

  @Test
  void authToken_withWrongPassword_is401() {
    HubHttp.Reply reply =
        http.post("/v2/auth/token", "{\"identifier\":\"alice\",\"secret\":\"nope\"}");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json().get("detail").asText())
        .isEqualTo("Incorrect authentication credentials");
  }

  @Test
  void authToken_forUnknownUser_is401() {
    HubHttp.Reply reply =
        http.post("/v2/auth/token", "{\"identifier\":\"carol\",\"secret\":\"alice-password\"}");

    assertThat(reply.status()).isEqualTo(401);
  }

  @Test
  void authToken_withoutSecret_is400NamingTheField() {
    HubHttp.Reply reply = http.post("/v2/auth/token", "{\"identifier\":\"alice\"}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").has("secret")).isTrue();
    assertThat(reply.json().get("text").asText()).contains("secret");
  }

  @Test
  void authToken_withPersonalAccessToken_carriesItsScopeAndSource() {
    IssuedToken pat = hub.tokens().create("alice", TokenRequest.of("ci", Scope.REPO_READ));

    HubHttp.Reply reply =
        http.post(
            "/v2/auth/token",
            "{\"identifier\":\"alice\",\"secret\":\"" + pat.secret().reveal() + "\"}");

    assertThat(reply.status()).isEqualTo(200);
    JsonNode claims = claims(reply.json().get("access_token").asText());
    assertThat(claims.get("scope").asText()).isEqualTo("repo:read");
    assertThat(claims.get("source").asText()).isEqualTo("docker_pat|" + pat.token().id());
    assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(600);
  }

  @Test
  void authToken_withSomeoneElsesPersonalAccessToken_is401() {
    hub.addUser("carol", "carol-password");
    IssuedToken pat = hub.tokens().create("carol", TokenRequest.of("ci", Scope.REPO_READ));

    HubHttp.Reply reply =
        http.post(
            "/v2/auth/token",
            "{\"identifier\":\"alice\",\"secret\":\"" + pat.secret().reveal() + "\"}");

    assertThat(reply.status()).isEqualTo(401);
  }

  @Test
  void authToken_withPasswordOnTwoFactorAccount_is401() {
    HubHttp.Reply reply =
        http.post("/v2/auth/token", "{\"identifier\":\"bob\",\"secret\":\"bob-password\"}");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json().get("detail").asText()).contains("personal access token");
  }

  @Test
  void usersLogin_withPassword_returnsToken() {
    HubHttp.Reply reply =
        http.post("/v2/users/login", "{\"username\":\"alice\",\"password\":\"alice-password\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("token").asText()).isNotEmpty();
  }

  @Test
  void usersLogin_withWrongPassword_is401WithDetail() {
    HubHttp.Reply reply =
        http.post("/v2/users/login", "{\"username\":\"alice\",\"password\":\"wrong\"}");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json().get("detail").asText())
        .isEqualTo("Incorrect authentication credentials");
    assertThat(reply.json().has("login_2fa_token")).isFalse();
  }

  @Test
  void usersLogin_onTwoFactorAccount_asksForTheSecondFactor() {
    HubHttp.Reply reply =
        http.post("/v2/users/login", "{\"username\":\"bob\",\"password\":\"bob-password\"}");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json().get("detail").asText())
        .isEqualTo("Require secondary authentication on MFA enabled account");
    assertThat(reply.json().get("login_2fa_token").asText()).isNotEmpty();
    assertThat(reply.json().has("token")).isFalse();
  }

  @Test
  void twoFactorLogin_withTheCurrentCode_returnsAWorkingToken() {
    String handle = secondFactorHandle();

    HubHttp.Reply reply = twoFactor(handle, TOTP.code(clock.peek()));

    assertThat(reply.status()).isEqualTo(200);
    String jwt = reply.json().get("token").asText();
    assertThat(http.get("/v2/access-tokens", jwt).status()).isEqualTo(200);
  }

  @Test
  void twoFactorLogin_acceptsTheCodeOfThePreviousStep() {
    String handle = secondFactorHandle();

    HubHttp.Reply reply = twoFactor(handle, TOTP.code(clock.peek().minusSeconds(30)));

    assertThat(reply.status()).isEqualTo(200);
  }

  @Test
  void twoFactorLogin_acceptsTheCodeOfTheNextStep() {
    String handle = secondFactorHandle();

    HubHttp.Reply reply = twoFactor(handle, TOTP.code(clock.peek().plusSeconds(30)));

    assertThat(reply.status()).isEqualTo(200);
  }

  @Test
  void twoFactorLogin_withACodeTwoStepsOld_is401() {
    String handle = secondFactorHandle();

    HubHttp.Reply reply = twoFactor(handle, TOTP.code(clock.peek().minusSeconds(60)));

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json().get("detail").asText()).isNotEmpty();
  }

  @Test
  void twoFactorLogin_checksTheCodeAgainstTheServersClock() {
    String handle = secondFactorHandle();
    String codeNow = TOTP.code(clock.peek());
    clock.advance(Duration.ofMinutes(2));

    assertThat(twoFactor(handle, codeNow).status()).isEqualTo(401);
    assertThat(twoFactor(handle, TOTP.code(clock.peek())).status()).isEqualTo(200);
  }

  @Test
  void twoFactorLogin_handleIsSingleUse() {
    String handle = secondFactorHandle();
    twoFactor(handle, TOTP.code(clock.peek()));

    HubHttp.Reply again = twoFactor(handle, TOTP.code(clock.peek()));

    assertThat(again.status()).isEqualTo(401);
  }

  @Test
  void twoFactorLogin_handleExpiresAfterFiveMinutes() {
    String handle = secondFactorHandle();
    clock.advance(Duration.ofMinutes(5));

    HubHttp.Reply reply = twoFactor(handle, TOTP.code(clock.peek()));

    assertThat(reply.status()).isEqualTo(401);
  }

  @Test
  void twoFactorLogin_withUnknownHandle_is401() {
    assertThat(twoFactor("no-such-handle", TOTP.code(clock.peek())).status()).isEqualTo(401);
  }

  @Test
  void twoFactorLogin_withNumericCode_is400NamingTheField() {
    String handle = secondFactorHandle();

    HubHttp.Reply reply =
        http.post(
            "/v2/users/2fa-login", "{\"login_2fa_token\":\"" + handle + "\",\"code\":123456}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").has("code")).isTrue();
  }

  @Test
  void usersLogin_withPersonalAccessToken_skipsTheSecondFactor() {
    IssuedToken pat = hub.tokens().create("bob", TokenRequest.of("ci", Scope.REPO_WRITE));

    HubHttp.Reply reply =
        http.post(
            "/v2/users/login",
            "{\"username\":\"bob\",\"password\":\"" + pat.secret().reveal() + "\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(claims(reply.json().get("token").asText()).get("scope").asText())
        .isEqualTo("repo:write");
  }

  @Test
  void desktopSignIn_secretWorksAsPassword() {
    IssuedToken desktop = hub.signInFromDesktop("alice");

    HubHttp.Reply reply =
        http.post(
            "/v2/auth/token",
            "{\"identifier\":\"alice\",\"secret\":\"" + desktop.secret().reveal() + "\"}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(claims(reply.json().get("access_token").asText()).get("scope").asText())
        .isEqualTo("repo:admin");
  }

  @Test
  void passwordJwt_isRefusedOnceExpired() {
    String jwt = http.login("alice", "alice-password");
    clock.advance(Duration.ofSeconds(599));
    assertThat(http.get("/v2/access-tokens", jwt).status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(1));
    HubHttp.Reply reply = http.get("/v2/access-tokens", jwt);

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json()).isEqualTo(unauthorizedBody());
  }

  @Test
  void tamperedJwt_is401() {
    String jwt = http.login("alice", "alice-password");
    String[] parts = jwt.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"alice\"", "\"bob\"");
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    assertThat(http.get("/v2/access-tokens", forged).status()).isEqualTo(401);
  }

  @Test
  void missingBearer_is401() {
    HubHttp.Reply reply = http.get("/v2/access-tokens", null);

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json()).isEqualTo(unauthorizedBody());
  }

  @Test
  void rawPersonalAccessTokenAsBearer_is401Unauthorized() {
    IssuedToken pat = hub.tokens().create("alice", TokenRequest.of("ci", Scope.REPO_ADMIN));

    HubHttp.Reply reply = http.get("/v2/access-tokens", pat.secret().reveal());

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.json()).isEqualTo(unauthorizedBody());
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET /", "POST /", "GET /{id}", "PATCH /{id}", "DELETE /{id}"})
  void jwtFromPersonalAccessTokenLogin_is403OnEveryTokenEndpoint(String call) {
    IssuedToken pat = hub.tokens().create("alice", TokenRequest.of("ci", Scope.REPO_ADMIN));
    String jwt = http.login("alice", pat.secret().reveal());
    String method = call.substring(0, call.indexOf(' '));
    String path =
        "/v2/access-tokens"
            + call.substring(call.indexOf(' ') + 1).replace("{id}", pat.token().id().toString());
    String body = "{\"token_label\":\"x\",\"scopes\":[\"repo:read\"]}";

    HubHttp.Reply reply =
        http.send(
            method,
            path.endsWith("/") ? path.substring(0, path.length() - 1) : path,
            body.getBytes(StandardCharsets.UTF_8),
            jwt);

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.json())
        .isEqualTo(
            json(
                "{\"message\":\"token issued from personal access token is not allowed\",\"errinfo\":{}}"));
    assertThat(hub.tokens().find("alice", pat.token().id())).isPresent();
  }

  private String secondFactorHandle() {
    return http.post("/v2/users/login", "{\"username\":\"bob\",\"password\":\"bob-password\"}")
        .json()
        .get("login_2fa_token")
        .asText();
  }

  private HubHttp.Reply twoFactor(String handle, String code) {
    return http.post(
        "/v2/users/2fa-login",
        "{\"login_2fa_token\":\"" + handle + "\",\"code\":\"" + code + "\"}");
  }

  static JsonNode claims(String jwt) {
    return json(
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  static JsonNode unauthorizedBody() {
    return json("{\"message\":\"unauthorized\",\"errinfo\":{}}");
  }

  static JsonNode json(String text) {
    try {
      return HubHttp.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
