package dev.scopedtokens.store;

import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.token.AccessToken;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where tokens live: the storage SPI behind {@link dev.scopedtokens.token.TokenService}.
 *
 * <p>Tokens are grouped by account (their {@linkplain AccessToken#owner() owner}). Every change
 * goes through {@link #update}, a read-modify-write of one account that is atomic with respect to
 * every other {@code update} and {@link #recordLastUse} of the same account: that is what keeps a
 * plan's limit and the auto-generated cap true when requests race. Changes to different accounts
 * need not be ordered with each other.
 *
 * <p>Implementing one over a database is meant to be direct:
 *
 * <ul>
 *   <li>JDBC: one row per token keyed by id, unique indexes on the lookup key, an index on (owner,
 *       created_at, id). {@code update} runs in a transaction that first locks the account (for
 *       example {@code SELECT ... FROM accounts WHERE owner = ? FOR UPDATE}, inserting the row if
 *       needed), answers the snapshot with queries inside that transaction, applies the change and
 *       commits.
 *   <li>DynamoDB: partition key owner, sort key id, a global secondary index on the lookup key, and
 *       a version item per account. {@code update} queries the partition, then writes the change
 *       and the incremented version in one {@code TransactWriteItems} conditioned on the version it
 *       read, retrying the function on a conflict.
 * </ul>
 *
 * <p>Contract for every implementation (the testkit's {@code TokenStoreContract} checks it):
 *
 * <ul>
 *   <li>Thread-safe. Reads never see a partly applied change.
 *   <li>Values round-trip exactly: a token read back {@linkplain StoredToken#equals equals} the one
 *       put. The service hands instants truncated to microseconds, so a store may keep
 *       microseconds.
 *   <li>A token's id is unique over all accounts (the service draws random version 4 UUIDs) and its
 *       lookup key is unique over all accounts; neither ever changes.
 *   <li>Nothing here validates tokens against plans or status rules: that is the service's job.
 *   <li>No method accepts or returns null.
 * </ul>
 */
public interface TokenStore {

  /**
   * Token ids as unsigned 128-bit numbers: the order of their canonical lowercase string form, so
   * that a database can sort on the text. ({@link UUID#compareTo} compares signed halves.)
   */
  Comparator<UUID> ID_ORDER =
      (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0
            ? high
            : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
      };

  /**
   * The order of {@link #list} and {@link AccountSnapshot#tokens}: newest {@linkplain
   * AccessToken#createdAt() creation} first, and among tokens created at the same instant, the
   * greater id first, comparing ids as unsigned 128-bit numbers (the order of their canonical
   * lowercase string form, so a database can sort on the text).
   */
  Comparator<AccessToken> NEWEST_FIRST =
      Comparator.comparing(AccessToken::createdAt)
          .thenComparing(AccessToken::id, TokenStore.ID_ORDER)
          .reversed();

  /**
   * Returns the token with this id if {@code owner} holds it: empty when no token has this id or
   * another account holds it.
   */
  Optional<StoredToken> find(String owner, UUID id);

  /**
   * Returns the token with this lookup key, whichever account holds it. Answers in O(1) or O(log n)
   * over all tokens: never by scanning an account's tokens.
   */
  Optional<StoredToken> findByLookupKey(LookupKey lookupKey);

  /**
   * Returns one page of {@code owner}'s tokens, of every origin and status, in {@link
   * #NEWEST_FIRST} order.
   *
   * @param owner the account; an account that holds no tokens yields an empty page with zero counts
   * @param offset how many tokens of that order to skip, 0 or more; past the end yields an empty
   *     page that still carries the counts
   * @param limit the most tokens to return, 1 or more
   * @param now the instant at which {@link AccountPage#activeCount()} counts tokens whose {@link
   *     AccessToken#status(Instant)} is {@code ACTIVE}
   * @throws IllegalArgumentException when {@code offset} is negative or {@code limit} is below 1
   */
  AccountPage list(String owner, long offset, int limit, Instant now);

  /**
   * Reads {@code owner}'s tokens, lets {@code change} decide, and applies its decision, atomically.
   *
   * <p>While {@code change} runs, no other {@code update} or {@link #recordLastUse} of the same
   * account commits; the {@link AccountSnapshot} it receives is consistent and valid only during
   * the call. The function may be called more than once (an optimistic store retries it after a
   * conflict), so it must have no side effects other than its return value. An account that holds
   * no tokens yields an empty snapshot; an account whose last token is deleted simply holds none.
   *
   * <p>The returned {@link AccountChange} is applied as a whole or not at all:
   *
   * <ul>
   *   <li>each put inserts a token, or replaces the account's token with the same id entirely
   *       (every field as given);
   *   <li>each delete removes the account's token with that id.
   * </ul>
   *
   * <p>Nothing is applied, and the exception propagates, when {@code change} throws. Nothing is
   * applied and an {@link IllegalArgumentException} is thrown when the change is inconsistent: a
   * put whose token's owner is not {@code owner}; a put that replaces a token but carries another
   * lookup key than the one stored; a put that inserts a token whose lookup key another token
   * already has; a delete of an id the account does not hold.
   *
   * @return the change's {@link AccountChange#result()}
   */
  <R> R update(String owner, Function<AccountSnapshot, AccountChange<R>> change);

  /**
   * Records that {@code owner}'s token {@code id} was used at {@code usedAt}, without going through
   * {@link #update}: this is the one write on the hot path of verification.
   *
   * <p>Monotonic: the stored {@link AccessToken#lastUsedAt()} becomes {@code usedAt} only when it
   * is empty or earlier, and never moves backwards. Nothing else about the token changes. Atomic
   * with respect to {@link #update} of the same account.
   *
   * @return whether the account holds the token (false when it was deleted meanwhile; then nothing
   *     changes)
   */
  boolean recordLastUse(String owner, UUID id, Instant usedAt);

  /**
   * Returns this store's feed of committed changes, when it has one: which tokens each {@link
   * #update} put or deleted, so that every {@link dev.scopedtokens.token.TokenService} over the
   * store drops those tokens' cached verifications, whichever service made the change.
   *
   * <p>The default is none, and a store without a feed keeps the behaviour it always had: a service
   * drops a cached verification when a change goes through that service, and sees a change made
   * through another service over the same store only when the cached entry's TTL ends. Give such
   * services no cache, or a short TTL, when they run side by side.
   *
   * @return the feed, or empty when the store publishes none
   */
  default Optional<TokenChangeFeed> changeFeed() {
    return Optional.empty();
  }
}
