package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.token.TokenRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paging over 250 tokens, following the server's own absolute links. The tokens are made once for
 * the class; no test changes them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FakeDockerHubPagingTest {
  private static final int TOKENS = 250;

  private final FakeClock clock = FakeClock.atDefaultStart();
  private final List<String> newestFirst = new ArrayList<>();
  private FakeDockerHub hub;
  private HubHttp http;
  private String jwt;

  @BeforeAll
  void start() {
    hub =
        FakeDockerHub.builder()
            .clock(clock)
            .fastHashing()
            .user(FakeHubUser.builder("alice", "pw").build())
            .start();
    for (int i = 0; i < TOKENS; i++) {
      clock.advance(Duration.ofSeconds(1));
      newestFirst.add(
          0,
          hub.tokens()
              .create("alice", TokenRequest.of("t" + i, Scope.REPO_READ))
              .token()
              .id()
              .toString());
    }
    http = new HubHttp(hub.baseUri());
    jwt = http.login("alice", "pw");
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  @Test
  void defaultPage_isTheFirstTenNewestFirst() {
    JsonNode page = http.get("/v2/access-tokens", jwt).json();

    assertThat(page.get("count").asInt()).isEqualTo(TOKENS);
    assertThat(page.get("active_count").asInt()).isEqualTo(TOKENS);
    assertThat(FakeDockerHubTokensTest.ids(page)).isEqualTo(newestFirst.subList(0, 10));
    assertThat(page.get("previous").isNull()).isTrue();
    assertThat(page.get("next").asText())
        .isEqualTo(hub.baseUri() + "/v2/access-tokens?page=2&page_size=10");
  }

  @Test
  void followingNext_visitsEveryTokenOnceInOrder() {
    List<String> seen = new ArrayList<>();
    String next = hub.baseUri() + "/v2/access-tokens?page_size=100";
    int pages = 0;
    while (next != null) {
      JsonNode page =
          http.get(URI.create(next).getRawPath() + "?" + URI.create(next).getRawQuery(), jwt)
              .json();
      seen.addAll(FakeDockerHubTokensTest.ids(page));
      next = page.get("next").isNull() ? null : page.get("next").asText();
      pages++;
    }

    assertThat(pages).isEqualTo(3);
    assertThat(seen).isEqualTo(newestFirst);
  }

  @Test
  void lastPage_isPartialWithPreviousAndNoNext() {
    JsonNode page = http.get("/v2/access-tokens?page=3&page_size=100", jwt).json();

    assertThat(page.get("results")).hasSize(50);
    assertThat(page.get("next").isNull()).isTrue();
    assertThat(page.get("previous").asText())
        .isEqualTo(hub.baseUri() + "/v2/access-tokens?page=2&page_size=100");
  }

  @Test
  void pagePastTheEnd_isEmptyAndPointsBackToTheLastPage() {
    JsonNode page = http.get("/v2/access-tokens?page=9&page_size=100", jwt).json();

    assertThat(page.get("results")).isEmpty();
    assertThat(page.get("count").asInt()).isEqualTo(TOKENS);
    assertThat(page.get("next").isNull()).isTrue();
    assertThat(page.get("previous").asText())
        .isEqualTo(hub.baseUri() + "/v2/access-tokens?page=3&page_size=100");
  }

  @Test
  void activeCount_countsOnlyActiveTokensOverAllPages() {
    try (FakeDockerHub small =
        FakeDockerHub.builder()
            .clock(clock)
            .fastHashing()
            .user(FakeHubUser.builder("bob", "pw").build())
            .start()) {
      for (int i = 0; i < 12; i++) {
        java.util.UUID id =
            small.tokens().create("bob", TokenRequest.of("t" + i, Scope.REPO_READ)).token().id();
        if (i % 4 == 0) {
          small.tokens().deactivate("bob", id);
        }
      }
      HubHttp bob = new HubHttp(small.baseUri());

      JsonNode page = bob.get("/v2/access-tokens?page=2", bob.login("bob", "pw")).json();

      assertThat(page.get("count").asInt()).isEqualTo(12);
      assertThat(page.get("active_count").asInt()).isEqualTo(9);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"page=0", "page=-1", "page=abc", "page=1.5", "page=", "page=99999999999"})
  void invalidPage_is400(String query) {
    HubHttp.Reply reply = http.get("/v2/access-tokens?" + query, jwt);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").has("page")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"page_size=0", "page_size=101", "page_size=ten", "page_size=-5"})
  void invalidPageSize_is400(String query) {
    HubHttp.Reply reply = http.get("/v2/access-tokens?" + query, jwt);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("fields").has("page_size")).isTrue();
  }

  @Test
  void pageSizeOf100_isAllowed() {
    assertThat(http.get("/v2/access-tokens?page_size=100", jwt).json().get("results")).hasSize(100);
  }
}
