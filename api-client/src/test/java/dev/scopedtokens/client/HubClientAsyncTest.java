package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.NOW;
import static dev.scopedtokens.client.TestSupport.bearer;
import static dev.scopedtokens.client.TestSupport.client;
import static dev.scopedtokens.client.TestSupport.example;
import static dev.scopedtokens.client.TestSupport.jwt;
import static dev.scopedtokens.client.TestSupport.tokenJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous forms run the same pipeline on the executor and fail with the exception itself.
 */
class HubClientAsyncTest {
  private static final UUID ID = UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb");
  private static final String PATH = "/v2/access-tokens/" + ID;
  private static final String TOKEN = tokenJson(ID.toString(), "t");

  private final ScriptedHttpClient http = ScriptedHttpClient.create();
  private final List<Runnable> queued = new ArrayList<>();
  private final HubClient hub =
      client(http, bearer(), new TestSupport.MutableClock(NOW), new TestSupport.RecordingSleeper())
          .executor(queued::add)
          .build();

  private void runQueued() {
    List<Runnable> tasks = List.copyOf(queued);
    queued.clear();
    tasks.forEach(Runnable::run);
  }

  @Test
  void asyncCall_runsOnTheExecutor() {
    http.on("GET", PATH, Reply.json(200, TOKEN));

    CompletableFuture<HubAccessToken> future = hub.getAsync(ID);

    assertThat(future).isNotDone();
    assertThat(http.requests()).isEmpty();
    runQueued();
    assertThat(future).isCompletedWithValueMatching(t -> t.uuid().equals(ID));
  }

  @Test
  void asyncFailure_completesWithTheHubExceptionItself() {
    http.on("GET", PATH, Reply.json(404, "{\"detail\":\"Not found.\"}"));

    CompletableFuture<HubAccessToken> future = hub.getAsync(ID);
    runQueued();

    assertThatThrownBy(future::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(HubNotFoundException.class);
    assertThat(future.handle((value, error) -> error))
        .isCompletedWithValueMatching(e -> e instanceof HubNotFoundException);
  }

  @Test
  void asyncArguments_areCheckedBeforeTheFutureIsReturned() {
    assertThatThrownBy(() -> hub.createAsync("", Set.of(Scope.REPO_READ)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(queued).isEmpty();
  }

  @Test
  void everyAsyncForm_completes() {
    http.on("POST", "/v2/access-tokens", Reply.json(201, example("access-token.json")));
    http.on("GET", "/v2/access-tokens", Reply.json(200, example("access-token-page.json")));
    http.on("GET", PATH, Reply.json(200, TOKEN));
    http.on("PATCH", PATH, Reply.json(200, TOKEN));
    http.on("DELETE", PATH, Reply.status(204));

    List<CompletableFuture<?>> futures =
        List.of(
            hub.createAsync("t", Set.of(Scope.REPO_READ)),
            hub.createAsync("t", Set.of(Scope.REPO_READ), NOW.plus(Duration.ofDays(1))),
            hub.listPageAsync(1, 10),
            hub.listAllAsync(10),
            hub.getAsync(ID),
            hub.renameAsync(ID, "n"),
            hub.activateAsync(ID),
            hub.deactivateAsync(ID),
            hub.deleteAsync(ID));
    runQueued();

    assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
    assertThat(http.requests()).hasSize(9);
  }

  @Test
  void rejectedTask_failsTheFuture() {
    HubClient rejecting =
        client(
                http,
                bearer(),
                new TestSupport.MutableClock(NOW),
                new TestSupport.RecordingSleeper())
            .executor(
                task -> {
                  throw new java.util.concurrent.RejectedExecutionException("shut down");
                })
            .build();

    assertThat(rejecting.getAsync(ID)).isCompletedExceptionally();
  }

  @Test
  void concurrentCallsWithAnExpiredJwt_shareOneLogin() throws Exception {
    TestSupport.MutableClock clock = new TestSupport.MutableClock(NOW);
    AtomicInteger logins = new AtomicInteger();
    http.answer(
        "POST",
        "/v2/users/login",
        request ->
            Reply.json(
                200,
                "{\"token\":\""
                    + jwt(
                        "alice-" + logins.incrementAndGet(),
                        clock.instant(),
                        Duration.ofMinutes(10))
                    + "\"}"));
    http.on("GET", PATH, Reply.json(200, TOKEN));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      HubClient shared =
          client(
                  http,
                  Credentials.password("alice", "pw"),
                  clock,
                  new TestSupport.RecordingSleeper())
              .executor(pool)
              .build();
      List<CompletableFuture<HubAccessToken>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(shared.getAsync(ID));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      assertThat(logins).hasValue(1);
      assertThat(http.requests("GET", PATH)).hasSize(64);
    } finally {
      pool.shutdownNow();
    }
  }
}
