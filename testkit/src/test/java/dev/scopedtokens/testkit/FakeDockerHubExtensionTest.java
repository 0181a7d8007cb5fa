package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeDockerHubExtensionTest {

  @Nested
  @ExtendWith(FakeDockerHubExtension.class)
  class WithDefaults {
    @Test
    void injectsAStartedServer(FakeDockerHub hub) {
      assertThat(hub.baseUri().toString()).matches("http://127\\.0\\.0\\.1:[0-9]+");
      assertThat(new HubHttp(hub.baseUri()).get("/v2/access-tokens", null).status()).isEqualTo(401);
    }
  }

  @Nested
  class Configured {
    final FakeClock clock = FakeClock.atDefaultStart();

    @RegisterExtension
    final FakeDockerHubExtension extension =
        FakeDockerHubExtension.using(
            () ->
                FakeDockerHub.builder()
                    .clock(clock)
                    .fastHashing()
                    .user(FakeHubUser.builder("alice", "pw").build()));

    @Test
    void startsTheServerFromTheBuilder() {
      HubHttp http = new HubHttp(extension.server().baseUri());
      String jwt = http.login("alice", "pw");

      clock.advance(Duration.ofMinutes(10));

      assertThat(http.get("/v2/access-tokens", jwt).status()).isEqualTo(401);
    }

    @Test
    void injectsTheSameServerAsAParameter(FakeDockerHub hub) {
      assertThat(hub).isSameAs(extension.server());
    }
  }

  @Test
  void server_outsideATest_isRefused() {
    FakeDockerHubExtension extension = new FakeDockerHubExtension();

    assertThatThrownBy(extension::server)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no fake Docker Hub is running");
  }
}
