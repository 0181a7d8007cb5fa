package dev.scopedtokens.store;

import java.util.Set;
import java.util.UUID;

/**
 * A store's feed of committed changes: for every {@link TokenStore#update} that put or deleted
 * tokens, which tokens it changed. It is what lets several {@link
 * dev.scopedtokens.token.TokenService}s over one store (the nodes of a service) drop a token's
 * cached verification when another node changed the token.
 *
 * <p>A store offers its feed through {@link TokenStore#changeFeed()}; {@link InMemoryTokenStore}
 * has one, so that several services over one in-memory store behave like nodes, and a database
 * store publishes its changes through the database (PostgreSQL: {@code NOTIFY} in the changing
 * transaction, one {@code LISTEN} connection per feed).
 *
 * <pre>{@code
 * try (TokenChangeFeed.Subscription subscription = store.changeFeed().orElseThrow().subscribe(listener)) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Contract for every implementation:
 *
 * <ul>
 *   <li><b>Complete while healthy.</b> Between {@link Listener#onHealthy()} and the next {@link
 *       Listener#onUnhealthy(String)}, every change committed after that {@code onHealthy} is
 *       delivered, as {@link Listener#onTokensChanged} with every id the change put or deleted, or
 *       as {@link Listener#onAllChanged()}. A feed may deliver more (an id twice, an id that did
 *       not change, {@code onAllChanged} for a change it could not describe), never less. A change
 *       committed while unhealthy, or before the {@code onHealthy} that ends an unhealthy spell,
 *       may be lost: that is what the health transitions are for.
 *   <li><b>After the commit.</b> A notice is delivered only once its change committed, and as soon
 *       as the feed learns of it. A feed in the same process delivers it before {@code update}
 *       returns to its caller.
 *   <li><b>Health.</b> A new subscription starts unhealthy: nothing has been delivered yet. The
 *       feed calls {@code onHealthy} once it delivers every change committed from then on, and
 *       {@code onUnhealthy} as soon as it may be missing changes (a lost connection, a failed
 *       health check). Health transitions come one at a time and alternate, starting with {@code
 *       onHealthy}; notices may come from any thread, also concurrently with each other.
 *   <li><b>Last use</b> ({@link TokenStore#recordLastUse}) is not a change here: no cache decides
 *       on it, and it is the one write on the hot path of verification.
 *   <li>No notice, reason or exception carries a secret, a lookup key or a hash: ids only.
 * </ul>
 */
public interface TokenChangeFeed {

  /**
   * Starts delivering this feed's notices to {@code listener} until the returned subscription is
   * closed. The listener starts unhealthy; {@link Listener#onHealthy()} may be called before this
   * method returns.
   *
   * @throws IllegalStateException when the feed is closed
   */
  Subscription subscribe(Listener listener);

  /**
   * Receives a feed's notices. Called by the feed's threads (or the committing thread of an
   * in-process store): return quickly, do not call the store, and do not throw (what a listener
   * throws is logged and ignored).
   */
  interface Listener {

    /**
     * The feed now delivers every change committed from here on. Changes committed before, while it
     * was unhealthy, may have been missed: a cache should drop everything it holds.
     */
    void onHealthy();

    /**
     * The feed may be missing changes from now until the next {@link #onHealthy()}.
     *
     * @param reason what went wrong, for a log line (no secret, no connection string)
     */
    void onUnhealthy(String reason);

    /**
     * A committed change put or deleted these tokens.
     *
     * @param tokenIds one or more token ids, unmodifiable
     */
    void onTokensChanged(Set<UUID> tokenIds);

    /**
     * A committed change may have changed any token: the feed could not say which (for example a
     * notice too large for the transport).
     */
    void onAllChanged();
  }

  /** A listener's subscription to a feed; closing it stops the deliveries. */
  interface Subscription extends AutoCloseable {

    /**
     * Stops delivering to the listener; a notice already being delivered may still arrive.
     * Idempotent.
     */
    @Override
    void close();
  }
}
