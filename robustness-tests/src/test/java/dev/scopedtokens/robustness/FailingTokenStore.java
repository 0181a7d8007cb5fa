package dev.scopedtokens.robustness;

import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.AccountPage;
import dev.scopedtokens.store.AccountSnapshot;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * A {@link TokenStore} that fails on a chosen call: the n-th call of one kind after {@link #arm}
 * throws a {@link StoreFailure} instead of reaching the store, once. Every other call is passed to
 * the delegate unchanged.
 *
 * <p>Two faults are offered for {@link #update}: {@link Call#UPDATE} fails before the store is
 * touched (the connection is down), {@link Call#UPDATE_COMMIT} fails after the service's function
 * has decided the change and before it is applied (the commit fails). Both leave the store as it
 * was, as the {@code TokenStore} contract requires of an update whose function throws.
 *
 * <p>Not thread-safe: for single-threaded fault tests.
 */
final class FailingTokenStore implements TokenStore {
  /** The store calls a fault can hit. */
  enum Call {
    FIND,
    FIND_BY_LOOKUP_KEY,
    LIST,
    UPDATE,
    UPDATE_COMMIT,
    RECORD_LAST_USE
  }

  /** The injected failure; its message names the call so a test report says what failed. */
  static final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreFailure(Call call) {
      super("injected store failure on " + call);
    }
  }

  private final TokenStore delegate;
  private Call armedCall;
  private int countdown;
  private int failures;

  FailingTokenStore(TokenStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** Makes the {@code nth} call (1 or more) of {@code call} from now on fail, once. */
  void arm(Call call, int nth) {
    if (nth < 1) {
      throw new IllegalArgumentException("nth: " + nth + "; must be 1 or more");
    }
    armedCall = Objects.requireNonNull(call, "call");
    countdown = nth;
  }

  /** Cancels a fault that has not fired yet. */
  void disarm() {
    armedCall = null;
  }

  /** Returns how many faults have fired so far. */
  int failures() {
    return failures;
  }

  /** Returns the store behind the faults, for reading the true state. */
  TokenStore delegate() {
    return delegate;
  }

  private void maybeFail(Call call) {
    if (armedCall == call && --countdown == 0) {
      armedCall = null;
      failures++;
      throw new StoreFailure(call);
    }
  }

  @Override
  public Optional<StoredToken> find(String owner, UUID id) {
    maybeFail(Call.FIND);
    return delegate.find(owner, id);
  }

  @Override
  public Optional<StoredToken> findByLookupKey(LookupKey lookupKey) {
    maybeFail(Call.FIND_BY_LOOKUP_KEY);
    return delegate.findByLookupKey(lookupKey);
  }

  @Override
  public AccountPage list(String owner, long offset, int limit, Instant now) {
    maybeFail(Call.LIST);
    return delegate.list(owner, offset, limit, now);
  }

  @Override
  public <R> R update(String owner, Function<AccountSnapshot, AccountChange<R>> change) {
    maybeFail(Call.UPDATE);
    return delegate.update(
        owner,
        snapshot -> {
          AccountChange<R> decided = change.apply(snapshot);
          maybeFail(Call.UPDATE_COMMIT);
          return decided;
        });
  }

  @Override
  public boolean recordLastUse(String owner, UUID id, Instant usedAt) {
    maybeFail(Call.RECORD_LAST_USE);
    return delegate.recordLastUse(owner, id, usedAt);
  }
}
