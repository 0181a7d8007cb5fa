package dev.scopedtokens.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest known use of each token, when it was last written to the store, and what the store is
 * known to hold.
 *
 * <p>A verification records its use here; only when the last write of that token is at least the
 * write interval old does it ask the caller to write to the store, so a busy token costs one write
 * per interval, not one per request. The newest use stays here either way, so that eviction, get
 * and list see it before the store does, and {@link #pending()} tells what a flush must still
 * write. One small entry per token verified since the service started, dropped when the token is
 * deleted or evicted.
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
   * per interval is told to write; the caller reports a write that succeeded with {@link #stored}.
   *
   * @param owner the token's owner, which a later flush needs to write
   * @param stored the last use the store held when the token was read, used as the last write when
   *     this tracker has not seen the token yet
   */
  boolean record(UUID tokenId, String owner, Optional<Instant> stored, Instant at) {
    boolean[] write = new boolean[1];
    states.compute(
        tokenId,
        (id, state) -> {
          Instant persisted = state != null ? state.persisted : stored.orElse(null);
          Instant written = state != null ? state.written : persisted;
          Instant newest = later(state != null ? state.newest : persisted, at);
          if (written == null || !at.isBefore(written.plus(writeInterval))) {
            write[0] = true;
            written = at;
          }
          return new State(owner, newest, written, persisted);
        });
    return write[0];
  }

  /** Notes that the store now holds {@code at} (or a later use) as the token's last use. */
  void stored(UUID tokenId, Instant at) {
    states.computeIfPresent(
        tokenId,
        (id, state) ->
            new State(state.owner, state.newest, state.written, later(state.persisted, at)));
  }

  /** Returns the newest use known for the token, if any. */
  Optional<Instant> newest(UUID tokenId) {
    State state = states.get(tokenId);
    return state == null ? Optional.empty() : Optional.ofNullable(state.newest);
  }

  /** Returns the tokens whose newest use the store is not known to hold yet. */
  List<Pending> pending() {
    List<Pending> pending = new ArrayList<>();
    states.forEach(
        (id, state) -> {
          if (state.persisted == null || state.newest.isAfter(state.persisted)) {
            pending.add(new Pending(id, state.owner, state.newest));
          }
        });
    return pending;
  }

  /** Forgets a token that no longer exists. */
  void forget(UUID tokenId) {
    states.remove(tokenId);
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || a.isBefore(b) ? b : a;
  }

  /** A use the store does not hold yet. */
  static final class Pending {
    final UUID tokenId;
    final String owner;
    final Instant usedAt;

    Pending(UUID tokenId, String owner, Instant usedAt) {
      this.tokenId = tokenId;
      this.owner = owner;
      this.usedAt = usedAt;
    }
  }

  private static final class State {
    final String owner;

    /** The newest use known; never null. */
    final Instant newest;

    /** When a write was last asked for, which paces the writes; null when never. */
    final Instant written;

    /** The newest use the store is known to hold; null when none. */
    final Instant persisted;

    State(String owner, Instant newest, Instant written, Instant persisted) {
      this.owner = owner;
      this.newest = newest;
      this.written = written;
      this.persisted = persisted;
    }
  }
}
