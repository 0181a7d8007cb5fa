package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testkit as easy as MockWebServer (issue 10 section 5): take requests, script answers. */
class FakeDockerHubJournalTest {
  private final FakeClock clock = FakeClock.atDefaultStart();

  @RegisterExtension
  final FakeDockerHubExtension extension =
      FakeDockerHubExtension.using(
          () ->
              FakeDockerHub.builder()
                  .clock(clock)
                  .fastHashing()
                  .user(FakeHubUser.builder("alice", "alice-password").build()));

  @Test
  void takeRequest_returnsTheRequestsInOrder_withMaskedHeadersAndBody() {
    FakeDockerHub hub = extension.server();
    HubHttp http = new HubHttp(hub.baseUri());
    String jwt = http.login("alice", "alice-password");
    http.get("/v2/access-tokens?page=1", jwt);

    RecordedRequest login = hub.takeRequest(Duration.ofMinutes(1)).orElseThrow();
    RecordedRequest list = hub.takeRequest(Duration.ofMinutes(1)).orElseThrow();

    assertThat(login.path()).isEqualTo("/v2/auth/token");
    assertThat(login.body()).isEqualTo("{\"identifier\":\"alice\",\"secret\":\"***\"}");
    assertThat(list.query()).contains("page=1");
    assertThat(list.header("authorization")).contains("Bearer ***");
    assertThat(list.toString()).doesNotContain(jwt);
  }

  @Test
  void takeRequest_waitsForARequestStillOnItsWay() {
    FakeDockerHub hub = extension.server();
    CompletableFuture<HubHttp.Reply> reply =
        CompletableFuture.supplyAsync(() -> new HubHttp(hub.baseUri()).get("/v2/x", null));

    RecordedRequest taken = hub.takeRequest(Duration.ofMinutes(1)).orElseThrow();

    assertThat(taken.path()).isEqualTo("/v2/x");
    assertThat(reply.join().status()).isEqualTo(404);
  }

  @Test
  void takeRequest_whenNoneArrives_isEmpty() {
    assertThat(extension.server().takeRequest(Duration.ZERO)).isEmpty();
  }

  @Test
  void respondFault_answersExactlyTheScriptedReply() {
    FakeDockerHub hub = extension.server();
    hub.injectFault(
        Fault.respond(
            200, Map.of("Content-Type", "application/json", "X-A", "b"), "{\"count\":1e999}"));

    HubHttp.Reply reply = new HubHttp(hub.baseUri()).get("/v2/access-tokens", null);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text()).isEqualTo("{\"count\":1e999}");
    assertThat(reply.header("X-A")).contains("b");
    assertThat(new HubHttp(hub.baseUri()).get("/v2/access-tokens", null).status()).isEqualTo(401);
  }
}
