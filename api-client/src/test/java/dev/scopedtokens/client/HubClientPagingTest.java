package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.BASE;
import static dev.scopedtokens.client.TestSupport.NOW;
import static dev.scopedtokens.client.TestSupport.bearer;
import static dev.scopedtokens.client.TestSupport.client;
import static dev.scopedtokens.client.TestSupport.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import dev.scopedtokens.testkit.ScriptedHttpClient.Request;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Iterating over every token: lazy, following next links on the same origin only. */
class HubClientPagingTest {
  private final ScriptedHttpClient http = ScriptedHttpClient.create();
  private final HubClient hub =
      client(http, bearer(), Clock.fixed(NOW, ZoneOffset.UTC), new TestSupport.RecordingSleeper())
          .build();

  /** Serves {@code total} tokens labelled t0.., in pages, with absolute next links. */
  private void serve(int total, String origin) {
    http.answer(
        "GET",
        "/v2/access-tokens",
        request -> {
          int page = query(request, "page");
          int size = query(request, "page_size");
          int from = (page - 1) * size;
          int to = Math.min(total, from + size);
          String results =
              IntStream.range(from, to)
                  .mapToObj(i -> tokenJson(new UUID(0, i).toString(), "t" + i))
                  .collect(Collectors.joining(","));
          String next =
              to < total
                  ? "\""
                      + origin
                      + "/v2/access-tokens?page="
                      + (page + 1)
                      + "&page_size="
                      + size
                      + "\""
                  : "null";
          return Reply.json(
              200,
              "{\"count\":"
                  + total
                  + ",\"next\":"
                  + next
                  + ",\"previous\":null,\"active_count\":"
                  + total
                  + ",\"results\":["
                  + results
                  + "]}");
        });
  }

  private static int query(Request request, String name) {
    for (String part : request.uri().getRawQuery().split("&")) {
      if (part.startsWith(name + "=")) {
        return Integer.parseInt(part.substring(name.length() + 1));
      }
    }
    throw new AssertionError("no " + name + " in " + request.uri());
  }

  @Test
  void stream_returnsEveryTokenInOrder() {
    serve(25, BASE);

    List<String> labels = hub.stream(10).map(HubAccessToken::label).toList();

    assertThat(labels).hasSize(25).startsWith("t0", "t1").endsWith("t24");
    assertThat(http.requests()).hasSize(3);
  }

  @Test
  void stream_fetchesNothingUntilConsumed() {
    serve(25, BASE);

    hub.stream(10);

    assertThat(http.requests()).isEmpty();
  }

  @Test
  void stream_fetchesOnlyThePagesItNeeds() {
    serve(25, BASE);

    List<HubAccessToken> first = hub.stream(10).limit(11).toList();

    assertThat(first).hasSize(11);
    assertThat(http.requests()).hasSize(2);
  }

  @Test
  void everyPageRequest_keepsThePageSize() {
    serve(25, BASE);

    hub.stream(7).count();

    assertThat(http.requests()).extracting(r -> query(r, "page_size")).containsOnly(7);
    assertThat(http.requests()).extracting(r -> query(r, "page")).containsExactly(1, 2, 3, 4);
  }

  @Test
  void nextLinkWithAnotherPageSize_isFollowedWithTheCallersSize() {
    http.on(
        "GET",
        "/v2/access-tokens",
        Reply.json(
            200,
            "{\"count\":2,\"next\":\""
                + BASE
                + "/v2/access-tokens?page=2&page_size=999&x=1\",\"previous\":null,\"active_count\":2,\"results\":["
                + tokenJson(new UUID(0, 1).toString(), "a")
                + "]}"),
        Reply.json(
            200,
            "{\"count\":2,\"next\":null,\"previous\":null,\"active_count\":2,\"results\":["
                + tokenJson(new UUID(0, 2).toString(), "b")
                + "]}"));

    assertThat(hub.stream(1).map(HubAccessToken::label)).containsExactly("a", "b");
    assertThat(http.requests().get(1).uri().getRawQuery()).isEqualTo("page=2&x=1&page_size=1");
  }

  @Test
  void iterable_startsAgainForEachIterator() {
    serve(3, BASE);
    Iterable<HubAccessToken> all = hub.iterable(2);

    List<String> first = new ArrayList<>();
    all.forEach(t -> first.add(t.label()));
    List<String> second = new ArrayList<>();
    all.forEach(t -> second.add(t.label()));

    assertThat(first).containsExactly("t0", "t1", "t2");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void emptyAccount_yieldsNothing() {
    serve(0, BASE);

    Iterator<HubAccessToken> it = hub.iterable().iterator();

    assertThat(it.hasNext()).isFalse();
    assertThat(http.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.uri().getRawQuery()).isEqualTo("page=1&page_size=100"));
  }

  @Test
  void nextLinkToAnotherOrigin_isNotFollowed() {
    serve(25, "https://evil.example.test");

    assertThatThrownBy(() -> hub.stream(10).count())
        .isInstanceOf(HubUnexpectedResponseException.class)
        .hasMessageContaining("points at https://evil.example.test, not at " + BASE);
    assertThat(http.requests()).hasSize(1);
  }

  @Test
  void nextLinkToAnotherPortOrScheme_isNotFollowed() {
    serve(25, "http://hub.example.test");

    assertThatThrownBy(() -> hub.stream(10).count())
        .isInstanceOf(HubUnexpectedResponseException.class);
  }

  @Test
  void nextLinkWithTheDefaultPortSpelledOut_isTheSameOrigin() {
    serve(15, "https://hub.example.test:443");

    assertThat(hub.stream(10).count()).isEqualTo(15);
  }

  @Test
  void nextLinkThatLoopsBack_stopsWithAnError() {
    http.on(
        "GET",
        "/v2/access-tokens",
        Reply.json(
            200,
            "{\"count\":9,\"next\":\""
                + BASE
                + "/v2/access-tokens?page=1&page_size=1\",\"previous\":null,\"active_count\":9,\"results\":["
                + tokenJson(new UUID(0, 1).toString(), "a")
                + "]}"));

    assertThatThrownBy(() -> hub.stream(1).count())
        .isInstanceOf(HubUnexpectedResponseException.class)
        .hasMessageContaining("leads back to a page already read");
  }

  @Test
  void failureOnALaterPage_surfacesFromTheTerminalOperation() {
    http.on(
        "GET",
        "/v2/access-tokens",
        Reply.json(
            200,
            "{\"count\":2,\"next\":\""
                + BASE
                + "/v2/access-tokens?page=2&page_size=1\",\"previous\":null,\"active_count\":2,\"results\":["
                + tokenJson(new UUID(0, 1).toString(), "a")
                + "]}"),
        Reply.json(404, "{\"detail\":\"Invalid page.\"}"));

    assertThatThrownBy(() -> hub.stream(1).toList())
        .isInstanceOf(HubNotFoundException.class)
        .hasMessageContaining("Invalid page.");
  }
}
