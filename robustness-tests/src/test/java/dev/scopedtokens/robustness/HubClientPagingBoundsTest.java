package dev.scopedtokens.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.client.Credentials;
import dev.scopedtokens.client.HubClient;
import dev.scopedtokens.client.HubUnexpectedResponseException;
import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server can keep a lazy stream busy forever without ever giving it a token: every page empty,
 * every {@code next} link new. A check for links that repeat does not stop links that never do, so
 * the client refuses an empty page that links on: Docker Hub never sends one.
 */
class HubClientPagingBoundsTest {
  private static final int PAGES = 1_000;

  @Test
  void emptyPagesWithFreshNextLinks_endTheStream_insteadOfPagingForever() {
    List<Reply> script = new ArrayList<>();
    for (int page = 2; page < PAGES + 2; page++) {
      String body =
          "{\"count\":0,\"active_count\":0,\"previous\":null,\"results\":[],"
              + "\"next\":\"http://127.0.0.1:5555/v2/access-tokens?page="
              + page
              + "\"}";
      script.add(
          ClientProbe.reply(
              200,
              Map.of("Content-Type", "application/json"),
              body.getBytes(StandardCharsets.UTF_8)));
    }
    ScriptedHttpClient http = ScriptedHttpClient.create().otherwise(script.toArray(Reply[]::new));
    HubClient client =
        HubClient.builder()
            .baseUri(URI.create("http://127.0.0.1:5555"))
            .credentials(Credentials.bearer(ClientProbe.JWT))
            .httpClient(http)
            .build();
    try {
      assertThat(client.stream(10).findFirst()).isEmpty();
    } catch (HubUnexpectedResponseException refused) {
      // Refusing the empty page with a next link is as good as ending there.
    }
    assertThat(http.requestCount()).isLessThanOrEqualTo(2);
  }
}
