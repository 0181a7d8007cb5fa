package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile or broken requests get a 4xx, never a 500, and the server keeps answering. */
class FakeDockerHubBadRequestTest {
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
            .user(FakeHubUser.builder("alice", "pw").build())
            .start();
    http = new HubHttp(hub.baseUri());
    jwt = http.login("alice", "pw");
  }

  @AfterEach
  void stillAnswers() {
    assertThat(http.get("/v2/access-tokens", jwt).status()).isEqualTo(200);
    hub.close();
  }

  @Test
  void bodyOverOneMebibyte_is413() {
    byte[] body = new byte[(1 << 20) + 512 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');

    HubHttp.Reply reply = http.send("POST", "/v2/access-tokens", body, jwt);

    assertThat(reply.status()).isEqualTo(413);
  }

  @Test
  void bodyOfExactlyOneMebibyte_isRead() {
    String json = "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}";
    byte[] body = new byte[1 << 20];
    java.util.Arrays.fill(body, (byte) ' ');
    System.arraycopy(json.getBytes(StandardCharsets.UTF_8), 0, body, 0, json.length());

    assertThat(http.send("POST", "/v2/access-tokens", body, jwt).status()).isEqualTo(201);
  }

  @Test
  void invalidUtf8_is400() {
    byte[] body = {
      '{',
      '"',
      't',
      'o',
      'k',
      'e',
      'n',
      '_',
      'l',
      'a',
      'b',
      'e',
      'l',
      '"',
      ':',
      '"',
      (byte) 0xC3,
      (byte) 0x28,
      '"',
      '}'
    };

    HubHttp.Reply reply = http.send("POST", "/v2/access-tokens", body, jwt);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").get("body").get(0).asText()).contains("UTF-8");
  }

  @Test
  void deeplyNestedJson_is400() {
    String nested = "[".repeat(10_000) + "]".repeat(10_000);

    HubHttp.Reply reply = http.post("/v2/access-tokens", "{\"token_label\":" + nested + "}", jwt);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").has("body")).isTrue();
  }

  @Test
  void duplicateKeys_are400() {
    HubHttp.Reply reply =
        http.post(
            "/v2/access-tokens",
            "{\"token_label\":\"a\",\"token_label\":\"b\",\"scopes\":[\"repo:read\"]}",
            jwt);

    assertThat(reply.status()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "null", "42", "\"text\"", "{} {}"})
  void bodyThatIsNotOneObject_is400(String body) {
    assertThat(http.post("/v2/auth/token", body).status()).isEqualTo(400);
  }

  @ParameterizedTest
  @CsvSource({
    "PUT, /v2/access-tokens, 'GET, POST'",
    "DELETE, /v2/access-tokens, 'GET, POST'",
    "GET, /v2/auth/token, POST",
    "GET, /v2/users/login, POST",
    "POST, /v2/access-tokens/0b7c5f2e-4a3b-4c1d-9e8f-123456789abc, 'GET, PATCH, DELETE'",
  })
  void wrongMethod_is405WithAllow(String method, String path, String allow) {
    HubHttp.Reply reply = http.send(method, path, "{}".getBytes(StandardCharsets.UTF_8), jwt);

    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.header("Allow")).contains(allow);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/", "/v2", "/v2/repositories", "/v2/access-tokens/x/y", "/v2/access-tokens//"})
  void unknownPath_is404(String path) {
    HubHttp.Reply reply = http.get(path, jwt);

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json().get("detail").asText()).isNotEmpty();
  }

  @Test
  void hugeUserAgent_isKeptWithinBounds() {
    HubHttp.Reply reply =
        http.send(
            http.request("/v2/access-tokens", jwt)
                .header("User-Agent", "x".repeat(5000))
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}")));

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.json().get("creator_ua").asText()).hasSizeLessThanOrEqualTo(512);
  }
}
