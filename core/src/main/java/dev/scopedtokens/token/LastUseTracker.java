package dev.scopedtokens.token;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest known use of each token, and when it was last written to the store.
 *
 * <p>A verification records its use here; only when the last write of that token is at least the
 * write interval old does it ask the caller to write to the store, so a busy token costs one write
 * per interval, not one per request. The newest use stays here either way, so that eviction, get
 * and list see it before the store does. One small entry per token verified since the service
 * started, dropped when the token is deleted or evicted.
 */
final class LastUseTracker {
  private final Duration writeInterval;
  private final ConcurrentHashMap<UUID, State> states = new ConcurrentHashMap<>();

  LastUseTracker(Duration writeInterval) {
    this.writeInterval = writeInterval;
  }

  /**
   * Records a use of {@code tokenId} at {@code at} and returns whether the caller should write it
   * to the store now. The decision is made atomically, so of several concurrent uses at most one
   * per interval is told to write.
   *
   * @param stored the last use the store held when the token was read, used as the last write
   *     when this tracker has not seen the token yet
   */
  boolean record(UUID tokenId, Optional<Instant> stored, Instant at) {
    boolean[] write = new boolean[1];
    states.compute(
        tokenId,
        (id, state) -> {
          Instant written = state != null ? state.written : stored.orElse(null);
          Instant newest = later(state != null ? state.newest : stored.orElse(null), at);
          if (written == null || !at.isBefore(written.plus(writeInterval))) {
            write[0] = true;
            written = at;
          }
          return new State(newest, written);
        });
    return write[0];
  }

  /** Returns the newest use known for the token, if any. */
  Optional<Instant> newest(UUID tokenId) {
    State state = states.get(tokenId);
    return state == null ? Optional.empty() : Optional.ofNullable(state.newest);
  }

  /** Forgets a token that no longer exists. */
  void forget(UUID tokenId) {
    states.remove(tokenId);
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || a.isBefore(b) ? b : a;
  }

  private static final class State {
    final Instant newest;
    final Instant written;

    State(Instant newest, Instant written) {
      this.newest = newest;
      this.written = written;
    }
  }
}
