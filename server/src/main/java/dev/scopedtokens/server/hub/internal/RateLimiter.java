package dev.scopedtokens.server.hub.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts requests per caller in fixed one-minute windows of the server's clock, as Docker Hub
 * announces its limits: so many requests per minute, resetting at a Unix time.
 */
final class RateLimiter {
  private static final long WINDOW_SECONDS = 60;

  /** Old windows are forgotten once this many callers are tracked. */
  private static final int PRUNE_THRESHOLD = 10_000;

  /**
   * The outcome for one request.
   *
   * @param allowed whether the request may proceed
   * @param limit requests per window
   * @param remaining requests left in the window after this one
   * @param reset when the window ends, by the server's clock
   * @param retryAfterSeconds whole seconds until the window ends, at least 1
   */
  record Decision(
      boolean allowed, int limit, int remaining, Instant reset, long retryAfterSeconds) {}

  private static final class Window {
    long start;
    int count;

    Window(long start) {
      this.start = start;
    }
  }

  private final int limit;
  private final Clock clock;
  private final Map<String, Window> windows = new HashMap<>();

  RateLimiter(int limit, Clock clock) {
    if (limit < 1) {
      throw new IllegalArgumentException("rate limit: " + limit + " per minute; must be 1 or more");
    }
    this.limit = limit;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Counts one request of {@code caller} and says whether it is within the limit. */
  synchronized Decision acquire(String caller) {
    Instant now = clock.instant();
    long start = Math.floorDiv(now.getEpochSecond(), WINDOW_SECONDS) * WINDOW_SECONDS;
    if (windows.size() >= PRUNE_THRESHOLD) {
      windows.values().removeIf(w -> w.start < start);
    }
    Window window = windows.computeIfAbsent(caller, c -> new Window(start));
    if (window.start != start) {
      window.start = start;
      window.count = 0;
    }
    Instant reset = Instant.ofEpochSecond(start + WINDOW_SECONDS);
    long millisLeft = reset.toEpochMilli() - now.toEpochMilli();
    long retryAfter = Math.max(1, (millisLeft + 999) / 1000);
    if (window.count >= limit) {
      return new Decision(false, limit, 0, reset, retryAfter);
    }
    window.count++;
    return new Decision(true, limit, limit - window.count, reset, retryAfter);
  }
}
