package dev.scopedtokens.token;

import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenStore;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The service's room for changes to tokens that exist: it commits a change or a deletion to the
 * store, and then drops what the service holds about the token. The one place where a change
 * committed through this service drops the token's cached verification and its last use; a change
 * learned from another node's feed drops cache entries through {@link ChangeFeedFollower}.
 */
final class TokenChanges {
  private final TokenStore store;
  private final ClockAndRandom time;
  private final VerifiedTokenCache cache;
  private final LastUse lastUse;

  TokenChanges(TokenStore store, ClockAndRandom time, VerifiedTokenCache cache, LastUse lastUse) {
    this.store = store;
    this.time = time;
    this.cache = cache;
    this.lastUse = lastUse;
  }

  /** A committed change of one token, or none when the operation left it as it was. */
  record Change(Instant at, AccessToken before, AccessToken after, LookupKey lookupKey) {
    boolean changed() {
      return !before.equals(after);
    }

    /**
     * Hands the event {@code describe} makes of this change to the listeners, unless the operation
     * changed nothing (then there is no event), and returns the token as it is now.
     */
    AccessToken announce(Listeners listeners, Function<Change, TokenEvent> describe) {
      if (changed()) {
        listeners.emit(describe.apply(this));
      }
      return after;
    }
  }

  /**
   * Applies {@code change} to the owner's token {@code id} atomically, refusing final statuses,
   * then drops the token from the cache. The one place the status rule of changes lives.
   *
   * @throws TokenNotFoundException when the account holds no such token
   * @throws TokenStateException when the token is expired or revoked
   */
  Change modify(
      String owner,
      UUID id,
      String operation,
      BiFunction<AccessToken, Instant, AccessToken> change) {
    Objects.requireNonNull(id, "id");
    Instant now = time.now();
    Change committed =
        store.update(
            owner,
            account -> {
              StoredToken stored =
                  account.find(id).orElseThrow(() -> new TokenNotFoundException(id));
              AccessToken before = lastUse.overlay(stored.token());
              TokenStatus status = before.status(now);
              if (status.isFinal()) {
                throw new TokenStateException(id, status, operation);
              }
              AccessToken after = change.apply(before, now);
              Change result = new Change(now, before, after, stored.lookupKey());
              return result.changed()
                  ? AccountChange.put(stored.withToken(after), result)
                  : AccountChange.none(result);
            });
    if (committed.changed()) {
      // The put carried the newest known use into the store; a flush need not write it again.
      committed.after().lastUsedAt().ifPresent(at -> lastUse.stored(id, at));
    }
    // Drop after every committed modify, even one that changed nothing: when two callers race to
    // deactivate, the one that finds the token already inactive must not return while the other
    // has yet to drop the cached success, or a verify after it returned could be accepted.
    uncache(id, committed.lookupKey());
    return committed;
  }

  /**
   * Deletes the owner's token {@code id}, whatever its status, and {@linkplain #forget forgets} it.
   *
   * @return the deleted token, with the newest last use the service knew
   * @throws TokenNotFoundException when the account holds no such token
   */
  AccessToken delete(String owner, UUID id) {
    StoredToken deleted =
        store.update(
            owner,
            account -> {
              StoredToken found =
                  account.find(id).orElseThrow(() -> new TokenNotFoundException(id));
              return AccountChange.delete(id, found);
            });
    return forget(deleted);
  }

  /**
   * Forgets a token whose deletion or eviction the store committed: its last use and its cache
   * entry.
   *
   * @return the token with the newest last use the service knew, for the event that tells of it
   */
  AccessToken forget(StoredToken gone) {
    AccessToken token = lastUse.overlay(gone.token());
    lastUse.forget(gone.token().id());
    uncache(gone.token().id(), gone.lookupKey());
    return token;
  }

  /**
   * Drops a token's cached verification after the store committed a change to it: every cache drop
   * for a change made through this service goes through here. A change learned from elsewhere
   * (another node's change feed, which names token ids only) goes through {@link
   * VerifiedTokenCache#invalidate(java.util.Collection)} and {@link
   * VerifiedTokenCache#invalidateAll()} in {@link ChangeFeedFollower}.
   */
  private void uncache(UUID tokenId, LookupKey lookupKey) {
    cache.invalidate(tokenId, lookupKey);
  }
}
