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
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryTokenStoreTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private int next;

  private StoredToken token(String owner, TokenOrigin origin, Instant createdAt) {
    next++;
    UUID id = new UUID(0x4000L, next);
    AccessToken token =
        new AccessToken(
            id,
            owner,
            "t" + next,
            EnumSet.of(Scope.REPO_READ, Scope.REPO_ADMIN),
            origin,
            true,
            createdAt,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            ClientInfo.of("HUB", "::1", "ua"));
    return StoredToken.of(
        token, LookupKey.of(ByteBuffer.allocate(4).putInt(next).array()), "$hash$" + next);
  }

  private StoredToken put(StoredToken token) {
    store.update(token.token().owner(), account -> AccountChange.put(token, Boolean.TRUE));
    return token;
  }

  @Test
  void putToken_roundTripsExactly_byIdAndByLookupKey() {
    StoredToken token = put(token("alice", TokenOrigin.MANUAL, T0));

    assertThat(store.find("alice", token.token().id())).contains(token);
    assertThat(store.findByLookupKey(token.lookupKey())).contains(token);
  }

  @Test
  void tokenOfAnotherAccount_isNotFoundById() {
    StoredToken token = put(token("alice", TokenOrigin.MANUAL, T0));

    assertThat(store.find("bob", token.token().id())).isEmpty();
  }

  @Test
  void unknownLookupKey_findsNothing() {
    assertThat(store.findByLookupKey(LookupKey.of(new byte[] {9}))).isEmpty();
  }

  @Test
  void list_isNewestFirst_tiesByGreaterIdFirst_withCounts() {
    StoredToken old = put(token("alice", TokenOrigin.MANUAL, T0));
    StoredToken tieSmall = put(token("alice", TokenOrigin.AUTO_GENERATED, T0.plusSeconds(5)));
    StoredToken tieLarge = put(token("alice", TokenOrigin.MANUAL, T0.plusSeconds(5)));
    put(token("bob", TokenOrigin.MANUAL, T0));

    AccountPage page = store.list("alice", 0, 10, T0.plusSeconds(10));

    assertThat(page.tokens()).containsExactly(tieLarge, tieSmall, old);
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.activeCount()).isEqualTo(3);
  }

  @Test
  void list_pagesByOffsetAndLimit() {
    List<StoredToken> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tokens.add(0, put(token("alice", TokenOrigin.MANUAL, T0.plusSeconds(i))));
    }

    assertThat(store.list("alice", 2, 2, T0).tokens())
        .containsExactly(tokens.get(2), tokens.get(3));
    assertThat(store.list("alice", 5, 2, T0).tokens()).isEmpty();
    assertThat(store.list("alice", 5, 2, T0).total()).isEqualTo(5);
  }

  @Test
  void activeCount_isTakenAtTheGivenInstant() {
    StoredToken expiring = token("alice", TokenOrigin.MANUAL, T0);
    AccessToken t = expiring.token();
    put(
        expiring.withToken(
            new AccessToken(
                t.id(),
                t.owner(),
                t.label(),
                t.scopes(),
                t.origin(),
                true,
                t.createdAt(),
                t.lastUsedAt(),
                Optional.of(T0.plusSeconds(60)),
                t.revokedAt(),
                t.client())));

    assertThat(store.list("alice", 0, 1, T0.plusSeconds(59)).activeCount()).isEqualTo(1);
    assertThat(store.list("alice", 0, 1, T0.plusSeconds(60)).activeCount()).isZero();
  }

  @Test
  void invalidListArguments_areRefused() {
    assertThatThrownBy(() -> store.list("alice", -1, 1, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offset: -1; must be 0 or more");
    assertThatThrownBy(() -> store.list("alice", 0, 0, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: 0; must be 1 or more");
  }

  @Test
  void update_seesTheAccountsTokensByOrigin_newestFirst() {
    StoredToken manual = put(token("alice", TokenOrigin.MANUAL, T0));
    StoredToken autoOld = put(token("alice", TokenOrigin.AUTO_GENERATED, T0));
    StoredToken autoNew = put(token("alice", TokenOrigin.AUTO_GENERATED, T0.plusSeconds(1)));

    List<Object> seen =
        store.update(
            "alice",
            account ->
                AccountChange.none(
                    List.of(
                        account.owner(),
                        account.count(TokenOrigin.MANUAL),
                        account.count(TokenOrigin.AUTO_GENERATED),
                        account.tokens(TokenOrigin.AUTO_GENERATED),
                        account.find(manual.token().id()))));

    assertThat(seen)
        .containsExactly("alice", 1L, 2L, List.of(autoNew, autoOld), Optional.of(manual));
  }

  @Test
  void update_putsAndDeletesAtomically_andReturnsTheResult() {
    StoredToken evicted = put(token("alice", TokenOrigin.AUTO_GENERATED, T0));
    StoredToken fresh = token("alice", TokenOrigin.AUTO_GENERATED, T0.plusSeconds(1));

    String result =
        store.update(
            "alice", account -> AccountChange.put(fresh, "done").andDelete(evicted.token().id()));

    assertThat(result).isEqualTo("done");
    assertThat(store.find("alice", evicted.token().id())).isEmpty();
    assertThat(store.findByLookupKey(evicted.lookupKey())).isEmpty();
    assertThat(store.find("alice", fresh.token().id())).contains(fresh);
  }

  @Test
  void putOfAnExistingId_replacesTheWholeToken() {
    StoredToken token = put(token("alice", TokenOrigin.MANUAL, T0));
    StoredToken rehashed = token.withEncodedHash("$new$");

    put(rehashed);

    assertThat(store.find("alice", token.token().id())).contains(rehashed);
    assertThat(store.findByLookupKey(token.lookupKey())).contains(rehashed);
  }

  @Test
  void functionThatThrows_changesNothing() {
    StoredToken existing = put(token("alice", TokenOrigin.MANUAL, T0));
    StoredToken fresh = token("alice", TokenOrigin.MANUAL, T0);

    assertThatThrownBy(
            () ->
                store.update(
                    "alice",
                    account -> {
                      account.count(TokenOrigin.MANUAL);
                      throw new IllegalStateException("refused");
                    }))
        .hasMessage("refused");

    assertThat(store.list("alice", 0, 10, T0).tokens()).containsExactly(existing);
    assertThat(store.findByLookupKey(fresh.lookupKey())).isEmpty();
  }

  @Test
  void putForAnotherAccount_isRefused_andNothingChanges() {
    StoredToken bobs = token("bob", TokenOrigin.MANUAL, T0);

    assertThatThrownBy(() -> store.update("alice", account -> AccountChange.put(bobs, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "puts: token "
                + bobs.token().id()
                + " belongs to another account than the one updated");
    assertThat(store.find("bob", bobs.token().id())).isEmpty();
  }

  @Test
  void changingALookupKey_isRefused() {
    StoredToken token = put(token("alice", TokenOrigin.MANUAL, T0));
    StoredToken moved = StoredToken.of(token.token(), LookupKey.of(new byte[] {42}), "$h$");

    assertThatThrownBy(() -> put(moved))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("carries another lookup key; a lookup key never changes");
    assertThat(store.find("alice", token.token().id())).contains(token);
  }

  @Test
  void insertingADuplicateLookupKey_isRefused_evenAcrossAccounts() {
    StoredToken alices = put(token("alice", TokenOrigin.MANUAL, T0));
    StoredToken bobs = token("bob", TokenOrigin.MANUAL, T0);
    StoredToken clash = StoredToken.of(bobs.token(), alices.lookupKey(), "$h$");

    assertThatThrownBy(() -> put(clash))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has a lookup key another token already has");
    assertThat(store.findByLookupKey(alices.lookupKey())).contains(alices);
  }

  @Test
  void deletingATokenTheAccountDoesNotHold_isRefused_andNothingChanges() {
    StoredToken bobs = put(token("bob", TokenOrigin.MANUAL, T0));
    StoredToken fresh = token("alice", TokenOrigin.MANUAL, T0);

    assertThatThrownBy(
            () ->
                store.update(
                    "alice", account -> AccountChange.put(fresh, 1).andDelete(bobs.token().id())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the account holds no token " + bobs.token().id());
    assertThat(store.find("alice", fresh.token().id())).isEmpty();
    assertThat(store.find("bob", bobs.token().id())).contains(bobs);
  }

  @Test
  void snapshot_cannotBeUsedAfterTheUpdate() {
    AccountSnapshot escaped = store.update("alice", AccountChange::none);

    assertThatThrownBy(() -> escaped.count(TokenOrigin.MANUAL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("an account snapshot is valid only during update");
  }

  @Test
  void recordLastUse_isMonotonic() {
    StoredToken token = put(token("alice", TokenOrigin.MANUAL, T0));
    UUID id = token.token().id();

    assertThat(store.recordLastUse("alice", id, T0.plusSeconds(10))).isTrue();
    assertThat(store.recordLastUse("alice", id, T0.plusSeconds(5))).isTrue();

    assertThat(store.find("alice", id).orElseThrow().token().lastUsedAt())
        .contains(T0.plusSeconds(10));
    assertThat(store.findByLookupKey(token.lookupKey()).orElseThrow().token().lastUsedAt())
        .contains(T0.plusSeconds(10));
  }

  @Test
  void recordLastUse_ofAMissingToken_changesNothing() {
    StoredToken token = put(token("alice", TokenOrigin.MANUAL, T0));

    assertThat(store.recordLastUse("alice", UUID.randomUUID(), T0)).isFalse();
    assertThat(store.recordLastUse("bob", token.token().id(), T0)).isFalse();
    assertThat(store.find("alice", token.token().id())).contains(token);
  }

  @Test
  void accountEmptiedAndRefilled_behavesLikeANewOne() {
    StoredToken first = put(token("alice", TokenOrigin.MANUAL, T0));
    store.update("alice", account -> AccountChange.delete(first.token().id(), 1));

    StoredToken second = put(token("alice", TokenOrigin.MANUAL, T0));

    assertThat(store.list("alice", 0, 10, T0).tokens()).containsExactly(second);
  }

  @Test
  void racingUpdatesOfOneAccount_areSerialized() throws Exception {
    int threads = 8;
    int perThread = 50;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    List<StoredToken> candidates = new ArrayList<>();
    for (int i = 0; i < threads * perThread; i++) {
      candidates.add(token("alice", TokenOrigin.MANUAL, T0));
    }
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int from = t * perThread;
        futures.add(
            executor.submit(
                () -> {
                  start.await();
                  for (int i = from; i < from + perThread; i++) {
                    StoredToken candidate = candidates.get(i);
                    // Check-then-act that only holds if updates of one account never interleave.
                    store.update(
                        "alice",
                        account ->
                            account.count(TokenOrigin.MANUAL) < 100
                                ? AccountChange.put(candidate, 1)
                                : AccountChange.none(0));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(store.list("alice", 0, 1, T0).total()).isEqualTo(100);
  }
}
