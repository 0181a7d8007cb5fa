package dev.scopedtokens.token;

import dev.scopedtokens.store.TokenChangeFeed;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The service's room for the store's change feed: it drops the cached verifications of tokens
 * changed anywhere, and applies the fail-safe rule while the feed may be missing changes.
 *
 * <p>The rule, in one place: while the feed is healthy every cached success is served until its TTL
 * ends or a notice drops it; while it is unhealthy (and from subscription until it first reports
 * healthy, and after the service is closed) no cached success verified more than {@code
 * maxAgeWhileDown} ago is served; when it becomes healthy again the whole cache is dropped, since
 * the notices sent meanwhile are lost. The cache drops first and the rule relaxes after, so no
 * entry filled before the outage is served as fresh; an entry filled while the cache was being
 * dropped is refused by the cache's generations.
 *
 * <p>A service over a store without a feed, or whose feed is ignored, is {@linkplain #none() always
 * healthy}: it keeps the behaviour it had before feeds existed.
 */
final class ChangeFeedFollower implements TokenChangeFeed.Listener {
  private static final System.Logger LOG = System.getLogger(TokenService.class.getName());

  private final VerifiedTokenCache cache;
  private final Duration maxAgeWhileDown;
  private final Object transitions = new Object();
  private volatile boolean healthy;
  private boolean closed; // guarded by transitions
  private TokenChangeFeed.Subscription subscription; // guarded by transitions

  private ChangeFeedFollower(VerifiedTokenCache cache, Duration maxAgeWhileDown, boolean healthy) {
    this.cache = cache;
    this.maxAgeWhileDown = maxAgeWhileDown;
    this.healthy = healthy;
  }

  /** A follower with no feed: always healthy, never drops anything. */
  static ChangeFeedFollower none() {
    return new ChangeFeedFollower(VerifiedTokenCache.disabled(), Duration.ZERO, true);
  }

  /** Subscribes to {@code feed} and keeps {@code cache} in step with it. */
  static ChangeFeedFollower following(
      TokenChangeFeed feed, VerifiedTokenCache cache, Duration maxAgeWhileDown) {
    ChangeFeedFollower follower = new ChangeFeedFollower(cache, maxAgeWhileDown, false);
    TokenChangeFeed.Subscription subscription =
        Objects.requireNonNull(feed.subscribe(follower), "the feed's subscribe returned null");
    synchronized (follower.transitions) {
      follower.subscription = subscription;
    }
    return follower;
  }

  /**
   * The instant a cached success must have been verified after to be served at {@code now}: any
   * while the feed is healthy, after {@code now - maxAgeWhileDown} otherwise (so that with a zero
   * bound nothing is served).
   */
  Instant servableAfter(Instant now) {
    return healthy ? Instant.MIN : now.minus(maxAgeWhileDown);
  }

  /** Whether the feed is healthy (always, without a feed). */
  boolean isHealthy() {
    return healthy;
  }

  @Override
  public void onHealthy() {
    synchronized (transitions) {
      if (closed) {
        return;
      }
      // Drop first, relax after: see the class documentation.
      cache.invalidateAll();
      healthy = true;
    }
    LOG.log(
        System.Logger.Level.INFO,
        "token change feed healthy; cached verifications dropped, the cache serves as usual");
  }

  @Override
  public void onUnhealthy(String reason) {
    synchronized (transitions) {
      if (closed) {
        return;
      }
      healthy = false;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        () ->
            "token change feed unhealthy ("
                + reason
                + "); serving no cached verification older than "
                + maxAgeWhileDown
                + " until it recovers");
  }

  @Override
  public void onTokensChanged(Set<UUID> tokenIds) {
    cache.invalidate(tokenIds);
  }

  @Override
  public void onAllChanged() {
    cache.invalidateAll();
  }

  /** Stops following: from now on the rule for an unhealthy feed applies for good. */
  void close() {
    TokenChangeFeed.Subscription toClose;
    synchronized (transitions) {
      if (closed || subscription == null) {
        closed = true;
        return;
      }
      closed = true;
      healthy = false;
      toClose = subscription;
    }
    toClose.close();
  }

  @Override
  public String toString() {
    return healthy ? "healthy" : "unhealthy";
  }
}
