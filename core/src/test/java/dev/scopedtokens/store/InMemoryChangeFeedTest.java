package dev.scopedtokens.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.TokenOrigin;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryChangeFeedTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final TokenChangeFeed feed = store.changeFeed().orElseThrow();
  private final AtomicInteger next = new AtomicInteger();

  private StoredToken token(String owner) {
    int n = next.incrementAndGet();
    AccessToken token =
        new AccessToken(
            new UUID(0x4000L, n),
            owner,
            "t" + n,
            Set.of(Scope.REPO_READ),
            TokenOrigin.MANUAL,
            true,
            T0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            ClientInfo.unknown());
    return StoredToken.of(token, LookupKey.of(ByteBuffer.allocate(4).putInt(n).array()), "$h$");
  }

  private StoredToken put(StoredToken token) {
    store.update(token.token().owner(), account -> AccountChange.put(token, Boolean.TRUE));
    return token;
  }

  private static UUID id(StoredToken token) {
    return token.token().id();
  }

  @Test
  void subscribing_reportsHealthyBeforeItReturns() {
    Recorder recorder = new Recorder();

    feed.subscribe(recorder);

    assertThat(recorder.calls).containsExactly("healthy");
  }

  @Test
  void aCommittedChange_isDeliveredBeforeUpdateReturns_withEveryIdItPutOrDeleted() {
    StoredToken kept = put(token("alice"));
    StoredToken gone = put(token("alice"));
    Recorder recorder = new Recorder();
    feed.subscribe(recorder);
    StoredToken added = token("alice");

    store.update(
        "alice",
        account ->
            AccountChange.put(kept.withEncodedHash("$h2$"), Boolean.TRUE)
                .andPut(added)
                .andDelete(id(gone)));

    assertThat(recorder.changed).containsExactly(Set.of(id(kept), id(added), id(gone)));
  }

  @Test
  void everySubscriber_receivesTheNotice() {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    feed.subscribe(first);
    feed.subscribe(second);

    StoredToken token = put(token("alice"));

    assertThat(first.changed).containsExactly(Set.of(id(token)));
    assertThat(second.changed).containsExactly(Set.of(id(token)));
  }

  @Test
  void aChangeThatChangesNothing_isNotPublished() {
    Recorder recorder = new Recorder();
    feed.subscribe(recorder);

    store.update("alice", account -> AccountChange.none(Boolean.TRUE));

    assertThat(recorder.changed).isEmpty();
  }

  @Test
  void aChangeThatFails_isNotPublished() {
    StoredToken token = put(token("alice"));
    Recorder recorder = new Recorder();
    feed.subscribe(recorder);

    assertThatThrownBy(
            () ->
                store.update(
                    "alice",
                    account -> {
                      throw new IllegalStateException("refused");
                    }))
        .hasMessage("refused");
    assertThatThrownBy(
            () ->
                store.update(
                    "alice",
                    account -> AccountChange.put(token("alice"), 1).andDelete(new UUID(7, 7))))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(recorder.changed).isEmpty();
    assertThat(store.find("alice", id(token))).contains(token);
  }

  @Test
  void recordingLastUse_isNotAChange() {
    StoredToken token = put(token("alice"));
    Recorder recorder = new Recorder();
    feed.subscribe(recorder);

    assertThat(store.recordLastUse("alice", id(token), T0.plusSeconds(5))).isTrue();

    assertThat(recorder.changed).isEmpty();
  }

  @Test
  void aClosedSubscription_receivesNothingMore() {
    Recorder recorder = new Recorder();
    TokenChangeFeed.Subscription subscription = feed.subscribe(recorder);
    StoredToken before = put(token("alice"));

    subscription.close();
    subscription.close(); // idempotent
    put(token("alice"));

    assertThat(recorder.changed).containsExactly(Set.of(id(before)));
  }

  @Test
  void aListenerThatThrows_neitherFailsTheChangeNorStarvesTheOthers() {
    feed.subscribe(
        new Recorder() {
          @Override
          public void onTokensChanged(Set<UUID> tokenIds) {
            throw new IllegalStateException("listener bug");
          }
        });
    Recorder recorder = new Recorder();
    feed.subscribe(recorder);

    StoredToken token = put(token("alice"));

    assertThat(store.find("alice", id(token))).contains(token);
    assertThat(recorder.changed).containsExactly(Set.of(id(token)));
  }

  @Test
  void theNotice_cannotBeChangedByTheListener() {
    Recorder recorder = new Recorder();
    feed.subscribe(recorder);

    put(token("alice"));

    assertThatThrownBy(() -> recorder.changed.peek().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void concurrentChanges_overManyAccounts_eachReachTheSubscriber() throws Exception {
    Recorder recorder = new Recorder();
    feed.subscribe(recorder);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<UUID>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < 400; i++) {
        String owner = "user" + (i % 10);
        futures.add(pool.submit(() -> id(put(token(owner)))));
      }
      Set<UUID> committed = new HashSet<>();
      for (Future<UUID> future : futures) {
        committed.add(future.get(30, TimeUnit.SECONDS));
      }
      Set<UUID> delivered = new HashSet<>();
      recorder.changed.forEach(delivered::addAll);
      assertThat(delivered).isEqualTo(committed);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Records what the feed delivers. */
  static class Recorder implements TokenChangeFeed.Listener {
    final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Set<UUID>> changed = new ConcurrentLinkedQueue<>();

    @Override
    public void onHealthy() {
      calls.add("healthy");
    }

    @Override
    public void onUnhealthy(String reason) {
      calls.add("unhealthy: " + reason);
    }

    @Override
    public void onTokensChanged(Set<UUID> tokenIds) {
      calls.add("changed");
      changed.add(tokenIds);
    }

    @Override
    public void onAllChanged() {
      calls.add("all");
    }
  }
}
