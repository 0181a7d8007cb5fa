package dev.scopedtokens.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.StoredToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The room where a committed change drops what the service holds about the token: its cached
 * verification and its last use.
 */
class TokenChangesTest {
  private static final String ALICE = Fixtures.ALICE;
  private static final TokenFormat FORMAT = TokenFormat.defaults();

  private final MutableClock clock = MutableClock.at(Fixtures.START);
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final VerifiedTokenCache cache = VerifiedTokenCache.bounded(Duration.ofSeconds(30), 10);
  private final LastUse lastUse = new LastUse(store, Duration.ofDays(1));
  private final TokenChanges changes =
      new TokenChanges(store, new ClockAndRandom(clock, Fixtures.seeded(1)), cache, lastUse);
  private final RecordingListener events = new RecordingListener();
  private final Listeners listeners = new Listeners(List.of(events));

  private final TokenSecret secret = FORMAT.generate(Fixtures.seeded(2));
  private final LookupKey lookupKey = FORMAT.lookupKey(secret);
  private final AccessToken token =
      AccessToken.manual(
          new UUID(1, 1), ALICE, TokenRequest.of("ci", Scope.REPO_READ), now(), Optional.empty());

  private Instant now() {
    return clock.instant();
  }

  private void storeAndCache(AccessToken t) {
    StoredToken stored = StoredToken.of(t, lookupKey, "hash");
    store.update(ALICE, account -> AccountChange.put(stored, stored));
    cache.put(cache.keyOf(secret), t, lookupKey, cache.generation(lookupKey), now());
    assertThat(cached()).isPresent();
  }

  private Optional<AccessToken> cached() {
    return cache.get(cache.keyOf(secret), now());
  }

  @Test
  void modify_commitsTheChangeAndDropsTheCachedVerification() {
    storeAndCache(token);

    TokenChanges.Change change =
        changes.modify(ALICE, token.id(), "deactivate", (t, now) -> t.withActive(false));

    assertThat(change.changed()).isTrue();
    assertThat(change.after().active()).isFalse();
    assertThat(store.find(ALICE, token.id()).orElseThrow().token().active()).isFalse();
    assertThat(cached()).isEmpty();
  }

  @Test
  void modify_thatChangesNothing_stillDropsTheCachedVerification() {
    storeAndCache(token);

    TokenChanges.Change change =
        changes.modify(ALICE, token.id(), "activate", (t, now) -> t.withActive(true));

    assertThat(change.changed()).isFalse();
    assertThat(cached()).isEmpty();
  }

  @Test
  void modify_ofARevokedToken_isRefused_andChangesNothing() {
    AccessToken revoked = token.withRevokedAt(now());
    storeAndCache(revoked);
    clock.advance(Duration.ofSeconds(1));

    assertThatThrownBy(
            () -> changes.modify(ALICE, token.id(), "rename", (t, now) -> t.withLabel("x")))
        .isInstanceOf(TokenStateException.class);
    assertThat(store.find(ALICE, token.id()).orElseThrow().token()).isEqualTo(revoked);
  }

  @Test
  void modify_ofAnUnknownToken_isNotFound() {
    assertThatThrownBy(() -> changes.modify(ALICE, token.id(), "activate", (t, now) -> t))
        .isInstanceOf(TokenNotFoundException.class);
  }

  @Test
  void delete_dropsTheCachedVerificationAndTheLastUse_andReturnsTheNewestUse() {
    storeAndCache(token);
    lastUse.record(token, now()); // written: the token's first use
    clock.advance(Duration.ofMinutes(1));
    Instant inMemoryOnly = now();
    lastUse.record(token.withLastUsedAt(now().minus(Duration.ofMinutes(1))), inMemoryOnly);

    AccessToken deleted = changes.delete(ALICE, token.id());

    assertThat(deleted.lastUsedAt()).contains(inMemoryOnly);
    assertThat(store.find(ALICE, token.id())).isEmpty();
    assertThat(cached()).isEmpty();
    assertThat(lastUse.overlay(token).lastUsedAt()).isEmpty();
  }

  @Test
  void announce_tellsTheListenersOfAChange_andNotOfANoOp() {
    storeAndCache(token);

    AccessToken same =
        changes
            .modify(ALICE, token.id(), "activate", (t, now) -> t.withActive(true))
            .announce(listeners, c -> new TokenEvent.Activated(c.at(), c.after()));
    AccessToken changed =
        changes
            .modify(ALICE, token.id(), "deactivate", (t, now) -> t.withActive(false))
            .announce(listeners, c -> new TokenEvent.Deactivated(c.at(), c.after()));

    assertThat(same.active()).isTrue();
    assertThat(changed.active()).isFalse();
    assertThat(events.of(TokenEvent.Activated.class)).isEmpty();
    assertThat(events.of(TokenEvent.Deactivated.class)).hasSize(1);
  }
}
