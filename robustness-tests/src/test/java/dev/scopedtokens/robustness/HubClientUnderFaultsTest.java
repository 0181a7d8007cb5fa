package dev.scopedtokens.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.scopedtokens.client.CreatedAccessToken;
import dev.scopedtokens.client.Credentials;
import dev.scopedtokens.client.HubClient;
import dev.scopedtokens.client.HubException;
import dev.scopedtokens.client.HubRateLimitException;
import dev.scopedtokens.client.HubServerException;
import dev.scopedtokens.client.HubTransportException;
import dev.scopedtokens.client.RetryPolicy;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.testkit.FakeClock;
import dev.scopedtokens.testkit.FakeDockerHub;
import dev.scopedtokens.testkit.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against the fake Docker Hub's injected faults (503s and other 5xx, dropped
 * connections, slow answers, 429s) over real HTTP: every call completes, or fails with the
 * exception its documentation names, within the bounds of its retry policy (attempts, each wait,
 * total wait) and its request timeout.
 *
 * <p>Nothing here sleeps: the client waits through a recording {@code Sleeper}, and a "slow" answer
 * is one the fake holds until the test ends, so that only the client's own request timeout decides.
 * That timeout is short (1 s) only for the tests about slow answers; every other test uses a
 * generous one, so that a busy machine cannot turn an ordinary answer into a timeout and an extra
 * retry.
 */
class HubClientUnderFaultsTest {
  private static final int MAX_ATTEMPTS = 4;
  private static final Duration MAX_DELAY = Duration.ofSeconds(2);
  private static final Duration MAX_TOTAL_WAIT = Duration.ofSeconds(10);
  private static final RetryPolicy POLICY =
      RetryPolicy.builder()
          .maxAttempts(MAX_ATTEMPTS)
          .baseDelay(Duration.ofMillis(100))
          .maxDelay(MAX_DELAY)
          .maxTotalWait(MAX_TOTAL_WAIT)
          .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SHORT_REQUEST_TIMEOUT = Duration.ofSeconds(1);

  private final FakeClock clock = FakeClock.atDefaultStart();
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final CountDownLatch endOfTest = new CountDownLatch(1);
  private FakeDockerHub hub;
  private HubClient client;

  @BeforeEach
  void startHubAndSignIn() {
    HmacSha256Hasher fast =
        HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256"));
    hub =
        FakeDockerHub.builder()
            .clock(clock)
            .tokenHasher(fast)
            .passwordHasher(fast)
            .sleeper(delay -> endOfTest.await())
            .start();
    hub.addUser("alice", "correct horse battery staple");
    client = signedInClient(REQUEST_TIMEOUT);
  }

  /** A client that has signed in already, so that faults hit the calls under test. */
  private HubClient signedInClient(Duration requestTimeout) {
    HubClient signedIn =
        HubClient.builder()
            .baseUri(hub.baseUri())
            .credentials(Credentials.password("alice", "correct horse battery staple"))
            .clock(clock)
            .sleeper(waits::add)
            .retryPolicy(POLICY)
            .requestTimeout(requestTimeout)
            .build();
    signedIn.listPage(1, 10);
    hub.clearRequests();
    return signedIn;
  }

  @AfterEach
  void stopHub() {
    endOfTest.countDown();
    hub.close();
  }

  @Test
  void transient503s_onAList_areRetried_andTheCallCompletes() {
    hub.injectFault(Fault.status(503), MAX_ATTEMPTS - 1);
    assertThat(client.listPage(1, 10).tokens()).isEmpty();
    assertThat(hub.requests()).hasSize(MAX_ATTEMPTS);
    assertWaitsWithinPolicy(MAX_ATTEMPTS - 1);
  }

  @Test
  void persistent503s_failWithHubServerException_afterMaxAttempts() {
    hub.injectFault(Fault.status(503), 10);
    HubServerException failure =
        catchThrowableOfType(HubServerException.class, () -> client.listPage(1, 10));
    assertThat(failure.status()).hasValue(503);
    assertThat(failure.attempts()).isEqualTo(MAX_ATTEMPTS);
    assertThat(hub.requests()).hasSize(MAX_ATTEMPTS);
    assertWaitsWithinPolicy(MAX_ATTEMPTS - 1);
  }

  @Test
  void a503_onCreate_isNotRetried_andCreatesNothing() {
    hub.injectFault(Fault.status(503), 1);
    HubServerException failure =
        catchThrowableOfType(
            HubServerException.class, () -> client.create("ci", Set.of(Scope.REPO_READ)));
    assertThat(failure.attempts()).isEqualTo(1);
    assertThat(client.listPage(1, 10).count()).isZero();
  }

  @Test
  void droppedConnections_onADelete_areRetried_andTheDeleteCompletes() {
    CreatedAccessToken created = client.create("ci", Set.of(Scope.REPO_READ));
    hub.injectFault(Fault.dropConnection(), 2);
    client.delete(created.token().uuid());
    assertThat(client.listPage(1, 10).count()).isZero();
    assertWaitsWithinPolicy(2);
  }

  @Test
  void droppedConnection_onCreate_failsWithHubTransportException_withoutARetry() {
    hub.injectFault(Fault.dropConnection(), 1);
    HubTransportException failure =
        catchThrowableOfType(
            HubTransportException.class, () -> client.create("ci", Set.of(Scope.REPO_READ)));
    assertThat(failure.attempts()).isEqualTo(1);
    assertThat(hub.requests()).hasSize(1);
  }

  @Test
  void rateLimit_isWaitedOutThroughTheSleeper_forTheTimeTheServerAsked() {
    hub.injectFault(Fault.status(429, Duration.ofSeconds(3)), 2);
    client.listPage(1, 10);
    assertThat(waits).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
    assertThat(hub.requests()).hasSize(3);
  }

  @Test
  void rateLimit_longerThanThePolicyAllows_failsAtOnce_withTheWait() {
    hub.injectFault(Fault.status(429, Duration.ofHours(1)), 1);
    HubRateLimitException failure =
        catchThrowableOfType(HubRateLimitException.class, () -> client.listPage(1, 10));
    assertThat(failure.retryAfter()).hasValue(Duration.ofHours(1));
    assertThat(failure.attempts()).isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void slowAnswer_timesOut_andTheRetryCompletes() {
    HubClient impatient = signedInClient(SHORT_REQUEST_TIMEOUT);
    hub.injectFault(Fault.delay(Duration.ofMinutes(1)), 1);
    assertThat(impatient.listPage(1, 10).tokens()).isEmpty();
    // One backoff: the timed-out attempt was retried (the held request is journaled only once
    // the fake lets it go, at the end of the test).
    assertWaitsWithinPolicy(1);
  }

  @Test
  void slowAnswers_beyondMaxAttempts_failWithAHubTransportTimeout() {
    HubClient impatient = signedInClient(SHORT_REQUEST_TIMEOUT);
    hub.injectFault(Fault.delay(Duration.ofMinutes(1)), 10);
    HubTransportException failure =
        catchThrowableOfType(HubTransportException.class, () -> impatient.listPage(1, 10));
    assertThat(failure.kind()).isEqualTo(HubTransportException.Kind.TIMEOUT);
    assertThat(failure.attempts()).isEqualTo(MAX_ATTEMPTS);
  }

  @Test
  void anyScheduleOfFaults_endsInAResultOrTheDocumentedException_withinThePolicy() {
    List<Fault> kinds =
        List.of(
            Fault.status(502),
            Fault.status(503),
            Fault.status(504),
            Fault.dropConnection(),
            Fault.status(429, Duration.ofSeconds(1)),
            Fault.status(429, Duration.ZERO));
    qt().withExamples(60)
        .forAll(
            lists().of(integers().between(0, kinds.size() - 1)).ofSizeBetween(0, MAX_ATTEMPTS + 1),
            arbitrary().pick(Call.values()))
        .checkAssert(
            (schedule, call) -> {
              hub.clearFaults();
              waits.clear();
              CreatedAccessToken token = client.create("target", Set.of(Scope.REPO_READ));
              hub.clearRequests();
              schedule.forEach(i -> hub.injectFault(kinds.get(i)));
              HubException failure = null;
              try {
                call.on(client, token);
              } catch (HubServerException
                  | HubTransportException
                  | HubRateLimitException expected) {
                failure = expected;
              }
              // The JDK's HttpClient itself repeats a GET once when its connection closes without
              // an answer, so the wire may carry one request more per dropped connection than the
              // client's own attempts.
              long drops =
                  schedule.stream()
                      .filter(i -> kinds.get(i) instanceof Fault.DropConnection)
                      .count();
              assertThat(hub.requests().size()).isBetween(1, MAX_ATTEMPTS + (int) drops);
              assertThat(waits).hasSizeLessThanOrEqualTo(MAX_ATTEMPTS - 1);
              assertWaitsWithinPolicy(waits.size());
              if (failure != null) {
                assertThat(failure.attempts()).isBetween(1, MAX_ATTEMPTS);
              }
              // A 429 is retried for every call, a 5xx or a drop only for calls safe to repeat.
              boolean firstIsRateLimit =
                  !schedule.isEmpty()
                      && kinds.get(schedule.get(0)) instanceof Fault.Status
                      && ((Fault.Status) kinds.get(schedule.get(0))).status() == 429;
              if (call.safe && schedule.size() < MAX_ATTEMPTS) {
                assertThat(failure).as("%s after %s", call, schedule).isNull();
              }
              if (!call.safe && !schedule.isEmpty() && !firstIsRateLimit) {
                assertThat(failure).as("%s after %s", call, schedule).isNotNull();
                assertThat(failure.attempts()).isEqualTo(1);
              }
              hub.clearFaults();
              client.stream().forEach(t -> client.delete(t.uuid()));
            });
  }

  /** The calls the property makes, and whether the client may repeat them. */
  private enum Call {
    LIST(true, (c, t) -> c.listPage(1, 10)),
    GET(true, (c, t) -> c.get(t.token().uuid())),
    RENAME(true, (c, t) -> c.rename(t.token().uuid(), "renamed")),
    DEACTIVATE(true, (c, t) -> c.deactivate(t.token().uuid())),
    CREATE(false, (c, t) -> c.create("another", Set.of(Scope.REPO_WRITE)));

    final boolean safe;
    final BiConsumer<HubClient, CreatedAccessToken> action;

    Call(boolean safe, BiConsumer<HubClient, CreatedAccessToken> action) {
      this.safe = safe;
      this.action = action;
    }

    void on(HubClient client, CreatedAccessToken token) {
      action.accept(client, token);
    }
  }

  private void assertWaitsWithinPolicy(int expectedWaits) {
    assertThat(waits).hasSize(expectedWaits);
    Duration total = waits.stream().reduce(Duration.ZERO, Duration::plus);
    assertThat(total).isLessThanOrEqualTo(MAX_TOTAL_WAIT);
  }
}
