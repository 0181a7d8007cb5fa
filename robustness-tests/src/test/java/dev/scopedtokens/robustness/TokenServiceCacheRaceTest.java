package dev.scopedtokens.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.AccountPage;
import dev.scopedtokens.store.AccountSnapshot;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The cache race the stress test found, replayed step by step with latches instead of luck.
 *
 * <p>Two deactivations of one cached token race. The first commits and, before it drops the cache
 * entry, is held. The second finds the token already inactive, changes nothing, and returns: the
 * token is deactivated as far as its caller can tell, and {@code TokenService#deactivate} promises
 * that "it is rejected by verification from now on, cached verifications included". The verify that
 * follows used to hit the stale cache entry, when the service dropped entries only after a change
 * that changed something.
 */
class TokenServiceCacheRaceTest {

  @Test
  void verify_afterANoOpDeactivationReturned_isRejected_evenWhileTheRealOneIsInvalidating()
      throws Exception {
    PausingStore store = new PausingStore(new InMemoryTokenStore());
    TokenService service =
        TokenService.builder()
            .store(store)
            .hasher(HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256")))
            .cache(Duration.ofHours(1), 100)
            .build();
    IssuedToken token = service.create("alice", TokenRequest.of("ci", Scope.REPO_READ));
    assertThat(service.verify(token.secret()).isVerified()).isTrue(); // cached now

    CompletableFuture<AccessToken> first =
        CompletableFuture.supplyAsync(
            () -> {
              store.pauseAfterNextCommit();
              return service.deactivate("alice", token.token().id());
            });
    store.committed.await(); // the first deactivation is committed, its invalidation not yet run
    AccessToken second = service.deactivate("alice", token.token().id());
    try {
      assertThat(second.active()).isFalse();
      assertThat(service.verify(token.secret()).isVerified()).isFalse();
    } finally {
      store.resume.countDown();
      first.get();
    }
  }

  /** Holds the thread that armed it right after its next update committed. */
  private static final class PausingStore implements TokenStore {
    final CountDownLatch committed = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);
    private final TokenStore delegate;
    private volatile Thread paused;

    PausingStore(TokenStore delegate) {
      this.delegate = delegate;
    }

    void pauseAfterNextCommit() {
      paused = Thread.currentThread();
    }

    @Override
    public <R> R update(String owner, Function<AccountSnapshot, AccountChange<R>> change) {
      R result = delegate.update(owner, change);
      if (Thread.currentThread() == paused) {
        paused = null;
        committed.countDown();
        try {
          resume.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return result;
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
    public boolean recordLastUse(String owner, UUID id, Instant usedAt) {
      return delegate.recordLastUse(owner, id, usedAt);
    }
  }
}
