package dev.scopedtokens.token;

import dev.scopedtokens.store.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's room for last use: the newest known use of each token, when it was last written to
 * the store, and what the store is known to hold.
 *
 * <p>A verification records its use here; only when the last write of that token is at least the
 * write interval old is it written to the store, so a busy token costs one write per interval, not
 * one per request. The newest use stays here either way, and {@link #overlay} lays it over every
 * token the service reads, so that eviction, get and list see it before the store does; {@link
 * #flush} writes what the store does not hold yet. One small entry per token verified since the
 * service started, dropped when the token is deleted or evicted.
 */
final class LastUse {
  private static final System.Logger LOG = System.getLogger(TokenService.class.getName());

  private final TokenStore store;
  private final Duration writeInterval;
  private final ConcurrentHashMap<UUID, State> states = new ConcurrentHashMap<>();

  LastUse(TokenStore store, Duration writeInterval) {
    this.store = store;
    this.writeInterval = writeInterval;
  }

  /** The token with the newest last use this service knows, which the store may not have yet. */
  AccessToken overlay(AccessToken token) {
    State state = states.get(token.id());
    if (state == null
        || (token.lastUsedAt().isPresent() && !token.lastUsedAt().get().isBefore(state.newest()))) {
      return token;
    }
    return token.withLastUsedAt(state.newest());
  }

  /**
   * Records a successful use of {@code token} at {@code now}, and writes it to the store when the
   * token's last write is a write interval old. A failed write is logged and leaves the use in
   * memory for the next write or flush: the verification stands.
   */
  void record(AccessToken token, Instant now) {
    if (dueForWrite(token.id(), token.owner(), token.lastUsedAt(), now)) {
      try {
        write(token.id(), token.owner(), now);
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            () -> "could not record last use of token " + token.id(),
            e);
      }
    }
  }

  /** Notes that the store now holds {@code at} (or a later use) as the token's last use. */
  void stored(UUID tokenId, Instant at) {
    states.computeIfPresent(
        tokenId,
        (id, state) ->
            new State(
                state.owner(), state.newest(), state.written(), later(state.persisted(), at)));
  }

  /** Forgets a token that no longer exists. */
  void forget(UUID tokenId) {
    states.remove(tokenId);
  }

  /**
   * Writes every use the store is not known to hold; see {@link TokenService#flushLastUse()}.
   *
   * @return how many tokens' last use was written
   */
  int flush() {
    int written = 0;
    RuntimeException failure = null;
    for (Pending pending : pending()) {
      try {
        if (write(pending.tokenId(), pending.owner(), pending.usedAt())) {
          written++;
        }
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return written;
  }

  /**
   * Records a use of {@code tokenId} at {@code at} and says whether to write it to the store now.
   * The decision is made atomically, so of several concurrent uses at most one per interval is told
   * to write; a write that succeeded is reported through {@link #stored}.
   *
   * @param owner the token's owner, which a later flush needs to write
   * @param storedUse the last use the store held when the token was read, taken as the last write
   *     when this room has not seen the token yet
   */
  private boolean dueForWrite(UUID tokenId, String owner, Optional<Instant> storedUse, Instant at) {
    boolean[] write = new boolean[1];
    states.compute(
        tokenId,
        (id, state) -> {
          Instant persisted = state != null ? state.persisted() : storedUse.orElse(null);
          Instant written = state != null ? state.written() : persisted;
          Instant newest = later(state != null ? state.newest() : persisted, at);
          if (written == null || !at.isBefore(written.plus(writeInterval))) {
            write[0] = true;
            written = at;
          }
          return new State(owner, newest, written, persisted);
        });
    return write[0];
  }

  /** Writes one last use; false when the store no longer holds the token. */
  private boolean write(UUID id, String owner, Instant usedAt) {
    if (store.recordLastUse(owner, id, usedAt)) {
      stored(id, usedAt);
      return true;
    }
    forget(id); // deleted meanwhile, perhaps by another service over the same store
    return false;
  }

  /** The tokens whose newest use the store is not known to hold yet. */
  private List<Pending> pending() {
    List<Pending> pending = new ArrayList<>();
    states.forEach(
        (id, state) -> {
          if (state.persisted() == null || state.newest().isAfter(state.persisted())) {
            pending.add(new Pending(id, state.owner(), state.newest()));
          }
        });
    return pending;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || a.isBefore(b) ? b : a;
  }

  /** A use the store does not hold yet. */
  private record Pending(UUID tokenId, String owner, Instant usedAt) {}

  /**
   * What is known of one token's use.
   *
   * @param newest the newest use known; never null
   * @param written when a write was last asked for, which paces the writes; null when never
   * @param persisted the newest use the store is known to hold; null when none
   */
  private record State(String owner, Instant newest, Instant written, Instant persisted) {}
}
