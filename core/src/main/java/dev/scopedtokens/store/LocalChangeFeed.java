package dev.scopedtokens.store;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The change feed of a store in this process: a committing thread hands its change to every
 * subscriber before the store's {@code update} returns. Always healthy, since nothing stands
 * between the store and its subscribers that could lose a notice.
 *
 * <p>Subscribers are held in a copy-on-write list: subscribing is rare, publishing is on every
 * change, and a publish that costs one volatile read when nobody listens keeps a store with a
 * single service as fast as before.
 */
final class LocalChangeFeed implements TokenChangeFeed {
  private static final System.Logger LOG = System.getLogger(LocalChangeFeed.class.getName());

  private final CopyOnWriteArrayList<LocalSubscription> subscriptions =
      new CopyOnWriteArrayList<>();

  @Override
  public Subscription subscribe(Listener listener) {
    LocalSubscription subscription =
        new LocalSubscription(Objects.requireNonNull(listener, "listener"));
    // Added before onHealthy, so every change committed after onHealthy finds it.
    subscriptions.add(subscription);
    try {
      listener.onHealthy();
    } catch (RuntimeException e) {
      logFailure(listener, "onHealthy", e);
    }
    return subscription;
  }

  /** Hands the ids a committed change put or deleted to every subscriber; none when empty. */
  void publish(AccountChange<?> change) {
    if (subscriptions.isEmpty() || change.isEmpty()) {
      return;
    }
    Set<UUID> ids = new LinkedHashSet<>();
    change.puts().forEach(put -> ids.add(put.token().id()));
    ids.addAll(change.deletes());
    Set<UUID> notice = Collections.unmodifiableSet(ids);
    for (LocalSubscription subscription : subscriptions) {
      try {
        subscription.listener.onTokensChanged(notice);
      } catch (RuntimeException e) {
        logFailure(subscription.listener, "onTokensChanged", e);
      }
    }
  }

  private static void logFailure(Listener listener, String call, RuntimeException e) {
    LOG.log(
        System.Logger.Level.WARNING,
        () -> "change feed listener " + listener.getClass().getName() + " failed in " + call,
        e);
  }

  @Override
  public String toString() {
    return "LocalChangeFeed[subscriptions=" + subscriptions.size() + "]";
  }

  private final class LocalSubscription implements Subscription {
    final Listener listener;

    LocalSubscription(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void close() {
      subscriptions.remove(this);
    }
  }
}
