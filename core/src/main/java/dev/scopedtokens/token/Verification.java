package dev.scopedtokens.token;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.secret.SecretHasher;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenStore;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The service's room for verification: one path for every outcome, with its decoy.
 *
 * <p>A string of any length but the format's is rejected first, in constant time. A cache hit is
 * judged at once (status, expiry and owner are checked on every hit), and answers only when it
 * verifies: a hit that would be rejected takes the uncached path, so every rejection costs the
 * lookup and the hash. A miss takes the same steps whether or not the store holds the token: the
 * offline format check, the lookup by {@link LookupKey}, the hasher's constant-time check or the
 * same work on a decoy, then status, expiry and owner. A success records the last use, is cached,
 * and re-hashes the secret when the hasher's parameters changed.
 */
final class Verification {
  private static final System.Logger LOG = System.getLogger(TokenService.class.getName());

  private final TokenStore store;
  private final SecretHasher hasher;
  private final TokenFormat format;
  private final VerifiedTokenCache cache;
  private final LastUse lastUse;
  private final Listeners listeners;
  private final ChangeFeedFollower feed;

  /**
   * What a lookup that finds nothing stands in for, so that an unknown token takes the same steps
   * as a wrong secret (the hasher's decoy work stands in for its check). No store holds it.
   */
  private final AccessToken decoy =
      new AccessToken(
          new UUID(0, 0), // the nil UUID: never drawn for a real token
          "decoy",
          "decoy",
          Set.of(Scope.REPO_PUBLIC_READ),
          TokenOrigin.MANUAL,
          true,
          Instant.EPOCH,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          ClientInfo.unknown());

  Verification(
      TokenStore store,
      SecretHasher hasher,
      TokenFormat format,
      VerifiedTokenCache cache,
      LastUse lastUse,
      Listeners listeners,
      ChangeFeedFollower feed) {
    this.store = store;
    this.hasher = hasher;
    this.format = format;
    this.cache = cache;
    this.lastUse = lastUse;
    this.listeners = listeners;
    this.feed = feed;
  }

  /** Verifies {@code presented}, for {@code account} when the client named one. */
  VerificationResult verify(Optional<String> account, TokenSecret presented, Instant now) {
    // Anything but the format's exact length is malformed, and is rejected before it is digested
    // or scanned: in the same time whatever its length, ten megabytes included. The length of a
    // token of a known format is no secret.
    if (presented.length() != format.length()) {
      return reject(now, RejectionReason.MALFORMED, Optional.empty(), account);
    }
    // A hit needs no format check: only tokens that verified, so were well formed, are cached.
    VerifiedTokenCache.Key cacheKey = cache.keyOf(presented);
    Optional<AccessToken> hit = cache.get(cacheKey, now, feed.servableAfter(now));
    if (hit.isPresent()) {
      AccessToken token = lastUse.overlay(hit.get());
      if (rejectionFor(token, account, now).isEmpty()) {
        return accept(token, now);
      }
      // Only a success is answered from the cache. A rejection takes the uncached path below, so
      // it costs what every rejection costs (the lookup and the hash), and the holder of a live
      // token learns nothing from timing it under another account; it is also judged on what the
      // store holds now.
    }
    // The checksum is public, so rejecting a malformed token without hashing reveals nothing.
    // Only a miss needs the lookup key: a hit costs one digest, not two.
    Optional<LookupKey> parsed = format.parse(presented);
    if (parsed.isEmpty()) {
      return reject(now, RejectionReason.MALFORMED, Optional.empty(), account);
    }
    LookupKey lookupKey = parsed.get();
    // Read before the store: see BoundedVerifiedTokenCache.
    long generation = cache.generation(lookupKey);
    Optional<StoredToken> found = store.findByLookupKey(lookupKey);
    // Whether or not the lookup found a token, take the same steps: a copy of the token as a
    // store's read makes one, its newest known use, then the hasher's check or its decoy work,
    // which costs the same. So an unknown token and a wrong secret cost the same.
    AccessToken token =
        lastUse.overlay(found.isPresent() ? found.get().token() : decoy.withLabel(decoy.label()));
    if (found.isEmpty()) {
      hasher.verifyDecoy(presented);
      return reject(now, RejectionReason.UNKNOWN, Optional.empty(), account);
    }
    StoredToken stored = found.get();
    if (!hasher.verify(stored.encodedHash(), presented)) {
      return reject(
          now, RejectionReason.WRONG_SECRET, Optional.of(token.id()), Optional.of(token.owner()));
    }
    VerificationResult result = decide(token, account, now);
    if (result.isVerified()) {
      cache.put(cacheKey, token, lookupKey, generation, now);
      if (hasher.needsRehash(stored.encodedHash())) {
        rehash(stored, presented);
      }
    }
    return result;
  }

  /**
   * Why a token in {@code status} is rejected, or empty when its status lets it through: the one
   * place a status becomes a rejection reason.
   */
  static Optional<RejectionReason> rejectionFor(TokenStatus status) {
    return switch (status) {
      case ACTIVE -> Optional.empty();
      case INACTIVE -> Optional.of(RejectionReason.INACTIVE);
      case EXPIRED -> Optional.of(RejectionReason.EXPIRED);
      case REVOKED -> Optional.of(RejectionReason.REVOKED);
    };
  }

  /** Checks status, expiry and owner; on success records the use. */
  private VerificationResult decide(AccessToken token, Optional<String> account, Instant now) {
    Optional<RejectionReason> reason = rejectionFor(token, account, now);
    if (reason.isPresent()) {
      return reject(now, reason.get(), Optional.of(token.id()), Optional.of(token.owner()));
    }
    return accept(token, now);
  }

  /** Why status, expiry or owner reject {@code token}, or empty when nothing does. */
  private static Optional<RejectionReason> rejectionFor(
      AccessToken token, Optional<String> account, Instant now) {
    return rejectionFor(token.status(now))
        .or(
            () ->
                account.isPresent() && !account.get().equals(token.owner())
                    ? Optional.of(RejectionReason.WRONG_OWNER)
                    : Optional.empty());
  }

  /** Records the use of a token that passed every check, and tells the listeners. */
  private VerificationResult accept(AccessToken token, Instant now) {
    lastUse.record(token, now);
    AccessToken used = token.withLastUsedAt(now);
    listeners.emit(new TokenEvent.Used(now, used));
    return new VerificationResult.Verified(used);
  }

  private VerificationResult reject(
      Instant now, RejectionReason reason, Optional<UUID> tokenId, Optional<String> account) {
    // The presented name is untrusted: keep it only when it is a valid owner, so that neither a
    // secret (a client that swapped user name and token) nor a forged log line reaches the event.
    Optional<String> safeAccount = account.filter(name -> Validation.isValidOwner(format, name));
    listeners.emit(new TokenEvent.Rejected(now, reason, tokenId, safeAccount));
    return new VerificationResult.Rejected(reason);
  }

  private void rehash(StoredToken stored, TokenSecret presented) {
    try {
      String fresh = hasher.hash(presented);
      String old = stored.encodedHash();
      UUID id = stored.token().id();
      store.update(
          stored.token().owner(),
          account ->
              account
                  .find(id)
                  .filter(current -> current.encodedHash().equals(old))
                  .map(current -> AccountChange.put(current.withEncodedHash(fresh), Boolean.TRUE))
                  .orElseGet(() -> AccountChange.none(Boolean.FALSE)));
    } catch (RuntimeException e) {
      // The verification stands; the old hash still verifies and is re-hashed next time.
      LOG.log(
          System.Logger.Level.WARNING, () -> "could not re-hash token " + stored.token().id(), e);
    }
  }
}
