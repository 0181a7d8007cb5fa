package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.NOW;
import static dev.scopedtokens.client.TestSupport.bearer;
import static dev.scopedtokens.client.TestSupport.client;
import static dev.scopedtokens.client.TestSupport.jwt;
import static dev.scopedtokens.client.TestSupport.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that answers to hurt the client: secrets echoed into links and fields, absurd numbers,
 * malformed framing, statuses HTTP does not define, pages without end. Each answer must end in a
 * typed, bounded failure that holds no secret.
 */
class HubClientHostileServerTest {
  private static final String TOKENS = "/v2/access-tokens";
  private static final UUID ID = UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb");

  /** 76 characters: longer than the 64 a server value was once cut to before redaction. */
  private static final String LONG_PASSWORD =
      "Tr0ub4dor&3-correct-horse-battery-staple-and-then-some-more-words-to-reach76";

  private static final String FOREIGN_JWT = jwt("{\"sub\":\"someone-else\",\"exp\":4102444800}");

  private final ScriptedHttpClient http = ScriptedHttpClient.create();
  private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();

  private HubClient bearerClient() {
    return client(http, bearer(), Clock.fixed(NOW, ZoneOffset.UTC), sleeper)
        .retryPolicy(RetryPolicy.none())
        .build();
  }

  /** A client that logs in with {@link #LONG_PASSWORD}, so that the password is its own secret. */
  private HubClient passwordClient() {
    http.on(
        "POST",
        "/v2/users/login",
        Reply.json(200, "{\"token\":\"" + jwt("{\"sub\":\"alice\",\"exp\":4102444800}") + "\"}"));
    return client(
            http,
            Credentials.password("alice", LONG_PASSWORD),
            Clock.fixed(NOW, ZoneOffset.UTC),
            sleeper)
        .retryPolicy(RetryPolicy.none())
        .build();
  }

  private static String page(long count, String next, String... tokens) {
    return "{\"count\":"
        + count
        + ",\"active_count\":0,\"previous\":null,\"next\":"
        + (next == null ? "null" : "\"" + next + "\"")
        + ",\"results\":["
        + String.join(",", tokens)
        + "]}";
  }

  /** Everything a failure could show: each message in the cause chain, and each toString. */
  private static String everythingShown(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t).append('\n').append(t.getMessage()).append('\n');
      if (t instanceof HubException hub) {
        all.append(hub.serverMessage().orElse("")).append('\n');
      }
    }
    return all.toString();
  }

  // ------------------------------------------------------------ item 2: server text in messages

  @Test
  void aNextLinkFullOfSecrets_neverReachesAMessage_norDoesItsQuery() {
    HubClient hub = passwordClient();
    String next =
        "https://hub.example.test/v2/access-tokens?page=2&note="
            + LONG_PASSWORD
            + "&jwt="
            + FOREIGN_JWT;
    http.answer(
        "GET",
        TOKENS,
        request ->
            request.uri().getRawQuery().contains("note=")
                ? Reply.json(500, "{\"message\":\"down\"}")
                : Reply.json(200, page(5, next, tokenJson(ID.toString(), "ci"))));

    HubServerException e =
        catchThrowableOfType(HubServerException.class, () -> hub.stream(10).toList());

    assertThat(everythingShown(e))
        .contains("GET /v2/access-tokens")
        .doesNotContain(LONG_PASSWORD)
        .doesNotContain(FOREIGN_JWT)
        .doesNotContain(FOREIGN_JWT.substring(0, FOREIGN_JWT.indexOf('.') + 5))
        .doesNotContain("note=")
        .doesNotContain("page=");
  }

  @Test
  void aNextLinkToAnotherOrigin_isNamedByItsOriginOnly_cleaned() {
    HubClient hub = bearerClient();
    String next = "https://evil.test/v2/access-tokens?page=2&jwt=" + FOREIGN_JWT + "&secret=s3cr3t";
    http.on("GET", TOKENS, Reply.json(200, page(5, next, tokenJson(ID.toString(), "ci"))));

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> hub.stream(10).toList());

    assertThat(e).hasMessageContaining("another origin").hasMessageContaining("evil.test");
    assertThat(everythingShown(e))
        .doesNotContain(FOREIGN_JWT)
        .doesNotContain("s3cr3t")
        .doesNotContain("page=");
  }

  @Test
  void aNextLinkWithoutAHost_isNamedForWhatItIs_notAsNull() {
    HubClient hub = bearerClient();
    String next = "mailto:someone@evil.test?body=" + FOREIGN_JWT;
    http.on("GET", TOKENS, Reply.json(200, page(5, next, tokenJson(ID.toString(), "ci"))));

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> hub.stream(10).toList());

    assertThat(e)
        .hasMessageContaining("another origin")
        .hasMessageContaining("mailto: (no host)")
        .hasMessageNotContaining("null");
    assertThat(everythingShown(e)).doesNotContain(FOREIGN_JWT).doesNotContain("evil.test");
  }

  @Test
  void aServerMessageQuotingATokenItDidNotGetFromTheClient_isMasked() {
    HubClient hub = bearerClient();
    String dockerToken = "dckr_pat_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n";
    http.on(
        "GET",
        TOKENS + "/" + ID,
        Reply.json(404, "{\"message\":\"no token " + dockerToken + " or " + FOREIGN_JWT + "\"}"));

    HubNotFoundException e = catchThrowableOfType(HubNotFoundException.class, () -> hub.get(ID));

    assertThat(everythingShown(e))
        .contains("no token [redacted]")
        .doesNotContain("A1b2C3d4")
        .doesNotContain(FOREIGN_JWT.substring(0, 20));
  }

  // ------------------------------------------------------------ item 5: redact first, then cut

  @ParameterizedTest
  @ValueSource(strings = {"uuid", "created_at", "last_used"})
  void aLongPasswordEchoedIntoAField_isRedactedWhole_andNoCauseHoldsIt(String field) {
    HubClient hub = passwordClient();
    String body =
        switch (field) {
          case "uuid" -> tokenJson(LONG_PASSWORD, "ci");
          case "created_at" ->
              tokenJson(ID.toString(), "ci").replace("2021-07-20T12:00:00.000000Z", LONG_PASSWORD);
          default ->
              tokenJson(ID.toString(), "ci")
                  .replace("\"last_used\":null", "\"last_used\":\"" + LONG_PASSWORD + "\"");
        };
    http.on("GET", TOKENS + "/" + ID, Reply.json(200, body));

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> hub.get(ID));

    String shown = everythingShown(e);
    String fragment = LONG_PASSWORD.substring(0, 16);
    assertThat(shown).doesNotContain(fragment);
    assertThat(shown.toUpperCase(Locale.ROOT)).doesNotContain(fragment.toUpperCase(Locale.ROOT));
    assertThat(e.getCause()).isNull();
    assertThat(e.status()).hasValue(200);
  }

  // ------------------------------------------------------------ item 13: absurd numbers

  @Test
  void aCountWithAnAbsurdExponent_isRefusedWithAShortMessage() {
    HubClient hub = bearerClient();
    http.on(
        "GET",
        TOKENS,
        Reply.json(
            200,
            "{\"count\":1e999999999,\"active_count\":0,\"next\":null,\"previous\":null,"
                + "\"results\":[]}"));

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> hub.listPage(1, 10));

    assertThat(e).hasMessageContaining("count:").hasMessageContaining("out of range");
    assertThat(e.getMessage().length()).isLessThan(1_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e999999999", "1e-999999999", "-1e999999999", "1.5e400"})
  void absurdNumbersInAPlanLimitAnswer_areLeftOut_notExpanded(String number) {
    HubClient hub = bearerClient();
    http.on(
        "POST",
        TOKENS,
        Reply.json(
            403,
            "{\"message\":\"limit\",\"errinfo\":{\"code\":\"token_limit_exceeded\","
                + "\"plan\":\"free\",\"limit\":"
                + number
                + ",\"current\":"
                + number
                + "}}"));

    HubPlanLimitException e =
        catchThrowableOfType(
            HubPlanLimitException.class,
            () -> hub.create("ci", java.util.Set.of(dev.scopedtokens.scope.Scope.REPO_READ)));

    assertThat(e.limit()).isEmpty();
    assertThat(e.current()).isEmpty();
    assertThat(e.getMessage().length()).isLessThan(1_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e999999999", "1e-999999999"})
  void aJwtWhoseExpiryHasAnAbsurdExponent_isUsedAsIs(String exp) {
    String absurd = jwt("{\"sub\":\"alice\",\"exp\":" + exp + "}");
    HubClient hub =
        client(http, Credentials.bearer(absurd), Clock.fixed(NOW, ZoneOffset.UTC), sleeper)
            .retryPolicy(RetryPolicy.none())
            .build();
    http.on("GET", TOKENS + "/" + ID, Reply.json(200, tokenJson(ID.toString(), "ci")));

    assertThat(hub.get(ID).uuid()).isEqualTo(ID);
  }

  @Test
  void aRetryAfterUnixTimeWithAnAbsurdExponent_isIgnored() {
    HubClient hub =
        client(http, bearer(), Clock.fixed(NOW, ZoneOffset.UTC), sleeper)
            .retryPolicy(RetryPolicy.builder().maxAttempts(2).build())
            .build();
    http.on(
        "GET",
        TOKENS + "/" + ID,
        Reply.json(429, "{}").header("X-Retry-After", "1e-999999999"),
        Reply.json(200, tokenJson(ID.toString(), "ci")));

    assertThat(hub.get(ID).uuid()).isEqualTo(ID);
    assertThat(sleeper.waits()).hasSize(1);
  }

  // ------------------------------------------------------------ item 15: pages without end

  /** Every page holds one token and links a fresh next page; the count says 1. */
  private void endlessPages() {
    Pattern pageParam = Pattern.compile("(?:^|&)page=(\\d+)");
    http.answer(
        "GET",
        TOKENS,
        request -> {
          Matcher m = pageParam.matcher(request.uri().getRawQuery());
          long page = m.find() ? Long.parseLong(m.group(1)) : 1;
          return Reply.json(
              200,
              page(
                  1,
                  "https://hub.example.test/v2/access-tokens?page=" + (page + 1),
                  tokenJson(new UUID(0, page).toString(), "t" + page)));
        });
  }

  @Test
  void listAllAsync_endsWhenTheServerLinksPagesPastItsCount() {
    HubClient hub = bearerClient();
    endlessPages();

    assertThatThrownBy(() -> hub.listAllAsync(10).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(HubUnexpectedResponseException.class)
        .hasMessageContaining("counts 1");
    assertThat(http.requestCount()).isEqualTo(1);
  }

  @Test
  void theStream_endsWhenTheServerLinksPagesPastItsCount() {
    HubClient hub = bearerClient();
    endlessPages();

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> hub.stream(10).toList());

    assertThat(e.status()).hasValue(200);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(http.requestCount()).isEqualTo(1);
  }

  @Test
  void aCountThatGrowsWhilePaging_isFollowed() {
    HubClient hub = bearerClient();
    http.answer(
        "GET",
        TOKENS,
        request ->
            request.uri().getRawQuery().contains("page=2")
                ? Reply.json(200, page(2, null, tokenJson(new UUID(0, 2).toString(), "b")))
                : Reply.json(
                    200,
                    page(
                        2,
                        "https://hub.example.test/v2/access-tokens?page=2",
                        tokenJson(new UUID(0, 1).toString(), "a"))));

    assertThat(hub.stream(1).map(HubAccessToken::label).toList()).containsExactly("a", "b");
  }

  // ------------------------------------------------------------ item 17: framing and statuses

  @ParameterizedTest
  @ValueSource(strings = {"+52", "-1", "0x34", "5_2", "5 2", "", "99999999999999999999"})
  void aMalformedContentLength_isRefused(String length) {
    HubClient hub = bearerClient();
    http.on(
        "GET",
        TOKENS + "/" + ID,
        Reply.of(
            200,
            Map.of("Content-Length", List.of(length)),
            tokenJson(ID.toString(), "ci").getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> hub.get(ID));

    assertThat(e).hasMessageContaining("HTTP 200").hasMessageContaining("Content-Length");
    assertThat(e.status()).hasValue(200);
  }

  @Test
  void contentLengthsThatDisagree_orComeWithATransferEncoding_areRefused() {
    HubClient hub = bearerClient();
    byte[] body = tokenJson(ID.toString(), "ci").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    http.on(
        "GET",
        TOKENS + "/" + ID,
        Reply.of(200, Map.of("Content-Length", List.of("10", "11")), body),
        Reply.of(
            200,
            Map.of(
                "Content-Length",
                List.of(String.valueOf(body.length)),
                "Transfer-Encoding",
                List.of("chunked")),
            body));

    assertThatThrownBy(() -> hub.get(ID))
        .isInstanceOf(HubUnexpectedResponseException.class)
        .hasMessageContaining("disagree");
    assertThatThrownBy(() -> hub.get(ID))
        .isInstanceOf(HubUnexpectedResponseException.class)
        .hasMessageContaining("Transfer-Encoding");
  }

  @Test
  void aPlainContentLength_isRead() {
    HubClient hub = bearerClient();
    byte[] body = tokenJson(ID.toString(), "ci").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    http.on(
        "GET",
        TOKENS + "/" + ID,
        Reply.of(200, Map.of("Content-Length", List.of(String.valueOf(body.length))), body));

    assertThat(hub.get(ID).label()).isEqualTo("ci");
  }

  @ParameterizedTest
  @ValueSource(ints = {600, 700, 999, 100, 199})
  void aStatusHttpDoesNotUseHere_isReportedAsSent(int status) {
    HubClient hub = bearerClient();
    http.on("GET", TOKENS + "/" + ID, Reply.json(status, "{\"message\":\"odd\"}"));

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> hub.get(ID));

    assertThat(e.status()).hasValue(status);
    assertThat(e).hasMessageContaining("HTTP " + status + " ");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 42, 1000, -1})
  void aNumberThatIsNoHttpStatus_isNamedAsNone(int status) {
    HubClient hub = bearerClient();
    http.on("GET", TOKENS + "/" + ID, Reply.json(status, "{}"));

    HubUnexpectedResponseException e =
        catchThrowableOfType(HubUnexpectedResponseException.class, () -> hub.get(ID));

    assertThat(e.status()).isEmpty();
    assertThat(e).hasMessageContaining(status + " is not an HTTP status");
  }

  // ------------------------------------------------------------ item 26: page size at the call

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 101, Integer.MAX_VALUE})
  void aPageSizeOutOfRange_isRefusedAtEveryCall_beforeAnyRequest(int pageSize) {
    HubClient hub = bearerClient();
    List<Runnable> calls = new ArrayList<>();
    calls.add(() -> hub.stream(pageSize));
    calls.add(() -> hub.iterable(pageSize));
    calls.add(() -> hub.listPage(1, pageSize));
    calls.add(() -> hub.listPageAsync(1, pageSize));
    calls.add(() -> hub.listAllAsync(pageSize));

    for (Runnable call : calls) {
      assertThatThrownBy(call::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("pageSize: " + pageSize + " is out of range; allowed 1 to 100");
    }
    assertThat(http.requestCount()).isZero();
  }

  @Test
  void theLargestPageSize_isAllowed() {
    HubClient hub = bearerClient();
    http.on("GET", TOKENS, Reply.json(200, page(0, null)));

    assertThat(hub.stream(HubClient.MAX_PAGE_SIZE).toList()).isEmpty();
    assertThat(http.requests().get(0).uri().getRawQuery()).contains("page_size=100");
  }
}
