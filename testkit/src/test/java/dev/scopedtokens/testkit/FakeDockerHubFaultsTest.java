package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fault injection and the journal of requests. */
class FakeDockerHubFaultsTest {
  private final FakeClock clock = FakeClock.at(Instant.parse("2025-01-01T00:00:00Z"));
  private final List<Duration> slept = new CopyOnWriteArrayList<>();
  private FakeDockerHub hub;
  private HubHttp http;

  @BeforeEach
  void start() {
    hub =
        FakeDockerHub.builder()
            .clock(clock)
            .fastHashing()
            .sleeper(slept::add)
            .user(FakeHubUser.builder("alice", "pw").build())
            .start();
    http = new HubHttp(hub.baseUri());
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void statusFault_answersTheChosenStatusForTheNextNRequests() {
    String jwt = http.login("alice", "pw");
    hub.injectFault(Fault.status(503), 2);

    assertThat(http.get("/v2/access-tokens", jwt).status()).isEqualTo(503);
    assertThat(http.get("/v2/access-tokens", jwt).status()).isEqualTo(503);
    assertThat(http.get("/v2/access-tokens", jwt).status()).isEqualTo(200);
  }

  @Test
  void statusFault_withRetryAfter_sendsBothHeaders() {
    hub.injectFault(Fault.status(429, Duration.ofSeconds(7)));

    HubHttp.Reply reply = http.get("/v2/access-tokens", null);

    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.header("Retry-After")).contains("7");
    assertThat(reply.header("X-Retry-After"))
        .contains(Long.toString(Instant.parse("2025-01-01T00:00:07Z").getEpochSecond()));
    assertThat(reply.json().get("message").asText()).contains("429");
  }

  @Test
  void statusFault_withAFractionalWait_roundsBothHeadersUp() {
    clock.set(Instant.parse("2025-01-01T00:00:00.600Z"));
    hub.injectFault(Fault.status(503, Duration.ofMillis(1500)));

    HubHttp.Reply reply = http.get("/v2/access-tokens", null);

    assertThat(reply.header("Retry-After")).contains("2");
    // 00:00:02.100 by the server's clock, so the next whole second.
    assertThat(reply.header("X-Retry-After"))
        .contains(Long.toString(Instant.parse("2025-01-01T00:00:03Z").getEpochSecond()));
  }

  @Test
  void statusFault_withoutRetryAfter_sendsNone() {
    hub.injectFault(Fault.status(500));

    assertThat(http.get("/v2/access-tokens", null).header("Retry-After")).isEmpty();
  }

  @Test
  void faults_playInTheOrderInjected() {
    hub.injectFault(Fault.status(502));
    hub.injectFault(Fault.status(504));

    assertThat(http.get("/v2/access-tokens", null).status()).isEqualTo(502);
    assertThat(http.get("/v2/access-tokens", null).status()).isEqualTo(504);
    assertThat(http.get("/v2/access-tokens", null).status()).isEqualTo(401);
  }

  @Test
  void delayFault_sleepsThenAnswersNormally() {
    String jwt = http.login("alice", "pw");
    hub.injectFault(Fault.delay(Duration.ofSeconds(30)));

    HubHttp.Reply reply = http.get("/v2/access-tokens", jwt);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(slept).containsExactly(Duration.ofSeconds(30));
  }

  // POST, because java.net.http silently retries a GET once when the connection drops.
  @Test
  void dropFault_closesTheConnectionWithoutAnswer() {
    hub.injectFault(Fault.dropConnection());

    assertThatThrownBy(() -> http.post("/v2/auth/token", "{}"))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(http.post("/v2/auth/token", "{}").status()).isEqualTo(400);
  }

  @Test
  void clearFaults_forgetsPendingFaults() {
    hub.injectFault(Fault.status(503), 5);

    hub.clearFaults();

    assertThat(http.get("/v2/access-tokens", null).status()).isEqualTo(401);
  }

  @Test
  void injectFault_rejectsZeroTimes() {
    assertThatThrownBy(() -> hub.injectFault(Fault.status(503), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("times");
  }

  @Test
  void statusFault_rejectsSuccessStatuses() {
    assertThatThrownBy(() -> Fault.status(200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("400 to 599");
  }

  @Test
  void journal_recordsMethodPathQueryAndStatus() {
    http.get("/v2/access-tokens/?page=2&page_size=5", null);

    assertThat(hub.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.receivedAt()).isEqualTo(clock.peek());
              assertThat(r.method()).isEqualTo("GET");
              assertThat(r.path()).isEqualTo("/v2/access-tokens/");
              assertThat(r.query()).contains("page=2&page_size=5");
              assertThat(r.authorization()).isEmpty();
              assertThat(r.status()).isEqualTo(OptionalInt.of(401));
              assertThat(r.header("content-type")).contains("application/json");
              assertThat(r.body()).isEmpty();
            });
  }

  @Test
  void journal_masksTheAuthorizationHeader() {
    String jwt = http.login("alice", "pw");

    http.get("/v2/access-tokens", jwt);

    RecordedRequest last = hub.requests().get(hub.requests().size() - 1);
    assertThat(last.authorization()).contains("Bearer ***");
    assertThat(hub.requests().toString()).doesNotContain(jwt).doesNotContain("pw");
  }

  @Test
  void journal_recordsADroppedConnectionWithoutStatus() {
    hub.injectFault(Fault.dropConnection());

    assertThatThrownBy(() -> http.post("/v2/auth/token", "{}"))
        .isInstanceOf(UncheckedIOException.class);

    assertThat(hub.requests()).singleElement().satisfies(r -> assertThat(r.status()).isEmpty());
  }

  @Test
  void clearRequests_emptiesTheJournal() {
    http.get("/v2/access-tokens", null);

    hub.clearRequests();

    assertThat(hub.requests()).isEmpty();
  }
}
