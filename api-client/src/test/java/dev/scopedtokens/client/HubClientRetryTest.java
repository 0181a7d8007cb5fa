package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.NOW;
import static dev.scopedtokens.client.TestSupport.bearer;
import static dev.scopedtokens.client.TestSupport.client;
import static dev.scopedtokens.client.TestSupport.example;
import static dev.scopedtokens.client.TestSupport.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What is retried, how long the client waits, and where it stops. */
class HubClientRetryTest {
  private static final UUID ID = UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb");
  private static final String PATH = "/v2/access-tokens/" + ID;
  private static final String TOKEN = tokenJson(ID.toString(), "t");
  private static final String CREATED = example("access-token.json");

  private final ScriptedHttpClient http = ScriptedHttpClient.create();
  private final TestSupport.RecordingSleeper sleeper = new TestSupport.RecordingSleeper();
  private final TestSupport.MutableClock clock = new TestSupport.MutableClock(NOW);
  private final HubClient hub = client(http, bearer(), clock, sleeper).build();

  @ParameterizedTest
  @ValueSource(ints = {502, 503, 504})
  void gatewayErrorsOnGet_areRetried(int status) {
    http.on("GET", PATH, Reply.status(status), Reply.json(200, TOKEN));

    assertThat(hub.get(ID).uuid()).isEqualTo(ID);
    assertThat(http.requests()).hasSize(2);
    assertThat(sleeper.waits()).hasSize(1);
  }

  @Test
  void gatewayErrorsOnPatch_areRetried() {
    http.on("PATCH", PATH, Reply.status(503), Reply.json(200, TOKEN));

    hub.deactivate(ID);

    assertThat(http.requests(("PATCH"), PATH))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.bodyText()).isEqualTo("{\"is_active\":false}"));
  }

  @Test
  void gatewayErrorsOnDelete_areRetried() {
    http.on("DELETE", PATH, Reply.status(502), Reply.status(204));

    hub.delete(ID);

    assertThat(http.requests()).hasSize(2);
  }

  @Test
  void internalServerError_isNotRetried() {
    http.on("GET", PATH, Reply.status(500), Reply.json(200, TOKEN));

    assertThat(catchThrowableOfType(HubServerException.class, () -> hub.get(ID)).attempts())
        .isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404})
  void clientErrors_areNeverRetried(int status) {
    http.on("GET", PATH, Reply.json(status, "{}"), Reply.json(200, TOKEN));
    HubClient fixed = client(http, bearer(), clock, sleeper).build();

    HubException e = catchThrowableOfType(HubException.class, () -> fixed.get(ID));

    assertThat(e.attempts()).isEqualTo(1);
    assertThat(http.requests()).hasSize(1);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void gatewayErrorOnCreate_isNotRetried() {
    http.on("POST", "/v2/access-tokens", Reply.status(503), Reply.json(201, CREATED));

    HubServerException e =
        catchThrowableOfType(
            HubServerException.class, () -> hub.create("t", Set.of(Scope.REPO_READ)));

    assertThat(e.attempts()).isEqualTo(1);
    assertThat(http.requests()).hasSize(1);
  }

  @Test
  void connectFailureOnCreate_isRetried() {
    http.on(
        "POST",
        "/v2/access-tokens",
        Reply.failure(new ConnectException("refused")),
        Reply.json(201, CREATED));

    assertThat(hub.create("t", Set.of(Scope.REPO_READ)).secret().length()).isPositive();
    assertThat(http.requests()).hasSize(2);
  }

  @Test
  void brokenConnectionOnCreate_isNotRetried() {
    http.on(
        "POST",
        "/v2/access-tokens",
        Reply.failure(new IOException("Connection reset")),
        Reply.json(201, CREATED));

    HubTransportException e =
        catchThrowableOfType(
            HubTransportException.class, () -> hub.create("t", Set.of(Scope.REPO_READ)));

    assertThat(e.kind()).isEqualTo(HubTransportException.Kind.IO);
    assertThat(http.requests()).hasSize(1);
  }

  @Test
  void timeoutOnCreate_isNotRetried() {
    http.on(
        "POST",
        "/v2/access-tokens",
        Reply.failure(new HttpTimeoutException("timed out")),
        Reply.json(201, CREATED));

    catchThrowableOfType(
        HubTransportException.class, () -> hub.create("t", Set.of(Scope.REPO_READ)));

    assertThat(http.requests()).hasSize(1);
  }

  @Test
  void timeoutOnGet_isRetried() {
    http.on(
        "GET", PATH, Reply.failure(new HttpTimeoutException("timed out")), Reply.json(200, TOKEN));

    hub.get(ID);

    assertThat(http.requests()).hasSize(2);
  }

  @Test
  void brokenConnectionOnGet_isRetried() {
    http.on(
        "GET", PATH, Reply.failure(new IOException("Connection reset")), Reply.json(200, TOKEN));

    hub.get(ID);

    assertThat(http.requests()).hasSize(2);
  }

  @Test
  void rateLimitOnCreate_isRetriedAfterRetryAfterSeconds() {
    http.on(
        "POST",
        "/v2/access-tokens",
        Reply.json(429, example("error-rate-limit.json")).header("Retry-After", "3"),
        Reply.json(201, CREATED));

    hub.create("t", Set.of(Scope.REPO_READ));

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(3));
    assertThat(http.requests()).hasSize(2);
  }

  @Test
  void retryAfterAsHttpDate_isMeasuredAgainstTheResponseDate() {
    // The local clock is an hour off; only the server's Date makes the wait right.
    clock.advance(Duration.ofHours(1));
    http.on(
        "GET",
        PATH,
        Reply.status(429)
            .header("Date", "Thu, 15 Jan 2026 10:00:00 GMT")
            .header("Retry-After", "Thu, 15 Jan 2026 10:00:05 GMT"),
        Reply.json(200, TOKEN));

    hub.get(ID);

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void retryAfterAsHttpDateWithoutDate_isMeasuredAgainstTheClock() {
    http.on(
        "GET",
        PATH,
        Reply.status(429).header("Retry-After", "Thu, 15 Jan 2026 10:00:04 GMT"),
        Reply.json(200, TOKEN));

    hub.get(ID);

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(4));
  }

  @Test
  void xRetryAfterUnixTime_isHonouredWithoutRetryAfter() {
    long at = NOW.getEpochSecond() + 6;
    http.on(
        "GET",
        PATH,
        Reply.status(429).header("X-Retry-After", String.valueOf(at)),
        Reply.json(200, TOKEN));

    hub.get(ID);

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(6));
  }

  @Test
  void retryAfter_winsOverXRetryAfter() {
    long at = NOW.getEpochSecond() + 50;
    http.on(
        "GET",
        PATH,
        Reply.status(429).header("Retry-After", "2").header("X-Retry-After", String.valueOf(at)),
        Reply.json(200, TOKEN));

    hub.get(ID);

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void rateLimitWithoutAWait_usesTheBackoff() {
    http.on("GET", PATH, Reply.status(429), Reply.json(200, TOKEN));

    hub.get(ID);

    assertThat(sleeper.waits())
        .singleElement()
        .satisfies(d -> assertThat(d).isBetween(Duration.ZERO, RetryPolicy.defaults().baseDelay()));
  }

  @Test
  void rateLimitAskingMoreThanThePolicyAllows_isThrownWithoutWaiting() {
    http.on("GET", PATH, Reply.status(429).header("Retry-After", "3600"), Reply.json(200, TOKEN));

    HubRateLimitException e = catchThrowableOfType(HubRateLimitException.class, () -> hub.get(ID));

    assertThat(e.retryAfter()).contains(Duration.ofHours(1));
    assertThat(e).hasMessageContaining("more than the PT1M the retry policy has left");
    assertThat(sleeper.waits()).isEmpty();
    assertThat(http.requests()).hasSize(1);
  }

  @Test
  void rateLimitWithNoAttemptsLeft_isThrownWithTheWait() {
    http.on("GET", PATH, Reply.status(429).header("Retry-After", "1"));

    HubRateLimitException e = catchThrowableOfType(HubRateLimitException.class, () -> hub.get(ID));

    assertThat(e.attempts()).isEqualTo(RetryPolicy.defaults().maxAttempts());
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
    assertThat(sleeper.waits()).hasSize(RetryPolicy.defaults().maxAttempts() - 1);
  }

  @Test
  void exhaustedRetries_reportEveryAttempt() {
    http.on("GET", PATH, Reply.status(503));

    HubServerException e = catchThrowableOfType(HubServerException.class, () -> hub.get(ID));

    assertThat(e.attempts()).isEqualTo(4);
    assertThat(e).hasMessageEndingWith("after 4 attempts");
    assertThat(http.requests()).hasSize(4);
  }

  @Test
  void noRetryPolicy_sendsOnce() {
    HubClient once = client(http, bearer(), clock, sleeper).retryPolicy(RetryPolicy.none()).build();
    http.on("GET", PATH, Reply.status(503), Reply.json(200, TOKEN));

    catchThrowableOfType(HubServerException.class, () -> once.get(ID));

    assertThat(http.requests()).hasSize(1);
  }

  @Test
  void backoffWaits_growUpToTheCap() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(6)
            .baseDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofMillis(300))
            .maxTotalWait(Duration.ofMinutes(1))
            .build();
    HubClient client = client(http, bearer(), clock, sleeper).retryPolicy(policy).build();
    http.on("GET", PATH, Reply.status(503));

    catchThrowableOfType(HubServerException.class, () -> client.get(ID));

    List<Duration> waits = sleeper.waits();
    assertThat(waits).hasSize(5);
    assertThat(waits.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
    assertThat(waits.get(1)).isLessThanOrEqualTo(Duration.ofMillis(200));
    assertThat(waits.subList(2, 5))
        .allSatisfy(w -> assertThat(w).isLessThanOrEqualTo(Duration.ofMillis(300)));
  }

  /**
   * The backoff-bounds property, end to end: every wait in [0, min(cap, base*2^n)], total within
   * the max.
   */
  @Test
  void everyWait_staysWithinTheBoundAndTheTotal() {
    qt().withExamples(300)
        .forAll(
            integers().between(1, 8),
            integers().between(1, 2_000),
            integers().between(0, 10_000),
            longs().all())
        .checkAssert(
            (attempts, baseMillis, totalMillis, seed) -> {
              Duration base = Duration.ofMillis(baseMillis);
              // The seed also picks the cap: 1 to 16 times the base.
              Duration cap = base.multipliedBy(1 + Math.floorMod(seed, 16));
              RetryPolicy policy =
                  RetryPolicy.builder()
                      .maxAttempts(attempts)
                      .baseDelay(base)
                      .maxDelay(cap)
                      .maxTotalWait(Duration.ofMillis(totalMillis))
                      .build();
              ScriptedHttpClient failing =
                  ScriptedHttpClient.create().on("GET", PATH, Reply.status(503));
              TestSupport.RecordingSleeper waits = new TestSupport.RecordingSleeper();
              HubClient client =
                  client(failing, bearer(), Clock.fixed(NOW, ZoneOffset.UTC), waits)
                      .retryPolicy(policy)
                      .random(new SplittableRandom(seed))
                      .build();

              HubServerException e =
                  catchThrowableOfType(HubServerException.class, () -> client.get(ID));

              assertThat(e.attempts()).isEqualTo(attempts);
              assertThat(waits.waits()).hasSize(attempts - 1);
              for (int n = 0; n < waits.waits().size(); n++) {
                Duration bound = base.multipliedBy(1L << Math.min(n, 40));
                Duration limit = bound.compareTo(cap) < 0 ? bound : cap;
                assertThat(waits.waits().get(n)).isBetween(Duration.ZERO, limit);
              }
              assertThat(waits.total()).isLessThanOrEqualTo(policy.maxTotalWait());
            });
  }
}
