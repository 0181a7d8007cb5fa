package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.AccountPage;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.TokenOrigin;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite for {@link TokenStore} implementations: every documented behaviour of the
 * SPI, including atomic per-account changes under concurrent writers.
 *
 * <p>Extend it in your tests with a factory for a fresh, empty store:
 *
 * <pre>{@code
 * class JdbcTokenStoreContractTest extends TokenStoreContract {
 *   @Override
 *   protected TokenStore newStore() {
 *     return new JdbcTokenStore(freshSchema());
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets its own store; {@link #closeStore(TokenStore)} is called after it. The
 * concurrency tests use {@value #THREADS} threads and wait for them without timing anything.
 */
public abstract class TokenStoreContract {
  /** How many threads the concurrency tests run at once. */
  protected static final int THREADS = 8;

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private TokenStore store;
  // Atomic: the concurrency tests draw tokens from several threads at once, and a repeated number
  // would give two tokens the same id and lookup key.
  private final AtomicLong sequence = new AtomicLong();

  /** For subclasses. */
  protected TokenStoreContract() {}

  /** Returns a new, empty store; called once per test. */
  protected abstract TokenStore newStore();

  /** Releases a store after its test; does nothing unless overridden. */
  protected void closeStore(TokenStore store) {}

  /** Creates the test's store. */
  @BeforeEach
  protected final void createStore() {
    store = newStore();
    assertThat(store).as("newStore()").isNotNull();
  }

  /** Releases the test's store. */
  @AfterEach
  protected final void releaseStore() {
    closeStore(store);
  }

  // ---------------------------------------------------------------------------------------------
  // find and findByLookupKey

  /** An empty store finds nothing. */
  @Test
  public void emptyStore_findsNothing() {
    assertThat(store.find("alice", UUID.randomUUID())).isEmpty();
    assertThat(store.findByLookupKey(key(1))).isEmpty();
  }

  /** A token put is read back equal, every field included. */
  @Test
  public void insertedToken_roundTripsExactly() {
    StoredToken token = fullyPopulated("alice");

    insert(token);

    assertThat(store.find("alice", token.token().id())).contains(token);
    assertThat(store.findByLookupKey(token.lookupKey())).contains(token);
  }

  /** A token with no optional fields set round-trips too. */
  @Test
  public void minimalToken_roundTripsExactly() {
    StoredToken token = stored("alice", T0, TokenOrigin.MANUAL);

    insert(token);

    assertThat(store.find("alice", token.token().id())).contains(token);
  }

  /** {@code find} answers only for the account that holds the token. */
  @Test
  public void find_forAnotherAccount_isEmpty() {
    StoredToken token = insert(stored("alice", T0, TokenOrigin.MANUAL));

    assertThat(store.find("bob", token.token().id())).isEmpty();
  }

  /** {@code findByLookupKey} finds a token whichever account holds it. */
  @Test
  public void findByLookupKey_findsTokensOfEveryAccount() {
    StoredToken alices = insert(stored("alice", T0, TokenOrigin.MANUAL));
    StoredToken bobs = insert(stored("bob", T0, TokenOrigin.AUTO_GENERATED));

    assertThat(store.findByLookupKey(alices.lookupKey())).contains(alices);
    assertThat(store.findByLookupKey(bobs.lookupKey())).contains(bobs);
  }

  /** An unknown lookup key finds nothing. */
  @Test
  public void findByLookupKey_ofUnknownKey_isEmpty() {
    insert(stored("alice", T0, TokenOrigin.MANUAL));

    assertThat(store.findByLookupKey(key(999_999))).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // list

  /** An account that holds nothing lists an empty page with zero counts. */
  @Test
  public void list_ofUnknownAccount_isEmptyWithZeroCounts() {
    AccountPage page = store.list("nobody", 0, 10, T0);

    assertThat(page.tokens()).isEmpty();
    assertThat(page.total()).isZero();
    assertThat(page.activeCount()).isZero();
  }

  /** Tokens are listed newest creation first. */
  @Test
  public void list_isNewestFirst() {
    StoredToken old = insert(stored("alice", T0, TokenOrigin.MANUAL));
    StoredToken newest = insert(stored("alice", T0.plusSeconds(20), TokenOrigin.AUTO_GENERATED));
    StoredToken middle = insert(stored("alice", T0.plusSeconds(10), TokenOrigin.MANUAL));

    assertThat(store.list("alice", 0, 10, T0).tokens()).containsExactly(newest, middle, old);
  }

  /** Among tokens created at the same instant, the greater id (unsigned) comes first. */
  @Test
  public void list_breaksTiesByGreaterUnsignedIdFirst() {
    StoredToken low = insert(withId(stored("alice", T0, TokenOrigin.MANUAL), new UUID(0x1L, 1)));
    StoredToken high =
        insert(
            withId(stored("alice", T0, TokenOrigin.MANUAL), new UUID(0x8000_0000_0000_0000L, 1)));
    StoredToken mid =
        insert(
            withId(stored("alice", T0, TokenOrigin.MANUAL), new UUID(0x7fff_0000_0000_0000L, 1)));

    assertThat(store.list("alice", 0, 10, T0).tokens()).containsExactly(high, mid, low);
    assertThat(store.list("alice", 0, 10, T0).tokens().stream().map(t -> t.token()))
        .isSortedAccordingTo(TokenStore.NEWEST_FIRST);
  }

  /** {@code offset} skips tokens of the order and {@code limit} bounds the page. */
  @Test
  public void list_pagesWithOffsetAndLimit() {
    List<StoredToken> newestFirst = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      newestFirst.add(0, insert(stored("alice", T0.plusSeconds(i), TokenOrigin.MANUAL)));
    }

    AccountPage page = store.list("alice", 3, 2, T0);

    assertThat(page.tokens()).containsExactly(newestFirst.get(3), newestFirst.get(4));
    assertThat(page.total()).isEqualTo(7);
  }

  /** A page past the end is empty but still carries the counts. */
  @Test
  public void list_pastTheEnd_isEmptyWithCounts() {
    insert(stored("alice", T0, TokenOrigin.MANUAL));
    insert(stored("alice", T0.plusSeconds(1), TokenOrigin.MANUAL));

    AccountPage page = store.list("alice", 5, 10, T0);

    assertThat(page.tokens()).isEmpty();
    assertThat(page.total()).isEqualTo(2);
    assertThat(page.activeCount()).isEqualTo(2);
  }

  /** The list holds only the account's own tokens. */
  @Test
  public void list_holdsOnlyTheAccountsTokens() {
    StoredToken alices = insert(stored("alice", T0, TokenOrigin.MANUAL));
    insert(stored("bob", T0, TokenOrigin.MANUAL));

    AccountPage page = store.list("alice", 0, 10, T0);

    assertThat(page.tokens()).containsExactly(alices);
    assertThat(page.total()).isEqualTo(1);
  }

  /** The total counts every origin and status; the active count only tokens active at now. */
  @Test
  public void list_countsEveryTokenButOnlyActiveOnesAsActive() {
    Instant now = T0.plusSeconds(100);
    insert(stored("alice", T0, TokenOrigin.MANUAL));
    insert(stored("alice", T0.plusSeconds(1), TokenOrigin.AUTO_GENERATED));
    insert(
        modified(
            stored("alice", T0.plusSeconds(2), TokenOrigin.MANUAL),
            false,
            Optional.empty(),
            Optional.empty()));
    insert(
        modified(
            stored("alice", T0.plusSeconds(3), TokenOrigin.MANUAL),
            true,
            Optional.of(now),
            Optional.empty()));
    insert(
        modified(
            stored("alice", T0.plusSeconds(4), TokenOrigin.MANUAL),
            true,
            Optional.empty(),
            Optional.of(T0.plusSeconds(50))));
    insert(
        modified(
            stored("alice", T0.plusSeconds(5), TokenOrigin.MANUAL),
            true,
            Optional.of(now.plusSeconds(1)),
            Optional.empty()));

    AccountPage page = store.list("alice", 0, 2, now);

    assertThat(page.total()).isEqualTo(6);
    assertThat(page.activeCount()).isEqualTo(3);
  }

  /** The active count is taken at the given instant, not at the store's own time. */
  @Test
  public void list_countsActiveTokensAtTheGivenInstant() {
    insert(
        modified(
            stored("alice", T0, TokenOrigin.MANUAL),
            true,
            Optional.of(T0.plusSeconds(60)),
            Optional.empty()));

    assertThat(store.list("alice", 0, 10, T0.plusSeconds(59)).activeCount()).isEqualTo(1);
    assertThat(store.list("alice", 0, 10, T0.plusSeconds(60)).activeCount()).isZero();
  }

  /** A negative offset is refused. */
  @Test
  public void list_withNegativeOffset_isRefused() {
    assertThatThrownBy(() -> store.list("alice", -1, 10, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A limit below 1 is refused. */
  @Test
  public void list_withLimitBelowOne_isRefused() {
    assertThatThrownBy(() -> store.list("alice", 0, 0, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // update

  /** {@code update} hands back the change's result. */
  @Test
  public void update_returnsTheChangesResult() {
    String result = store.update("alice", snapshot -> AccountChange.none("done"));

    assertThat(result).isEqualTo("done");
  }

  /** The snapshot of an account that holds nothing is empty. */
  @Test
  public void update_snapshotOfEmptyAccount_isEmpty() {
    store.update(
        "alice",
        snapshot -> {
          assertThat(snapshot.owner()).isEqualTo("alice");
          assertThat(snapshot.count(TokenOrigin.MANUAL)).isZero();
          assertThat(snapshot.count(TokenOrigin.AUTO_GENERATED)).isZero();
          assertThat(snapshot.tokens(TokenOrigin.MANUAL)).isEmpty();
          assertThat(snapshot.find(UUID.randomUUID())).isEmpty();
          return AccountChange.none(true);
        });
  }

  /** The snapshot shows the account's tokens by origin, newest first, and finds them by id. */
  @Test
  public void update_snapshotShowsTheAccountsTokensByOrigin() {
    StoredToken manualOld = insert(stored("alice", T0, TokenOrigin.MANUAL));
    StoredToken manualNew = insert(stored("alice", T0.plusSeconds(5), TokenOrigin.MANUAL));
    StoredToken auto = insert(stored("alice", T0.plusSeconds(2), TokenOrigin.AUTO_GENERATED));
    insert(stored("bob", T0, TokenOrigin.MANUAL));

    store.update(
        "alice",
        snapshot -> {
          assertThat(snapshot.count(TokenOrigin.MANUAL)).isEqualTo(2);
          assertThat(snapshot.count(TokenOrigin.AUTO_GENERATED)).isEqualTo(1);
          assertThat(snapshot.tokens(TokenOrigin.MANUAL)).containsExactly(manualNew, manualOld);
          assertThat(snapshot.tokens(TokenOrigin.AUTO_GENERATED)).containsExactly(auto);
          assertThat(snapshot.find(auto.token().id())).contains(auto);
          return AccountChange.none(true);
        });
  }

  /** The snapshot's token lists cannot be modified. */
  @Test
  public void update_snapshotListsAreUnmodifiable() {
    insert(stored("alice", T0, TokenOrigin.MANUAL));

    store.update(
        "alice",
        snapshot -> {
          List<StoredToken> tokens = snapshot.tokens(TokenOrigin.MANUAL);
          assertThatThrownBy(() -> tokens.clear())
              .isInstanceOf(UnsupportedOperationException.class);
          return AccountChange.none(true);
        });
  }

  /** A put with a known id replaces the whole token; the lookup key finds the new version. */
  @Test
  public void update_putOfKnownId_replacesTheWholeToken() {
    StoredToken original = insert(stored("alice", T0, TokenOrigin.MANUAL));
    StoredToken renamed =
        original
            .withToken(relabel(original.token(), "renamed"))
            .withEncodedHash("rehashed-" + original.encodedHash());

    store.update("alice", snapshot -> AccountChange.put(renamed, true));

    assertThat(store.find("alice", original.token().id())).contains(renamed);
    assertThat(store.findByLookupKey(original.lookupKey())).contains(renamed);
    assertThat(store.list("alice", 0, 10, T0).total()).isEqualTo(1);
  }

  /** A delete removes the token from every read. */
  @Test
  public void update_delete_removesTheToken() {
    StoredToken token = insert(stored("alice", T0, TokenOrigin.MANUAL));

    store.update("alice", snapshot -> AccountChange.delete(token.token().id(), true));

    assertThat(store.find("alice", token.token().id())).isEmpty();
    assertThat(store.findByLookupKey(token.lookupKey())).isEmpty();
    assertThat(store.list("alice", 0, 10, T0).total()).isZero();
  }

  /** Puts and deletes of one change are applied together. */
  @Test
  public void update_appliesPutsAndDeletesTogether() {
    StoredToken evicted = insert(stored("alice", T0, TokenOrigin.AUTO_GENERATED));
    StoredToken fresh = stored("alice", T0.plusSeconds(1), TokenOrigin.AUTO_GENERATED);

    store.update(
        "alice", snapshot -> AccountChange.put(fresh, true).andDelete(evicted.token().id()));

    assertThat(store.list("alice", 0, 10, T0).tokens()).containsExactly(fresh);
  }

  /** When the change function throws, the exception propagates and nothing is applied. */
  @Test
  public void update_whenTheFunctionThrows_appliesNothing() {
    StoredToken existing = insert(stored("alice", T0, TokenOrigin.MANUAL));
    IllegalStateException failure = new IllegalStateException("plan limit");

    assertThatThrownBy(
            () ->
                store.update(
                    "alice",
                    snapshot -> {
                      throw failure;
                    }))
        .isSameAs(failure);

    assertThat(store.list("alice", 0, 10, T0).tokens()).containsExactly(existing);
  }

  /** A put of a token owned by another account is refused and nothing is applied. */
  @Test
  public void update_putForAnotherOwner_isRefusedAndAppliesNothing() {
    StoredToken alices = stored("alice", T0, TokenOrigin.MANUAL);
    StoredToken bobs = stored("bob", T0, TokenOrigin.MANUAL);

    assertThatThrownBy(
            () -> store.update("alice", snapshot -> AccountChange.put(alices, true).andPut(bobs)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.find("alice", alices.token().id())).isEmpty();
    assertThat(store.find("bob", bobs.token().id())).isEmpty();
    assertThat(store.findByLookupKey(alices.lookupKey())).isEmpty();
  }

  /** A replacement that carries another lookup key is refused and nothing is applied. */
  @Test
  public void update_replacementWithAnotherLookupKey_isRefused() {
    StoredToken original = insert(stored("alice", T0, TokenOrigin.MANUAL));
    StoredToken rekeyed =
        StoredToken.of(
            relabel(original.token(), "rekeyed"), key(nextSequence()), original.encodedHash());

    assertThatThrownBy(() -> store.update("alice", snapshot -> AccountChange.put(rekeyed, true)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.find("alice", original.token().id())).contains(original);
    assertThat(store.findByLookupKey(rekeyed.lookupKey())).isEmpty();
  }

  /** Inserting a token whose lookup key another account's token has is refused. */
  @Test
  public void update_insertWithADuplicateLookupKey_isRefused() {
    StoredToken bobs = insert(stored("bob", T0, TokenOrigin.MANUAL));
    StoredToken clash =
        StoredToken.of(stored("alice", T0, TokenOrigin.MANUAL).token(), bobs.lookupKey(), "hash");

    assertThatThrownBy(() -> store.update("alice", snapshot -> AccountChange.put(clash, true)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.find("alice", clash.token().id())).isEmpty();
    assertThat(store.findByLookupKey(bobs.lookupKey())).contains(bobs);
  }

  /** A delete of an id the account does not hold is refused, with the change's puts. */
  @Test
  public void update_deleteOfUnknownId_isRefusedAndAppliesNothing() {
    StoredToken bobs = insert(stored("bob", T0, TokenOrigin.MANUAL));
    StoredToken fresh = stored("alice", T0, TokenOrigin.MANUAL);

    assertThatThrownBy(
            () ->
                store.update(
                    "alice",
                    snapshot -> AccountChange.put(fresh, true).andDelete(bobs.token().id())))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(store.find("alice", fresh.token().id())).isEmpty();
    assertThat(store.find("bob", bobs.token().id())).contains(bobs);
  }

  /** An account whose last token is deleted simply holds none and can hold tokens again. */
  @Test
  public void update_accountWhoseLastTokenIsDeleted_holdsNone() {
    StoredToken only = insert(stored("alice", T0, TokenOrigin.MANUAL));
    store.update("alice", snapshot -> AccountChange.delete(only.token().id(), true));

    StoredToken again = insert(stored("alice", T0.plusSeconds(1), TokenOrigin.MANUAL));

    assertThat(store.list("alice", 0, 10, T0).tokens()).containsExactly(again);
  }

  // ---------------------------------------------------------------------------------------------
  // recordLastUse

  /** The first use is recorded. */
  @Test
  public void recordLastUse_setsTheFirstUse() {
    StoredToken token = insert(stored("alice", T0, TokenOrigin.MANUAL));

    boolean held = store.recordLastUse("alice", token.token().id(), T0.plusSeconds(30));

    assertThat(held).isTrue();
    assertThat(store.find("alice", token.token().id()).orElseThrow().token().lastUsedAt())
        .contains(T0.plusSeconds(30));
  }

  /** A later use moves the last use on. */
  @Test
  public void recordLastUse_movesForward() {
    StoredToken token = insert(stored("alice", T0, TokenOrigin.MANUAL));
    store.recordLastUse("alice", token.token().id(), T0.plusSeconds(30));

    store.recordLastUse("alice", token.token().id(), T0.plusSeconds(90));

    assertThat(store.find("alice", token.token().id()).orElseThrow().token().lastUsedAt())
        .contains(T0.plusSeconds(90));
  }

  /** An earlier use never moves the last use backwards. */
  @Test
  public void recordLastUse_neverMovesBackwards() {
    StoredToken token = insert(stored("alice", T0, TokenOrigin.MANUAL));
    store.recordLastUse("alice", token.token().id(), T0.plusSeconds(90));

    boolean held = store.recordLastUse("alice", token.token().id(), T0.plusSeconds(30));

    assertThat(held).isTrue();
    assertThat(store.find("alice", token.token().id()).orElseThrow().token().lastUsedAt())
        .contains(T0.plusSeconds(90));
  }

  /** Recording a use changes nothing else about the token. */
  @Test
  public void recordLastUse_changesNothingElse() {
    StoredToken token = insert(fullyPopulated("alice"));
    Instant later = token.token().lastUsedAt().orElseThrow().plusSeconds(5);

    store.recordLastUse("alice", token.token().id(), later);

    StoredToken read = store.find("alice", token.token().id()).orElseThrow();
    assertThat(read).isEqualTo(token.withToken(withLastUse(token.token(), later)));
  }

  /** A token the account does not hold is reported as such and nothing changes. */
  @Test
  public void recordLastUse_ofUnknownToken_isFalse() {
    StoredToken bobs = insert(stored("bob", T0, TokenOrigin.MANUAL));

    assertThat(store.recordLastUse("alice", UUID.randomUUID(), T0)).isFalse();
    assertThat(store.recordLastUse("alice", bobs.token().id(), T0.plusSeconds(1))).isFalse();
    assertThat(store.find("bob", bobs.token().id())).contains(bobs);
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency

  /**
   * Concurrent writers deciding from their snapshot (insert while under a limit) never overshoot
   * the limit: each update is atomic for its account.
   */
  @Test
  public void concurrentUpdates_keepALimitDecidedFromTheSnapshot() throws Exception {
    int limit = 40;
    List<StoredToken> candidates = new ArrayList<>();
    for (int i = 0; i < THREADS * 20; i++) {
      candidates.add(stored("alice", T0.plusMillis(i), TokenOrigin.MANUAL));
    }
    AtomicLong accepted = new AtomicLong();

    runConcurrently(
        thread -> {
          for (int i = thread; i < candidates.size(); i += THREADS) {
            StoredToken candidate = candidates.get(i);
            boolean inserted =
                store.update(
                    "alice",
                    snapshot ->
                        snapshot.count(TokenOrigin.MANUAL) < limit
                            ? AccountChange.put(candidate, true)
                            : AccountChange.none(false));
            if (inserted) {
              accepted.incrementAndGet();
            }
          }
        });

    assertThat(accepted.get()).isEqualTo(limit);
    assertThat(store.list("alice", 0, 100, T0).total()).isEqualTo(limit);
  }

  /** Concurrent read-modify-writes of one token lose no update. */
  @Test
  public void concurrentUpdates_loseNoWrite() throws Exception {
    StoredToken counter = insert(relabeled(stored("alice", T0, TokenOrigin.MANUAL), "0"));
    int perThread = 50;

    runConcurrently(
        thread -> {
          for (int i = 0; i < perThread; i++) {
            store.update(
                "alice",
                snapshot -> {
                  StoredToken current = snapshot.find(counter.token().id()).orElseThrow();
                  int next = Integer.parseInt(current.token().label()) + 1;
                  return AccountChange.put(
                      current.withToken(relabel(current.token(), Integer.toString(next))), next);
                });
          }
        });

    assertThat(store.find("alice", counter.token().id()).orElseThrow().token().label())
        .isEqualTo(Integer.toString(THREADS * perThread));
  }

  /**
   * Uses recorded while other writers replace the token from their snapshot are never lost: the
   * last use ends at the latest instant recorded.
   */
  @Test
  public void concurrentLastUseAndUpdates_neverLoseTheLatestUse() throws Exception {
    StoredToken token = insert(stored("alice", T0, TokenOrigin.MANUAL));
    int perThread = 50;

    runConcurrently(
        thread -> {
          for (int i = 0; i < perThread; i++) {
            if (thread % 2 == 0) {
              store.recordLastUse(
                  "alice", token.token().id(), T0.plusSeconds(thread * perThread + i + 1L));
            } else {
              int n = i;
              store.update(
                  "alice",
                  snapshot -> {
                    StoredToken current = snapshot.find(token.token().id()).orElseThrow();
                    return AccountChange.put(
                        current.withToken(relabel(current.token(), "v" + n)), true);
                  });
            }
          }
        });

    Instant latest = T0.plusSeconds((long) (THREADS - 2) * perThread + perThread);
    assertThat(store.find("alice", token.token().id()).orElseThrow().token().lastUsedAt())
        .contains(latest);
  }

  /** Readers never see a change half applied: a swap of two tokens always shows exactly one. */
  @Test
  public void concurrentReaders_neverSeeAPartlyAppliedChange() throws Exception {
    StoredToken first = insert(stored("alice", T0, TokenOrigin.AUTO_GENERATED));
    AtomicBoolean partial = new AtomicBoolean();
    AtomicBoolean writing = new AtomicBoolean(true);
    List<StoredToken> swapped = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      swapped.add(stored("alice", T0.plusSeconds(i + 1L), TokenOrigin.AUTO_GENERATED));
    }

    runConcurrently(
        thread -> {
          if (thread == 0) {
            UUID current = first.token().id();
            for (StoredToken next : swapped) {
              UUID previous = current;
              store.update("alice", snapshot -> AccountChange.put(next, true).andDelete(previous));
              current = next.token().id();
            }
            writing.set(false);
          } else {
            while (writing.get()) {
              AccountPage page = store.list("alice", 0, 10, T0);
              if (page.total() != 1 || page.tokens().size() != 1) {
                partial.set(true);
              }
            }
          }
        });

    assertThat(partial).as("a reader saw a partly applied change").isFalse();
    assertThat(store.list("alice", 0, 10, T0).tokens())
        .containsExactly(swapped.get(swapped.size() - 1));
  }

  /** Writers to different accounts do not disturb each other. */
  @Test
  public void concurrentWritersToDifferentAccounts_eachKeepTheirTokens() throws Exception {
    int perThread = 25;

    runConcurrently(
        thread -> {
          for (int i = 0; i < perThread; i++) {
            StoredToken token = stored("user" + thread, T0.plusSeconds(i), TokenOrigin.MANUAL);
            store.update(token.token().owner(), snapshot -> AccountChange.put(token, true));
          }
        });

    for (int thread = 0; thread < THREADS; thread++) {
      AccountPage page = store.list("user" + thread, 0, 100, T0);
      assertThat(page.total()).isEqualTo(perThread);
      assertThat(page.tokens()).allSatisfy(t -> assertThat(t.token().owner()).startsWith("user"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Fixtures

  /** A task of one of the {@value #THREADS} threads, given its number. */
  @FunctionalInterface
  protected interface ThreadTask {
    /** Runs the task of thread {@code thread} (0-based). */
    void run(int thread) throws Exception;
  }

  /** Starts {@value #THREADS} tasks at once and waits for all of them; rethrows a failure. */
  protected static void runConcurrently(ThreadTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Void>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Callable<Void> call =
            () -> {
              start.await();
              task.run(thread);
              return null;
            };
        futures.add(pool.submit(call));
      }
      start.countDown();
      for (Future<Void> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /** Returns the store of the running test. */
  protected final TokenStore store() {
    return store;
  }

  private StoredToken insert(StoredToken token) {
    store.update(token.token().owner(), snapshot -> AccountChange.put(token, true));
    return token;
  }

  private long nextSequence() {
    return sequence.incrementAndGet();
  }

  private StoredToken stored(String owner, Instant createdAt, TokenOrigin origin) {
    long n = nextSequence();
    AccessToken token =
        new AccessToken(
            UUID.nameUUIDFromBytes(
                ("token-" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            owner,
            "token " + n,
            origin == TokenOrigin.AUTO_GENERATED
                ? Set.of(Scope.REPO_ADMIN)
                : Set.of(Scope.REPO_READ),
            origin,
            true,
            createdAt.truncatedTo(ChronoUnit.MICROS),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            ClientInfo.unknown());
    return StoredToken.of(token, key(n), "hash-" + n);
  }

  private StoredToken fullyPopulated(String owner) {
    StoredToken base = stored(owner, T0.plusNanos(123_456_000), TokenOrigin.MANUAL);
    AccessToken t = base.token();
    AccessToken full =
        new AccessToken(
            t.id(),
            owner,
            "Full \u00e9t\u00e9 \uD83D\uDE80 label",
            EnumSet.of(Scope.REPO_READ, Scope.REPO_WRITE),
            TokenOrigin.MANUAL,
            false,
            t.createdAt(),
            Optional.of(T0.plusSeconds(60).plusNanos(1_000)),
            Optional.of(T0.plusSeconds(86_400).plusNanos(999_999_000)),
            Optional.of(T0.plusSeconds(120)),
            ClientInfo.of("HUB", "2001:db8::1", "hub-tool/0.4.6 (linux; amd64)"));
    return base.withToken(full);
  }

  private static StoredToken withId(StoredToken stored, UUID id) {
    AccessToken t = stored.token();
    return StoredToken.of(
        new AccessToken(
            id,
            t.owner(),
            t.label(),
            t.scopes(),
            t.origin(),
            t.active(),
            t.createdAt(),
            t.lastUsedAt(),
            t.expiresAt(),
            t.revokedAt(),
            t.client()),
        stored.lookupKey(),
        stored.encodedHash());
  }

  private static StoredToken modified(
      StoredToken stored,
      boolean active,
      Optional<Instant> expiresAt,
      Optional<Instant> revokedAt) {
    AccessToken t = stored.token();
    return stored.withToken(
        new AccessToken(
            t.id(),
            t.owner(),
            t.label(),
            t.scopes(),
            t.origin(),
            active,
            t.createdAt(),
            t.lastUsedAt(),
            expiresAt,
            revokedAt,
            t.client()));
  }

  private static StoredToken relabeled(StoredToken stored, String label) {
    return stored.withToken(relabel(stored.token(), label));
  }

  private static AccessToken relabel(AccessToken t, String label) {
    return new AccessToken(
        t.id(),
        t.owner(),
        label,
        t.scopes(),
        t.origin(),
        t.active(),
        t.createdAt(),
        t.lastUsedAt(),
        t.expiresAt(),
        t.revokedAt(),
        t.client());
  }

  private static AccessToken withLastUse(AccessToken t, Instant at) {
    return new AccessToken(
        t.id(),
        t.owner(),
        t.label(),
        t.scopes(),
        t.origin(),
        t.active(),
        t.createdAt(),
        Optional.of(at),
        t.expiresAt(),
        t.revokedAt(),
        t.client());
  }

  private static LookupKey key(long n) {
    return LookupKey.of(ByteBuffer.allocate(16).putLong(0x5eed_0000_0000_0000L).putLong(n).array());
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "["
        + (store == null ? "no store" : store.getClass().getSimpleName())
        + "]";
  }
}
