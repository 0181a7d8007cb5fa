package dev.scopedtokens.token;

import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.AccountPage;
import dev.scopedtokens.store.AccountSnapshot;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenStore;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** An in-memory store that counts the calls the service makes. */
final class CountingStore implements TokenStore {
  final TokenStore delegate = new InMemoryTokenStore();
  final AtomicInteger lookups = new AtomicInteger();
  final AtomicInteger lastUseWrites = new AtomicInteger();
  final AtomicInteger updates = new AtomicInteger();

  /** While true, {@link #recordLastUse} throws as a store that is down would. */
  volatile boolean lastUseWritesFail;

  /** Runs once, on the calling thread, after the next update committed; then it is cleared. */
  volatile Runnable afterNextUpdate;

  @Override
  public Optional<StoredToken> find(String owner, UUID id) {
    return delegate.find(owner, id);
  }

  @Override
  public Optional<StoredToken> findByLookupKey(LookupKey lookupKey) {
    lookups.incrementAndGet();
    return delegate.findByLookupKey(lookupKey);
  }

  @Override
  public AccountPage list(String owner, long offset, int limit, Instant now) {
    return delegate.list(owner, offset, limit, now);
  }

  @Override
  public <R> R update(String owner, Function<AccountSnapshot, AccountChange<R>> change) {
    updates.incrementAndGet();
    R result = delegate.update(owner, change);
    Runnable after = afterNextUpdate;
    if (after != null) {
      afterNextUpdate = null;
      after.run();
    }
    return result;
  }

  @Override
  public boolean recordLastUse(String owner, UUID id, Instant usedAt) {
    lastUseWrites.incrementAndGet();
    if (lastUseWritesFail) {
      throw new IllegalStateException("store unavailable");
    }
    return delegate.recordLastUse(owner, id, usedAt);
  }
}
