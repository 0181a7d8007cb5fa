package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rate limit: its headers on every answer, 429 over the limit, and the window's reset. */
class FakeDockerHubRateLimitTest {
  private final FakeClock clock = FakeClock.at(Instant.parse("2025-01-01T00:00:20Z"));
  private FakeDockerHub hub;
  private HubHttp http;

  @BeforeEach
  void start() {
    hub =
        FakeDockerHub.builder()
            .clock(clock)
            .fastHashing()
            .rateLimitPerMinute(3)
            .user(FakeHubUser.builder("alice", "pw").build())
            .user(FakeHubUser.builder("bob", "pw").build())
            .start();
    http = new HubHttp(hub.baseUri());
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void everyAnswer_carriesTheRateLimitHeaders() {
    HubHttp.Reply reply = http.get("/v2/no-such-path", null);

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.header("X-RateLimit-Limit")).contains("3");
    assertThat(reply.header("X-RateLimit-Remaining")).contains("2");
    assertThat(reply.header("X-RateLimit-Reset"))
        .contains(Long.toString(Instant.parse("2025-01-01T00:01:00Z").getEpochSecond()));
  }

  @Test
  void overTheLimit_is429WithRetryAfterAndBody() {
    String jwt = http.login("alice", "pw");
    http.get("/v2/access-tokens", jwt);
    http.get("/v2/access-tokens", jwt);
    http.get("/v2/access-tokens", jwt);

    HubHttp.Reply reply = http.get("/v2/access-tokens", jwt);

    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.header("Retry-After")).contains("40");
    assertThat(reply.header("X-Retry-After"))
        .contains(Long.toString(Instant.parse("2025-01-01T00:01:00Z").getEpochSecond()));
    assertThat(reply.header("X-RateLimit-Remaining")).contains("0");
    assertThat(reply.json())
        .isEqualTo(
            FakeDockerHubLoginTest.json("{\"detail\":\"Rate limit exceeded\",\"error\":false}"));
  }

  @Test
  void limit_isPerSignedInUser() {
    String alice = http.login("alice", "pw");
    String bob = http.login("bob", "pw");
    for (int i = 0; i < 3; i++) {
      http.get("/v2/access-tokens", alice);
    }

    assertThat(http.get("/v2/access-tokens", alice).status()).isEqualTo(429);
    assertThat(http.get("/v2/access-tokens", bob).status()).isEqualTo(200);
  }

  @Test
  void limit_beforeSignIn_isPerClientAddress() {
    for (int i = 0; i < 3; i++) {
      http.post("/v2/auth/token", "{\"identifier\":\"alice\",\"secret\":\"wrong\"}");
    }

    assertThat(http.post("/v2/auth/token", "{\"identifier\":\"alice\",\"secret\":\"pw\"}").status())
        .isEqualTo(429);
  }

  @Test
  void nextMinute_resetsTheCount() {
    String jwt = http.login("alice", "pw");
    for (int i = 0; i < 3; i++) {
      http.get("/v2/access-tokens", jwt);
    }
    clock.advance(Duration.ofSeconds(40));

    HubHttp.Reply reply = http.get("/v2/access-tokens", jwt);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("X-RateLimit-Remaining")).contains("2");
  }

  @Test
  void withoutALimit_noRateLimitHeadersAreSent() {
    try (FakeDockerHub unlimited = FakeDockerHub.builder().clock(clock).fastHashing().start()) {
      HubHttp.Reply reply = new HubHttp(unlimited.baseUri()).get("/v2/access-tokens", null);

      assertThat(reply.header("X-RateLimit-Limit")).isEmpty();
    }
  }
}
