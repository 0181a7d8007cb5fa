package dev.scopedtokens.token;

import static dev.scopedtokens.token.Fixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.AccountPage;
import dev.scopedtokens.store.AccountSnapshot;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenChangeFeed;
import dev.scopedtokens.store.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Last use with several nodes over one store: each node writes a token's last use at most once per
 * interval, the stored value never moves backwards, and it trails the newest use on any node by at
 * most one interval, which is the bound on how stale eviction's view can be.
 */
class LastUseAcrossNodesTest {
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  private final MutableClock clock = MutableClock.at(Fixtures.START);
  private final InMemoryTokenStore shared = new InMemoryTokenStore();

  /** One node's view of the shared store, counting its last-use writes. */
  private static final class Node implements TokenStore {
    final TokenStore store;
    final List<Instant> writes = new ArrayList<>();

    Node(TokenStore store) {
      this.store = store;
    }

    @Override
    public Optional<StoredToken> find(String owner, UUID id) {
      return store.find(owner, id);
    }

    @Override
    public Optional<StoredToken> findByLookupKey(LookupKey lookupKey) {
      return store.findByLookupKey(lookupKey);
    }

    @Override
    public AccountPage list(String owner, long offset, int limit, Instant now) {
      return store.list(owner, offset, limit, now);
    }

    @Override
    public <R> R update(String owner, Function<AccountSnapshot, AccountChange<R>> change) {
      return store.update(owner, change);
    }

    @Override
    public synchronized boolean recordLastUse(String owner, UUID id, Instant usedAt) {
      writes.add(usedAt);
      return store.recordLastUse(owner, id, usedAt);
    }

    @Override
    public Optional<TokenChangeFeed> changeFeed() {
      return store.changeFeed();
    }
  }

  private TokenService service(Node node) {
    return Fixtures.service(clock, Plan.FAIR_USE)
        .store(node)
        .lastUseWriteInterval(INTERVAL)
        .build();
  }

  @Test
  void eachNodeWritesAtMostOncePerInterval_andTheStoredValueNeverMovesBackwards() {
    Node onA = new Node(shared);
    Node onB = new Node(shared);
    TokenService a = service(onA);
    TokenService b = service(onB);
    IssuedToken issued = a.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ));
    UUID id = issued.token().id();
    Instant stored = Instant.MIN;
    Instant newest = null;

    // Ten minutes of a use every 7 seconds, alternating between the nodes.
    for (int tick = 0; tick < 86; tick++) {
      clock.advance(Duration.ofSeconds(7));
      (tick % 2 == 0 ? a : b).verify(ALICE, issued.secret());
      newest = clock.instant();
      Instant now = shared.find(ALICE, id).orElseThrow().token().lastUsedAt().orElseThrow();
      assertThat(now).as("never backwards").isAfterOrEqualTo(stored);
      assertThat(now)
          .as("trails the newest use by under one interval")
          .isAfter(newest.minus(INTERVAL));
      stored = now;
    }

    for (Node node : List.of(onA, onB)) {
      for (int i = 1; i < node.writes.size(); i++) {
        assertThat(Duration.between(node.writes.get(i - 1), node.writes.get(i)))
            .as("one node's writes of one token")
            .isGreaterThanOrEqualTo(INTERVAL);
      }
      assertThat(node.writes).hasSizeLessThanOrEqualTo(11);
    }
  }

  @Test
  void anOlderUseFlushedByAnotherNode_doesNotMoveTheStoredValueBack() {
    Node onA = new Node(shared);
    Node onB = new Node(shared);
    TokenService a = service(onA);
    TokenService b = service(onB);
    IssuedToken issued = a.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ));
    b.verify(ALICE, issued.secret()); // B writes T+0
    clock.advance(Duration.ofSeconds(10));
    b.verify(ALICE, issued.secret()); // B holds T+10 in memory
    clock.advance(Duration.ofSeconds(10));
    a.verify(ALICE, issued.secret()); // A writes T+20

    b.flushLastUse(); // B's older T+10

    assertThat(a.get(ALICE, issued.token().id()).lastUsedAt())
        .contains(Instant.parse(Fixtures.START).plusSeconds(20));
  }
}
