package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptedHttpClientTest {
  private static final URI TOKENS = URI.create("https://hub.example.test/v2/access-tokens");

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).GET().header("Authorization", "Bearer x").build();
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routeRepliesInOrder_andTheLastRepeats() throws Exception {
    ScriptedHttpClient http =
        ScriptedHttpClient.create()
            .on("GET", "/v2/access-tokens", Reply.status(503), Reply.json(200, "{\"a\":1}"));

    assertThat(send(http, get(TOKENS)).statusCode()).isEqualTo(503);
    HttpResponse<String> second = send(http, get(TOKENS));
    HttpResponse<String> third = send(http, get(TOKENS));

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo("{\"a\":1}");
    assertThat(second.headers().firstValue("content-type")).contains("application/json");
    assertThat(third.body()).isEqualTo("{\"a\":1}");
  }

  @Test
  void theQueryDoesNotTakePartInRouting() throws Exception {
    ScriptedHttpClient http =
        ScriptedHttpClient.create().on("GET", "/v2/access-tokens", Reply.status(204));

    assertThat(send(http, get(URI.create(TOKENS + "?page=2&page_size=5"))).statusCode())
        .isEqualTo(204);
    assertThat(http.requests().get(0).uri().getRawQuery()).isEqualTo("page=2&page_size=5");
  }

  @Test
  void otherwiseAnswersRequestsNoRouteMatches() throws Exception {
    ScriptedHttpClient http =
        ScriptedHttpClient.create()
            .on("DELETE", "/v2/access-tokens", Reply.status(204))
            .otherwise(Reply.status(500), Reply.status(418));

    assertThat(send(http, get(TOKENS)).statusCode()).isEqualTo(500);
    assertThat(send(http, get(URI.create("https://h.test/other"))).statusCode()).isEqualTo(418);
    assertThat(send(http, get(TOKENS)).statusCode()).isEqualTo(418);
    assertThat(http.requestCount()).isEqualTo(3);
  }

  @Test
  void anUnscriptedRequest_failsTheTestNamingMethodAndPathOnly() {
    ScriptedHttpClient http = ScriptedHttpClient.create();

    assertThatThrownBy(() -> send(http, get(URI.create(TOKENS + "?note=secret"))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("GET /v2/access-tokens")
        .hasMessageNotContaining("secret");
  }

  @Test
  void answerMakesTheReplyFromTheRequest() throws Exception {
    ScriptedHttpClient http =
        ScriptedHttpClient.create()
            .answer(
                "POST",
                "/echo",
                request -> Reply.json(201, "{\"got\":" + request.bodyText() + "}"));
    HttpRequest post =
        HttpRequest.newBuilder(URI.create("https://h.test/echo"))
            .POST(HttpRequest.BodyPublishers.ofString("[1,2]"))
            .build();

    assertThat(send(http, post).body()).isEqualTo("{\"got\":[1,2]}");
  }

  @Test
  void recordsEveryRequestWithItsHeadersAndBody() throws Exception {
    ScriptedHttpClient http = ScriptedHttpClient.create().otherwise(Reply.status(200));
    HttpRequest patch =
        HttpRequest.newBuilder(URI.create("https://h.test/v2/access-tokens/1"))
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"is_active\":false}"))
            .header("Content-Type", "application/json")
            .build();

    send(http, get(TOKENS));
    send(http, patch);

    assertThat(http.requests())
        .extracting(ScriptedHttpClient.Request::method)
        .containsExactly("GET", "PATCH");
    assertThat(http.requests("PATCH", "/v2/access-tokens/1"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.bodyText()).isEqualTo("{\"is_active\":false}");
              assertThat(r.header("content-type")).contains("application/json");
            });
    assertThat(http.requests("GET", "/v2/access-tokens").get(0).header("Authorization"))
        .contains("Bearer x");
    assertThat(http.requests().get(0).body()).isEmpty();
  }

  @Test
  void aRequestPrintsNeitherHeadersNorBody() throws Exception {
    ScriptedHttpClient http = ScriptedHttpClient.create().otherwise(Reply.status(200));

    send(http, get(TOKENS));

    assertThat(http.requests().get(0).toString())
        .isEqualTo("Request[GET /v2/access-tokens]")
        .doesNotContain("Bearer");
  }

  @Test
  void rawRepliesKeepEveryHeaderValueAndByte() throws Exception {
    byte[] bytes = {0, (byte) 0xff, '{'};
    ScriptedHttpClient http =
        ScriptedHttpClient.create()
            .otherwise(
                Reply.of(999, Map.of("Content-Length", List.of("+3", "3")), bytes)
                    .header("X-Extra", "1"));

    HttpResponse<byte[]> response = http.send(get(TOKENS), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(999);
    assertThat(response.headers().allValues("content-length")).containsExactly("+3", "3");
    assertThat(response.headers().firstValue("x-extra")).contains("1");
    assertThat(response.body()).containsExactly(bytes);
  }

  @Test
  void aFailureReplyIsThrownBySend() {
    ScriptedHttpClient http =
        ScriptedHttpClient.create().otherwise(Reply.failure(new ConnectException("refused")));

    assertThatThrownBy(() -> send(http, get(TOKENS)))
        .isInstanceOf(ConnectException.class)
        .hasMessage("refused");
    assertThat(http.requestCount()).isEqualTo(1);
  }

  @Test
  void anInterruptedReplyThrowsInterruptedException() {
    ScriptedHttpClient http = ScriptedHttpClient.create().otherwise(Reply.interrupted());

    assertThatThrownBy(() -> send(http, get(TOKENS))).isInstanceOf(InterruptedException.class);
  }

  @Test
  void aBodyHandlerThatFails_makesSendThrowItsIoException() {
    ScriptedHttpClient http = ScriptedHttpClient.create().otherwise(Reply.json(200, "{}"));
    IOException refused = new IOException("too big");
    HttpResponse.BodyHandler<String> failing =
        info ->
            HttpResponse.BodySubscribers.mapping(
                HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                s -> {
                  throw new java.io.UncheckedIOException(refused);
                });

    assertThatThrownBy(() -> http.send(get(TOKENS), failing)).isInstanceOf(IOException.class);
  }

  @Test
  void aLazySubscriberReadsTheBodyOnDemand() throws Exception {
    ScriptedHttpClient http = ScriptedHttpClient.create().otherwise(Reply.json(200, "lazy"));

    HttpResponse<InputStream> response =
        http.send(get(TOKENS), HttpResponse.BodyHandlers.ofInputStream());

    try (InputStream in = response.body()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("lazy");
    }
  }

  @Test
  void sendAsyncCompletesWithTheAnswerOrTheFailure() throws Exception {
    ScriptedHttpClient http =
        ScriptedHttpClient.create()
            .on("GET", "/v2/access-tokens", Reply.status(201))
            .on("GET", "/down", Reply.failure(new ConnectException("down")));

    assertThat(
            http.sendAsync(get(TOKENS), HttpResponse.BodyHandlers.ofString()).join().statusCode())
        .isEqualTo(201);
    assertThat(
            http.sendAsync(
                get(URI.create("https://h.test/down")), HttpResponse.BodyHandlers.ofString()))
        .isCompletedExceptionally();
  }

  @Test
  void reportsTheRedirectPolicyItWasGiven() {
    assertThat(ScriptedHttpClient.create().followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
    assertThat(
            ScriptedHttpClient.create()
                .reportRedirectPolicy(HttpClient.Redirect.NORMAL)
                .followRedirects())
        .isEqualTo(HttpClient.Redirect.NORMAL);
  }

  @Test
  void badScriptsAreRefusedAtTheCall() {
    ScriptedHttpClient http = ScriptedHttpClient.create();

    assertThatThrownBy(() -> http.on("GET", "/a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replies");
    assertThatThrownBy(() -> http.on("GET", "/a?page=1", Reply.status(200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("query");
    assertThatThrownBy(() -> Reply.failure(new IOException("x")).header("Retry-After", "1"))
        .isInstanceOf(IllegalStateException.class);
  }
}
