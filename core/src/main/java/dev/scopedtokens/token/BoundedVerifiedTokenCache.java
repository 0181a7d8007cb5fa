package dev.scopedtokens.token;

import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.secret.TokenSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The cache of verified tokens when it is on.
 *
 * <p>Keyed by the SHA-256 digest of the presented token, never the plaintext. Bounded: a {@link
 * LinkedHashMap} in access order drops the least recently used entry beyond {@code maxEntries}.
 * Entries expire {@code ttl} after insertion by the service's clock. One lock guards everything;
 * the critical sections are a few map operations, far cheaper than the hash a hit saves, and a
 * single lock makes the invalidation rule below easy to get right. No external dependency.
 *
 * <p>Invalidation. Every lifecycle change made through the service calls {@link #invalidate(UUID,
 * LookupKey)} after the store committed it, which drops the token's entry (found through a token-id
 * index) and bumps a generation counter of the token's stripe (chosen by its lookup key). A
 * verification reads that generation <em>before</em> it reads the store, and {@link #put} inserts
 * only if the generation is unchanged. So a verification that read the token before a concurrent
 * deactivation committed either inserts before the invalidation (and the invalidation removes it)
 * or finds the generation bumped and inserts nothing: the cache never holds a token as it was
 * before a change made through the service. Stripes keep unrelated changes from spoiling each
 * other's fills.
 */
final class BoundedVerifiedTokenCache implements VerifiedTokenCache {
  private static final MessageDigest SHA_256;

  static {
    try {
      SHA_256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e); // every Java platform has SHA-256
    }
  }

  private static final int STRIPES = 64;

  private final Duration ttl;
  private final int maxEntries;
  private final Object lock = new Object();
  private final LinkedHashMap<Key, Entry> entries;
  private final Map<UUID, Key> keysByToken = new HashMap<>();
  private final long[] generations = new long[STRIPES];

  BoundedVerifiedTokenCache(Duration ttl, int maxEntries) {
    this.ttl = ttl;
    this.maxEntries = maxEntries;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The SHA-256 digest of the presented token. */
  @Override
  public Key keyOf(TokenSecret presented) {
    return new Key(sha256().digest(presented.reveal().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A fresh SHA-256 digest, cloned from a prototype: cloning skips the provider lookup of {@code
   * MessageDigest.getInstance}, which costs about as much as hashing a token.
   */
  private static MessageDigest sha256() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      try {
        return MessageDigest.getInstance("SHA-256"); // a provider whose digest cannot be cloned
      } catch (NoSuchAlgorithmException impossible) {
        throw new IllegalStateException("SHA-256 is required of every Java platform", impossible);
      }
    }
  }

  @Override
  public long generation(LookupKey lookupKey) {
    synchronized (lock) {
      return generations[stripe(lookupKey)];
    }
  }

  @Override
  public Optional<AccessToken> get(Key key, Instant now, Instant verifiedAfter) {
    synchronized (lock) {
      Entry entry = entries.get(key);
      if (entry == null) {
        return Optional.empty();
      }
      // An entry is verified at its expiry less the TTL.
      if (!now.isBefore(entry.expiresAt())
          || !entry.expiresAt().minus(ttl).isAfter(verifiedAfter)) {
        remove(key, entry);
        return Optional.empty();
      }
      return Optional.of(entry.token());
    }
  }

  @Override
  public void put(Key key, AccessToken token, LookupKey lookupKey, long generation, Instant now) {
    synchronized (lock) {
      if (generations[stripe(lookupKey)] != generation) {
        return;
      }
      Entry previous = entries.put(key, new Entry(token, now.plus(ttl)));
      Key previousKey = keysByToken.put(token.id(), key);
      if (previous != null && !previous.token().id().equals(token.id())) {
        keysByToken.remove(previous.token().id(), key);
      }
      if (previousKey != null && !previousKey.equals(key)) {
        entries.remove(previousKey);
      }
      if (entries.size() > maxEntries) {
        Iterator<Map.Entry<Key, Entry>> eldest = entries.entrySet().iterator();
        Map.Entry<Key, Entry> dropped = eldest.next();
        eldest.remove();
        keysByToken.remove(dropped.getValue().token().id(), dropped.getKey());
      }
    }
  }

  @Override
  public void invalidate(UUID tokenId, LookupKey lookupKey) {
    synchronized (lock) {
      generations[stripe(lookupKey)]++;
      drop(tokenId);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Without the lookup keys the stripes are unknown, so every stripe's generation moves: a fill
   * racing with this call inserts nothing, at the cost of spoiling unrelated fills once.
   */
  @Override
  public void invalidate(Collection<UUID> tokenIds) {
    synchronized (lock) {
      bumpAllGenerations();
      tokenIds.forEach(this::drop);
    }
  }

  @Override
  public void invalidateAll() {
    synchronized (lock) {
      bumpAllGenerations();
      entries.clear();
      keysByToken.clear();
    }
  }

  /** Drops one token's entry; hold the lock. */
  private void drop(UUID tokenId) {
    Key key = keysByToken.remove(tokenId);
    if (key != null) {
      entries.remove(key);
    }
  }

  private void bumpAllGenerations() {
    for (int i = 0; i < STRIPES; i++) {
      generations[i]++;
    }
  }

  private void remove(Key key, Entry entry) {
    entries.remove(key);
    keysByToken.remove(entry.token().id(), key);
  }

  private static int stripe(LookupKey lookupKey) {
    int h = lookupKey.hashCode();
    return (h ^ (h >>> 16)) & (STRIPES - 1);
  }

  private record Entry(AccessToken token, Instant expiresAt) {}
}
