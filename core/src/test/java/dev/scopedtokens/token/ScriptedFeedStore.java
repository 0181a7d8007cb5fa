package dev.scopedtokens.token;

import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.AccountPage;
import dev.scopedtokens.store.AccountSnapshot;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenChangeFeed;
import dev.scopedtokens.store.TokenStore;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-memory store whose change feed the test drives, as a database's feed behaves: it can go
 * down (and then loses the notices of changes committed meanwhile) and come back.
 */
final class ScriptedFeedStore implements TokenStore {
  private final InMemoryTokenStore delegate = new InMemoryTokenStore();
  private final CopyOnWriteArrayList<TokenChangeFeed.Listener> listeners =
      new CopyOnWriteArrayList<>();
  private volatile boolean healthy;
  final AtomicInteger subscriptions = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();

  private final TokenChangeFeed feed =
      listener -> {
        synchronized (this) {
          listeners.add(listener);
          subscriptions.incrementAndGet();
          if (healthy) {
            listener.onHealthy();
          }
        }
        return () -> {
          if (listeners.remove(listener)) {
            closed.incrementAndGet();
          }
        };
      };

  ScriptedFeedStore(boolean healthy) {
    this.healthy = healthy;
    // Forward the in-memory store's notices only while healthy: the others are lost.
    delegate
        .changeFeed()
        .orElseThrow()
        .subscribe(
            new TokenChangeFeed.Listener() {
              @Override
              public void onHealthy() {}

              @Override
              public void onUnhealthy(String reason) {}

              @Override
              public void onTokensChanged(Set<UUID> tokenIds) {
                if (ScriptedFeedStore.this.healthy) {
                  listeners.forEach(l -> l.onTokensChanged(tokenIds));
                }
              }

              @Override
              public void onAllChanged() {}
            });
  }

  synchronized void goDown() {
    healthy = false;
    listeners.forEach(l -> l.onUnhealthy("scripted outage"));
  }

  synchronized void comeBack() {
    healthy = true;
    listeners.forEach(TokenChangeFeed.Listener::onHealthy);
  }

  void everythingChanged() {
    listeners.forEach(TokenChangeFeed.Listener::onAllChanged);
  }

  @Override
  public Optional<TokenChangeFeed> changeFeed() {
    return Optional.of(feed);
  }

  @Override
  public Optional<StoredToken> find(String owner, UUID id) {
    return delegate.find(owner, id);
  }

  @Override
  public Optional<StoredToken> findByLookupKey(LookupKey lookupKey) {
    return delegate.findByLookupKey(lookupKey);
  }

  @Override
  public AccountPage list(String owner, long offset, int limit, Instant now) {
    return delegate.list(owner, offset, limit, now);
  }

  @Override
  public <R> R update(String owner, Function<AccountSnapshot, AccountChange<R>> change) {
    return delegate.update(owner, change);
  }

  @Override
  public boolean recordLastUse(String owner, UUID id, Instant usedAt) {
    return delegate.recordLastUse(owner, id, usedAt);
  }
}
