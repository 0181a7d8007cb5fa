package dev.scopedtokens.token;

import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.secret.TokenSecret;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * Recently verified tokens, so that a busy token does not cost a hash on every request. Never null
 * in the service: when the cache is turned off it is {@link #disabled()}, which holds nothing, so
 * no caller asks whether there is one.
 *
 * <p>A verification that misses reads {@link #generation} before it reads the store and hands it to
 * {@link #put}, which inserts only if no invalidation touched the token's stripe meanwhile (see
 * {@link BoundedVerifiedTokenCache}). Three ways out, all called after the store committed the
 * change: {@link #invalidate(UUID, LookupKey)} for a change made through this service, and {@link
 * #invalidate(Collection)} and {@link #invalidateAll()} for changes learned from elsewhere (a
 * change feed between nodes), which know token ids only.
 */
sealed interface VerifiedTokenCache permits BoundedVerifiedTokenCache, VerifiedTokenCache.Disabled {

  /** A cache of up to {@code maxEntries} tokens, each for {@code ttl}. */
  static VerifiedTokenCache bounded(Duration ttl, int maxEntries) {
    return new BoundedVerifiedTokenCache(ttl, maxEntries);
  }

  /** The cache that holds nothing: every verification reads the store and hashes. */
  static VerifiedTokenCache disabled() {
    return Disabled.INSTANCE;
  }

  /** The key a presented token is cached under. */
  Key keyOf(TokenSecret presented);

  /** The cached token, or empty when there is none or it is older than the TTL. */
  default Optional<AccessToken> get(Key key, Instant now) {
    return get(key, now, Instant.MIN);
  }

  /**
   * The cached token, or empty when there is none, it is older than the TTL, or it was verified at
   * or before {@code verifiedAfter} (then its entry is dropped): the fail-safe rule of a change
   * feed that is down (see {@link ChangeFeedFollower}).
   */
  Optional<AccessToken> get(Key key, Instant now, Instant verifiedAfter);

  /** The generation of the token's stripe; read it before reading the store. */
  long generation(LookupKey lookupKey);

  /**
   * Caches {@code token} unless its stripe's generation moved since {@code generation} was read.
   */
  void put(Key key, AccessToken token, LookupKey lookupKey, long generation, Instant now);

  /** Drops the token's entry and spoils concurrent fills of its stripe; call after the commit. */
  void invalidate(UUID tokenId, LookupKey lookupKey);

  /** Drops these tokens' entries and spoils concurrent fills; call after the commit. */
  void invalidate(Collection<UUID> tokenIds);

  /** Drops every entry and spoils concurrent fills, for when changes may have been missed. */
  void invalidateAll();

  /** The cache's key: a SHA-256 digest of a presented token, never the token. */
  final class Key {
    private final byte[] digest;
    private final int hash;

    Key(byte[] digest) {
      this.digest = digest;
      this.hash = Arrays.hashCode(digest);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key other && MessageDigest.isEqual(digest, other.digest);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return "Key[redacted]";
    }
  }

  /** The cache that is off: it digests nothing and holds nothing. */
  enum Disabled implements VerifiedTokenCache {
    INSTANCE;

    private static final Key NO_KEY = new Key(new byte[0]);

    @Override
    public Key keyOf(TokenSecret presented) {
      return NO_KEY;
    }

    @Override
    public Optional<AccessToken> get(Key key, Instant now, Instant verifiedAfter) {
      return Optional.empty();
    }

    @Override
    public long generation(LookupKey lookupKey) {
      return 0;
    }

    @Override
    public void put(
        Key key, AccessToken token, LookupKey lookupKey, long generation, Instant now) {}

    @Override
    public void invalidate(UUID tokenId, LookupKey lookupKey) {}

    @Override
    public void invalidate(Collection<UUID> tokenIds) {}

    @Override
    public void invalidateAll() {}
  }
}
