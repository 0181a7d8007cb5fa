package dev.scopedtokens.token;

import static dev.scopedtokens.token.TokenService.Builder.DEFAULT_CACHE_MAX_ENTRIES;
import static dev.scopedtokens.token.TokenService.Builder.DEFAULT_CACHE_TTL;
import static dev.scopedtokens.token.TokenService.Builder.DEFAULT_LAST_USE_WRITE_INTERVAL;
import static dev.scopedtokens.token.TokenService.Builder.DEFAULT_MAX_CACHE_AGE_WHILE_FEED_DOWN;
import static dev.scopedtokens.token.TokenService.Builder.MAX_CACHE_TTL;
import static dev.scopedtokens.token.TokenService.Builder.MAX_LAST_USE_WRITE_INTERVAL;

import dev.scopedtokens.internal.Durations;
import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.plan.PlanResolver;
import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.SecretHasher;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.TokenStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link TokenService.Builder} was told, which the service reads once when it is built. Each
 * setter checks its argument at once, with a message that names the setting and the allowed range;
 * {@link #checkConsistent()} checks that the settings agree. The defaults are those the builder
 * documents. Not thread-safe, as the builder is not.
 */
final class Settings {
  TokenStore store;
  PlanResolver plans = PlanResolver.fixed(Plan.FAIR_USE);
  Clock clock = Clock.systemUTC();
  SecureRandom random;
  SecretHasher hasher;
  TokenFormat format = TokenFormat.defaults();
  boolean cacheConfigured;
  boolean cacheDisabled;
  Duration cacheTtl = DEFAULT_CACHE_TTL;
  int cacheMaxEntries = DEFAULT_CACHE_MAX_ENTRIES;
  Duration lastUseWriteInterval = DEFAULT_LAST_USE_WRITE_INTERVAL;
  boolean changeFeedIgnored;
  boolean maxCacheAgeConfigured;
  Duration maxCacheAgeWhileFeedDown = DEFAULT_MAX_CACHE_AGE_WHILE_FEED_DOWN;
  final List<TokenEventListener> listeners = new ArrayList<>();

  void cache(Duration ttl, int maxEntries) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_CACHE_TTL) > 0) {
      throw new IllegalArgumentException(
          "cache ttl: "
              + Durations.forPeople(ttl)
              + "; must be positive and at most "
              + Durations.forPeople(MAX_CACHE_TTL)
              + " (use disableCache() to turn the cache off)");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException(
          "cache maxEntries: "
              + maxEntries
              + "; must be 1 or more (use disableCache() to turn"
              + " the cache off)");
    }
    this.cacheTtl = ttl;
    this.cacheMaxEntries = maxEntries;
    this.cacheConfigured = true;
  }

  void lastUseWriteInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.compareTo(MAX_LAST_USE_WRITE_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "lastUseWriteInterval: "
              + Durations.forPeople(interval)
              + "; must be from 0 seconds (write every use) to "
              + Durations.forPeople(MAX_LAST_USE_WRITE_INTERVAL));
    }
    this.lastUseWriteInterval = interval;
  }

  void maxCacheAgeWhileFeedDown(Duration maxAge) {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException(
          "maxCacheAgeWhileFeedDown: " + maxAge + "; must be zero or positive");
    }
    this.maxCacheAgeWhileFeedDown = maxAge;
    this.maxCacheAgeConfigured = true;
  }

  /**
   * The cross-setting checks of {@link TokenService.Builder#build()}.
   *
   * @throws IllegalStateException when the settings contradict each other
   */
  void checkConsistent() {
    if (cacheConfigured && cacheDisabled) {
      throw new IllegalStateException(
          "cache: both cache(ttl, maxEntries) and disableCache() were called; choose one");
    }
    if (maxCacheAgeConfigured && (changeFeedIgnored || cacheDisabled)) {
      throw new IllegalStateException(
          "maxCacheAgeWhileFeedDown: set together with "
              + (changeFeedIgnored ? "ignoreChangeFeed()" : "disableCache()")
              + ", which leaves it nothing to bound; choose one");
    }
    // The default needs no check: a TTL at or below it bounds a cached success's age already.
    if (maxCacheAgeConfigured && maxCacheAgeWhileFeedDown.compareTo(cacheTtl) >= 0) {
      throw new IllegalStateException(
          "maxCacheAgeWhileFeedDown: "
              + maxCacheAgeWhileFeedDown
              + " is not below the cache ttl "
              + cacheTtl
              + ", so it would bound nothing; give a shorter age or a longer ttl");
    }
  }

  /** The store given, else a new {@link InMemoryTokenStore} for this service alone. */
  TokenStore storeOrDefault() {
    return store != null ? store : new InMemoryTokenStore();
  }

  /** The random given, else a new {@link SecureRandom} for this service alone. */
  SecureRandom randomOrDefault() {
    return random != null ? random : new SecureRandom();
  }

  /** The hasher given, else {@link Argon2idHasher#defaults()}. */
  SecretHasher hasherOrDefault() {
    return hasher != null ? hasher : Argon2idHasher.defaults();
  }

  /** The cache these settings ask for: bounded, or {@linkplain VerifiedTokenCache#disabled off}. */
  VerifiedTokenCache newCache() {
    return cacheDisabled
        ? VerifiedTokenCache.disabled()
        : VerifiedTokenCache.bounded(cacheTtl, cacheMaxEntries);
  }

  /**
   * The follower of {@code store}'s change feed: one only when there is a cache for it to keep
   * right, the feed is not ignored and the store has one; else {@link ChangeFeedFollower#none()}.
   */
  ChangeFeedFollower follow(TokenStore store, VerifiedTokenCache cache) {
    if (changeFeedIgnored || cacheDisabled) {
      return ChangeFeedFollower.none();
    }
    return store
        .changeFeed()
        .map(f -> ChangeFeedFollower.following(f, cache, maxCacheAgeWhileFeedDown))
        .orElseGet(ChangeFeedFollower::none);
  }
}
