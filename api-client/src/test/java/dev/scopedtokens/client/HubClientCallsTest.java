package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.BASE;
import static dev.scopedtokens.client.TestSupport.NOW;
import static dev.scopedtokens.client.TestSupport.bearer;
import static dev.scopedtokens.client.TestSupport.client;
import static dev.scopedtokens.client.TestSupport.example;
import static dev.scopedtokens.client.TestSupport.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import dev.scopedtokens.testkit.ScriptedHttpClient.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each call sends what the API expects and returns what the server answered. */
class HubClientCallsTest {
  private static final UUID ID = UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb");
  private static final String TOKEN_PATH = "/v2/access-tokens/" + ID;

  private final ScriptedHttpClient http = ScriptedHttpClient.create();
  private final HubClient hub =
      client(http, bearer(), Clock.fixed(NOW, ZoneOffset.UTC), new TestSupport.RecordingSleeper())
          .build();

  private Request only() {
    assertThat(http.requests()).hasSize(1);
    return http.requests().get(0);
  }

  @Test
  void create_postsLabelAndScopes_andReturnsTheSecretOnce() {
    http.on("POST", "/v2/access-tokens", Reply.json(201, example("access-token.json")));

    CreatedAccessToken created = hub.create("My read only token", EnumSet.of(Scope.REPO_READ));

    Request request = only();
    assertThat(request.uri().toString()).isEqualTo(BASE + "/v2/access-tokens");
    assertThat(request.bodyText())
        .isEqualTo("{\"token_label\":\"My read only token\",\"scopes\":[\"repo:read\"]}");
    assertThat(request.header("Content-Type")).contains("application/json");
    assertThat(created.secret().reveal()).isEqualTo("a7a5ef25-8889-43a0-8cc7-f2a94268e861");
    assertThat(created.token().uuid()).isEqualTo(ID);
  }

  @Test
  void createWithExpiry_sendsExpiresAtInRfc3339() {
    http.on("POST", "/v2/access-tokens", Reply.json(201, example("access-token.json")));

    hub.create("t", EnumSet.of(Scope.REPO_WRITE), NOW.plus(Duration.ofDays(30)));

    assertThat(only().bodyText()).contains("\"expires_at\":\"2026-02-14T10:00:00Z\"");
  }

  @Test
  void createWithSeveralScopes_sendsThemInTheSetsOrder() {
    http.on("POST", "/v2/access-tokens", Reply.json(201, example("access-token.json")));

    hub.create("t", new LinkedHashSet<>(List.of(Scope.REPO_WRITE, Scope.REPO_READ)));

    assertThat(only().bodyText()).contains("\"scopes\":[\"repo:write\",\"repo:read\"]");
  }

  @Test
  void listPage_sendsPageAndPageSize() {
    http.on("GET", "/v2/access-tokens", Reply.json(200, example("access-token-page.json")));

    AccessTokenPage page = hub.listPage(3, 25);

    assertThat(only().uri().getRawQuery()).isEqualTo("page=3&page_size=25");
    assertThat(only().method()).isEqualTo("GET");
    assertThat(page.tokens()).hasSize(1);
  }

  @Test
  void get_readsOneToken() {
    http.on("GET", TOKEN_PATH, Reply.json(200, example("access-token-get.json")));

    HubAccessToken token = hub.get(ID);

    assertThat(only().bodyText()).isEmpty();
    assertThat(token.label()).isEqualTo("My read only token");
  }

  @Test
  void rename_patchesTheLabelAlone() {
    http.on("PATCH", TOKEN_PATH, Reply.json(200, tokenJson(ID.toString(), "new name")));

    HubAccessToken token = hub.rename(ID, "new name");

    assertThat(only().method()).isEqualTo("PATCH");
    assertThat(only().bodyText()).isEqualTo("{\"token_label\":\"new name\"}");
    assertThat(token.label()).isEqualTo("new name");
  }

  @Test
  void activate_patchesIsActiveTrue() {
    http.on("PATCH", TOKEN_PATH, Reply.json(200, tokenJson(ID.toString(), "t")));

    hub.activate(ID);

    assertThat(only().bodyText()).isEqualTo("{\"is_active\":true}");
  }

  @Test
  void deactivate_patchesIsActiveFalseAlone() {
    http.on(
        "PATCH",
        TOKEN_PATH,
        Reply.json(
            200,
            tokenJson(ID.toString(), "t").replace("\"is_active\":true", "\"is_active\":false")));

    HubAccessToken token = hub.deactivate(ID);

    assertThat(only().bodyText()).isEqualTo("{\"is_active\":false}");
    assertThat(token.active()).isFalse();
  }

  @Test
  void delete_sendsDeleteAndAccepts204() {
    http.on("DELETE", TOKEN_PATH, Reply.status(204));

    hub.delete(ID);

    assertThat(only().method()).isEqualTo("DELETE");
  }

  @Test
  void everyCall_sendsTheBearerAcceptAndUserAgent() {
    http.on("DELETE", TOKEN_PATH, Reply.status(204));

    hub.delete(ID);

    Request request = only();
    assertThat(request.header("Authorization"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer ey"));
    assertThat(request.header("Accept")).contains("application/json");
    assertThat(request.header("User-Agent"))
        .hasValueSatisfying(
            v ->
                assertThat(v)
                    .startsWith(
                        "scopedtokens-api-client/"
                            + System.getProperty("scopedtokens.expectedVersion")
                            + " Java/"));
  }

  @Test
  void applicationName_precedesTheSdkInTheUserAgent() {
    HubClient named =
        client(http, bearer(), Clock.fixed(NOW, ZoneOffset.UTC), new TestSupport.RecordingSleeper())
            .application("my-tool/1.2")
            .build();
    http.on("DELETE", TOKEN_PATH, Reply.status(204));

    named.delete(ID);

    assertThat(only().header("User-Agent"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("my-tool/1.2 scopedtokens-api-client/"));
  }

  @Test
  void baseUriPathPrefix_isKept() {
    HubClient prefixed =
        client(http, bearer(), Clock.fixed(NOW, ZoneOffset.UTC), new TestSupport.RecordingSleeper())
            .baseUri("https://registry.example.test/hub/")
            .build();
    http.on("DELETE", "/hub" + TOKEN_PATH, Reply.status(204));

    prefixed.delete(ID);

    assertThat(only().uri().toString()).isEqualTo("https://registry.example.test/hub" + TOKEN_PATH);
  }

  @Test
  void createWithEmptyScopes_isRejectedBeforeSending() {
    assertThatThrownBy(() -> hub.create("t", Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scopes: must not be empty");
    assertThat(http.requests()).isEmpty();
  }

  @Test
  void createWithTooLongLabel_isRejectedBeforeSending() {
    assertThatThrownBy(() -> hub.create("x".repeat(101), Set.of(Scope.REPO_READ)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label: 101 characters; must be 1 to 100 characters and not only whitespace");
    assertThat(http.requests()).isEmpty();
  }

  @Test
  void createWithBlankLabel_isRejected() {
    assertThatThrownBy(() -> hub.create("  ", Set.of(Scope.REPO_READ)))
        .hasMessageStartingWith("label: blank");
  }

  @Test
  void createExpiringInThePast_isRejected() {
    assertThatThrownBy(() -> hub.create("t", Set.of(Scope.REPO_READ), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expiresAt: 2026-01-15T10:00:00Z is not in the future");
  }

  @Test
  void pageNumberBelowOne_isRejected() {
    assertThatThrownBy(() -> hub.listPage(0, 10))
        .hasMessage("page: 0 is out of range; pages count from 1");
  }

  @Test
  void pageSizeBelowOne_isRejected() {
    assertThatThrownBy(() -> hub.stream(0))
        .hasMessage("pageSize: 0 is out of range; allowed 1 to 100");
  }

  @Test
  void clientToString_showsNoSecret() {
    String jwt = TestSupport.jwt("{\"sub\":\"alice\"}");
    HubClient withJwt =
        client(
                http,
                Credentials.bearer(jwt),
                Clock.fixed(NOW, ZoneOffset.UTC),
                new TestSupport.RecordingSleeper())
            .build();

    assertThat(withJwt.toString()).doesNotContain(jwt).contains(BASE);
  }

  @Test
  void createdTokenToString_hidesTheSecret() {
    http.on("POST", "/v2/access-tokens", Reply.json(201, example("access-token.json")));

    CreatedAccessToken created = hub.create("t", Set.of(Scope.REPO_READ));

    assertThat(created.toString())
        .doesNotContain(created.secret().reveal())
        .contains("secret=redacted");
  }

  @Test
  void clockIsUsedForTheExpiryCheck() {
    Instant later = NOW.plus(Duration.ofDays(365));
    HubClient future =
        client(
                http,
                bearer(),
                Clock.fixed(later, ZoneOffset.UTC),
                new TestSupport.RecordingSleeper())
            .build();

    assertThatThrownBy(
            () -> future.create("t", Set.of(Scope.REPO_READ), NOW.plus(Duration.ofDays(30))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
