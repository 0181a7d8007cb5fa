package dev.scopedtokens.testkit;

import static dev.scopedtokens.testkit.FakeDockerHubLoginTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.token.IssuedToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The five {@code /v2/access-tokens} endpoints, over real HTTP. */
class FakeDockerHubTokensTest {
  private static final String TOKENS = "/v2/access-tokens";

  private final FakeClock clock = FakeClock.atDefaultStart();
  private FakeDockerHub hub;
  private HubHttp http;
  private String jwt;

  @BeforeEach
  void start() {
    hub =
        FakeDockerHub.builder()
            .clock(clock)
            .fastHashing()
            .user(FakeHubUser.builder("alice", "alice-password").build())
            .user(FakeHubUser.builder("pat", "pat-password").plan(Plan.PRO_2021).build())
            .user(
                FakeHubUser.builder("shortlived", "pw")
                    .plan(Plan.builder("Short").maxLifetime(Duration.ofDays(30)).build())
                    .build())
            .start();
    http = new HubHttp(hub.baseUri());
    jwt = http.login("alice", "alice-password");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void create_returns201WithTheSecretAndDockersFields() {
    HubHttp.Reply reply =
        http.post(TOKENS, "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}", jwt);

    assertThat(reply.status()).isEqualTo(201);
    JsonNode token = reply.json();
    assertThat(token.get("uuid").asText()).matches("[0-9a-f-]{36}");
    assertThat(token.get("client_id").asText()).isEqualTo("HUB");
    assertThat(token.get("creator_ip").asText()).isEqualTo("127.0.0.1");
    assertThat(token.get("creator_ua").asText()).isNotEmpty();
    assertThat(token.get("created_at").asText()).isEqualTo("2025-01-01T00:00:00.000000Z");
    assertThat(token.get("last_used").isNull()).isTrue();
    assertThat(token.get("generated_by").asText()).isEqualTo("manual");
    assertThat(token.get("is_active").asBoolean()).isTrue();
    assertThat(token.get("token").asText()).isNotEmpty();
    assertThat(token.get("token_label").asText()).isEqualTo("ci");
    assertThat(token.get("scopes")).isEqualTo(json("[\"repo:read\"]"));
    assertThat(token.has("expires_at")).isFalse();
  }

  @Test
  void create_secretIsAWorkingPersonalAccessToken() {
    String secret =
        http.post(TOKENS, "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}", jwt)
            .json()
            .get("token")
            .asText();

    assertThat(
            http.post("/v2/auth/token", "{\"identifier\":\"alice\",\"secret\":\"" + secret + "\"}")
                .status())
        .isEqualTo(200);
  }

  @Test
  void create_withExpiry_echoesIt() {
    HubHttp.Reply reply =
        http.post(
            TOKENS,
            "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"],\"expires_at\":\"2025-01-31T00:00:00Z\"}",
            jwt);

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.json().get("expires_at").asText()).isEqualTo("2025-01-31T00:00:00.000000Z");
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "\"\""})
  void create_withNullOrEmptyExpiry_neverExpires(String expiry) {
    HubHttp.Reply reply =
        http.post(
            TOKENS,
            "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"],\"expires_at\":" + expiry + "}",
            jwt);

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.json().has("expires_at")).isFalse();
  }

  @Test
  void create_echoesSeveralScopes() {
    HubHttp.Reply reply =
        http.post(
            TOKENS, "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\",\"repo:write\"]}", jwt);

    assertThat(reply.json().get("scopes")).isEqualTo(json("[\"repo:read\",\"repo:write\"]"));
  }

  @Test
  void create_ignoresUnknownFields() {
    HubHttp.Reply reply =
        http.post(
            TOKENS,
            "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"],\"colour\":\"blue\",\"nested\":{\"a\":[1]}}",
            jwt);

    assertThat(reply.status()).isEqualTo(201);
  }

  @Test
  void create_acceptsATrailingSlash() {
    HubHttp.Reply reply =
        http.post(TOKENS + "/", "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}", jwt);

    assertThat(reply.status()).isEqualTo(201);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing label          | {\"scopes\":[\"repo:read\"]}                                  | token_label",
        "empty label            | {\"token_label\":\"\",\"scopes\":[\"repo:read\"]}             | token_label",
        "label not a string     | {\"token_label\":7,\"scopes\":[\"repo:read\"]}                | token_label",
        "missing scopes         | {\"token_label\":\"ci\"}                                      | scopes",
        "empty scopes           | {\"token_label\":\"ci\",\"scopes\":[]}                        | scopes",
        "unknown scope          | {\"token_label\":\"ci\",\"scopes\":[\"repo:everything\"]}     | scopes",
        "scope not a string     | {\"token_label\":\"ci\",\"scopes\":[1]}                       | scopes",
        "scopes not a list      | {\"token_label\":\"ci\",\"scopes\":\"repo:read\"}             | scopes",
        "expiry in the past     | {\"token_label\":\"ci\",\"scopes\":[\"repo:read\"],\"expires_at\":\"2024-12-31T00:00:00Z\"} | expires_at",
        "expiry not a date      | {\"token_label\":\"ci\",\"scopes\":[\"repo:read\"],\"expires_at\":\"tomorrow\"} | expires_at",
        "expiry not a string    | {\"token_label\":\"ci\",\"scopes\":[\"repo:read\"],\"expires_at\":1767225600} | expires_at",
        "body not an object     | [\"repo:read\"]                                               | body",
        "malformed JSON         | {\"token_label\":                                             | body",
      })
  void create_withInvalidInput_is400NamingTheField(String name, String body, String field) {
    HubHttp.Reply reply = http.post(TOKENS, body, jwt);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").has(field)).as(reply.text()).isTrue();
    assertThat(reply.json().get("fields").get(field).get(0).asText()).isNotEmpty();
    assertThat(reply.json().get("text").asText()).contains(field);
    assertThat(hub.tokens().list("alice", dev.scopedtokens.token.PageRequest.first(10)).total())
        .isZero();
  }

  @Test
  void create_withLabelOf101Characters_is400() {
    HubHttp.Reply reply =
        http.post(
            TOKENS,
            "{\"token_label\":\"" + "x".repeat(101) + "\",\"scopes\":[\"repo:read\"]}",
            jwt);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").has("token_label")).isTrue();
  }

  @Test
  void create_withLabelOf100Characters_isAccepted() {
    HubHttp.Reply reply =
        http.post(
            TOKENS,
            "{\"token_label\":\"" + "x".repeat(100) + "\",\"scopes\":[\"repo:read\"]}",
            jwt);

    assertThat(reply.status()).isEqualTo(201);
  }

  @Test
  void create_withExpiryBeyondThePlansLongestLifetime_is400() {
    String shortJwt = http.login("shortlived", "pw");

    HubHttp.Reply reply =
        http.post(
            TOKENS,
            "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"],\"expires_at\":\"2025-03-01T00:00:00Z\"}",
            shortJwt);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").has("expires_at")).as(reply.text()).isTrue();
  }

  @Test
  void create_beyondThePlansTokenLimit_is403WithTheLimitCode() {
    String proJwt = http.login("pat", "pat-password");
    for (int i = 0; i < 5; i++) {
      assertThat(
              http.post(
                      TOKENS, "{\"token_label\":\"t" + i + "\",\"scopes\":[\"repo:read\"]}", proJwt)
                  .status())
          .isEqualTo(201);
    }

    HubHttp.Reply reply =
        http.post(TOKENS, "{\"token_label\":\"one too many\",\"scopes\":[\"repo:read\"]}", proJwt);

    assertThat(reply.status()).isEqualTo(403);
    JsonNode errinfo = reply.json().get("errinfo");
    assertThat(errinfo.get("code").asText()).isEqualTo("token_limit_exceeded");
    assertThat(errinfo.get("limit").asInt()).isEqualTo(5);
    assertThat(errinfo.get("current").asInt()).isEqualTo(5);
    assertThat(errinfo.get("plan").asText()).isEqualTo(Plan.PRO_2021.name());
    assertThat(reply.json().get("message").asText()).contains("limit");
  }

  @Test
  void get_returnsTheTokenWithoutItsSecret() {
    String id = createToken("ci");

    HubHttp.Reply reply = http.get(TOKENS + "/" + id, jwt);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("uuid").asText()).isEqualTo(id);
    assertThat(reply.json().get("token").asText()).isEmpty();
    assertThat(reply.json().get("token_label").asText()).isEqualTo("ci");
  }

  @Test
  void get_acceptsATrailingSlash() {
    String id = createToken("ci");

    assertThat(http.get(TOKENS + "/" + id + "/", jwt).status()).isEqualTo(200);
  }

  @Test
  void list_showsTokensWithoutSecrets() {
    createToken("first");
    createToken("second");

    HubHttp.Reply reply = http.get(TOKENS, jwt);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode page = reply.json();
    assertThat(page.get("count").asInt()).isEqualTo(2);
    assertThat(page.get("active_count").asInt()).isEqualTo(2);
    assertThat(page.get("next").isNull()).isTrue();
    assertThat(page.get("previous").isNull()).isTrue();
    assertThat(page.get("results")).hasSize(2);
    page.get("results").forEach(t -> assertThat(t.get("token").asText()).isEmpty());
  }

  @Test
  void list_showsOnlyTheCallersTokens() {
    createToken("mine");
    String proJwt = http.login("pat", "pat-password");

    HubHttp.Reply reply = http.get(TOKENS, proJwt);

    assertThat(reply.json().get("count").asInt()).isZero();
    assertThat(reply.json().get("results")).isEmpty();
  }

  @Test
  void list_marksDesktopTokensAsAutogenerated() {
    hub.signInFromDesktop("alice");

    JsonNode token = http.get(TOKENS, jwt).json().get("results").get(0);

    assertThat(token.get("generated_by").asText()).isEqualTo("autogenerated");
    assertThat(token.get("scopes")).isEqualTo(json("[\"repo:admin\"]"));
  }

  @Test
  void desktopSignIn_evictsTheLeastRecentlyUsedAtTheCap() {
    IssuedToken oldest = hub.signInFromDesktop("alice");
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofMinutes(1));
      hub.signInFromDesktop("alice");
    }
    clock.advance(Duration.ofMinutes(1));

    IssuedToken sixth = hub.signInFromDesktop("alice");

    assertThat(sixth.evicted())
        .hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(oldest.token().id()));
    assertThat(http.get(TOKENS, jwt).json().get("count").asInt()).isEqualTo(5);
    assertThat(http.get(TOKENS + "/" + oldest.token().id(), jwt).status()).isEqualTo(404);
  }

  @Test
  void lastUsed_showsWhenThePersonalAccessTokenWasLastUsed() {
    String secret =
        http.post(TOKENS, "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}", jwt)
            .json()
            .get("token")
            .asText();
    clock.advance(Duration.ofHours(1));
    Instant usedAt = clock.peek();
    http.post("/v2/auth/token", "{\"identifier\":\"alice\",\"secret\":\"" + secret + "\"}");

    JsonNode token =
        http.get(TOKENS, http.login("alice", "alice-password")).json().get("results").get(0);

    assertThat(token.get("last_used").asText())
        .isEqualTo(usedAt.toString().replace("Z", ".000000Z"));
  }

  @Test
  void patch_renames() {
    String id = createToken("old");

    HubHttp.Reply reply = http.patch(TOKENS + "/" + id, "{\"token_label\":\"new\"}", jwt);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("token_label").asText()).isEqualTo("new");
    assertThat(reply.json().get("token").asText()).isEmpty();
  }

  @Test
  void patch_deactivates() {
    String id = createToken("ci");

    HubHttp.Reply reply = http.patch(TOKENS + "/" + id, "{\"is_active\":false}", jwt);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("is_active").asBoolean()).isFalse();
    assertThat(http.get(TOKENS, jwt).json().get("active_count").asInt()).isZero();
  }

  @Test
  void patch_reactivates() {
    String id = createToken("ci");
    http.patch(TOKENS + "/" + id, "{\"is_active\":false}", jwt);

    HubHttp.Reply reply = http.patch(TOKENS + "/" + id, "{\"is_active\":true}", jwt);

    assertThat(reply.json().get("is_active").asBoolean()).isTrue();
  }

  @Test
  void patch_deactivatedSecret_noLongerSignsIn() {
    HubHttp.Reply created =
        http.post(TOKENS, "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}", jwt);
    http.patch(TOKENS + "/" + created.json().get("uuid").asText(), "{\"is_active\":false}", jwt);

    HubHttp.Reply login =
        http.post(
            "/v2/auth/token",
            "{\"identifier\":\"alice\",\"secret\":\""
                + created.json().get("token").asText()
                + "\"}");

    assertThat(login.status()).isEqualTo(401);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"token_label\":\"\"}                 | token_label",
        "{\"token_label\":null}                 | token_label",
        "{\"is_active\":\"false\"}              | is_active",
        "{\"is_active\":0}                      | is_active",
      })
  void patch_withInvalidInput_is400AndChangesNothing(String body, String field) {
    String id = createToken("ci");

    HubHttp.Reply reply = http.patch(TOKENS + "/" + id, body, jwt);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").has(field)).isTrue();
    JsonNode token = http.get(TOKENS + "/" + id, jwt).json();
    assertThat(token.get("token_label").asText()).isEqualTo("ci");
    assertThat(token.get("is_active").asBoolean()).isTrue();
  }

  @Test
  void delete_returns204AndTheTokenIsGone() {
    String id = createToken("ci");

    HubHttp.Reply reply = http.delete(TOKENS + "/" + id, jwt);

    assertThat(reply.status()).isEqualTo(204);
    assertThat(reply.text()).isEmpty();
    assertThat(http.get(TOKENS + "/" + id, jwt).status()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PATCH", "DELETE"})
  void unknownUuid_is404WithDetailAndMessage(String method) {
    HubHttp.Reply reply =
        http.send(
            method,
            TOKENS + "/" + UUID.randomUUID(),
            "{\"token_label\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            jwt);

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("detail").asText()).isNotEmpty();
    assertThat(reply.json().get("message").asText()).isNotEmpty();
  }

  @Test
  void anotherAccountsToken_is404() {
    String id = createToken("ci");
    String proJwt = http.login("pat", "pat-password");

    assertThat(http.get(TOKENS + "/" + id, proJwt).status()).isEqualTo(404);
    assertThat(http.delete(TOKENS + "/" + id, proJwt).status()).isEqualTo(404);
    assertThat(http.get(TOKENS + "/" + id, jwt).status()).isEqualTo(200);
  }

  @Test
  void malformedUuid_is404() {
    assertThat(http.get(TOKENS + "/not-a-uuid", jwt).status()).isEqualTo(404);
  }

  @Test
  void expiredToken_readsAsInactive() {
    String id =
        http.post(
                TOKENS,
                "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"],\"expires_at\":\"2025-01-02T00:00:00Z\"}",
                jwt)
            .json()
            .get("uuid")
            .asText();
    clock.advance(Duration.ofDays(2));
    String fresh = http.login("alice", "alice-password");

    assertThat(http.get(TOKENS + "/" + id, fresh).json().get("is_active").asBoolean()).isFalse();
    assertThat(http.get(TOKENS, fresh).json().get("active_count").asInt()).isZero();
  }

  private String createToken(String label) {
    HubHttp.Reply reply =
        http.post(TOKENS, "{\"token_label\":\"" + label + "\",\"scopes\":[\"repo:read\"]}", jwt);
    assertThat(reply.status()).as(reply.text()).isEqualTo(201);
    return reply.json().get("uuid").asText();
  }

  static List<String> ids(JsonNode page) {
    List<String> ids = new java.util.ArrayList<>();
    page.get("results").forEach(t -> ids.add(t.get("uuid").asText()));
    return ids;
  }
}
