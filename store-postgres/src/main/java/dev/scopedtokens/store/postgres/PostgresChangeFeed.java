package dev.scopedtokens.store.postgres;

import dev.scopedtokens.store.TokenChangeFeed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The change feed of a {@link PostgresTokenStore}: every transaction of {@link
 * PostgresTokenStore#update} that changes tokens sends their ids with {@code pg_notify} before it
 * commits, and this feed {@code LISTEN}s for them on a connection of its own.
 *
 * <p>Turn it on with {@link PostgresTokenStore.Builder#changeFeed(DataSource)}; every {@code
 * TokenService} over the store then follows it.
 *
 * <pre>{@code
 * PGSimpleDataSource listen = new PGSimpleDataSource(); // not the pool: one long-lived connection
 * listen.setURL(jdbcUrl);
 * TokenStore store = PostgresTokenStore.builder(pool).changeFeed(listen).build();
 * }</pre>
 *
 * <p>How it works:
 *
 * <ul>
 *   <li><b>One {@code LISTEN} connection</b>, taken from the data source given for it, never from
 *       the store's pool: a pool would take it back, or hand a connection that listens to another
 *       user. It is opened when the first subscriber arrives and closed when the last one leaves,
 *       so a store whose services have no cache holds none. It is read by one daemon thread.
 *   <li><b>Polled with a timeout</b> ({@link Builder#pollTimeout}): a notice is read as soon as it
 *       arrives, and the thread looks up every poll timeout to run its health check and to notice a
 *       closed feed.
 *   <li><b>Health-checked</b>: every {@link Builder#healthCheckInterval} a {@code SELECT 1} on the
 *       connection, under a {@linkplain Connection#setNetworkTimeout network timeout}. A killed
 *       backend ({@code pg_terminate_backend}) or a stopped server is seen at the next read, at
 *       once; a connection that silently stopped answering within the interval plus the timeout.
 *   <li><b>Reconnected with backoff</b>: on any failure the subscribers hear {@code onUnhealthy},
 *       and the thread connects again after a pause that doubles from {@link
 *       Builder#reconnectBackoff}'s first to its last value; once {@code LISTEN} succeeds they hear
 *       {@code onHealthy}, and the pause starts over.
 * </ul>
 *
 * <p>Thread-safe. Nothing it logs or reports names a token's secret, a lookup key, a hash or a
 * password: failures are reported by exception type and SQLSTATE.
 */
public final class PostgresChangeFeed implements TokenChangeFeed {
  private static final System.Logger LOG = System.getLogger(PostgresChangeFeed.class.getName());

  private final DataSource listenConnections;
  private final String channel;
  private final Duration pollTimeout;
  private final Duration healthCheckInterval;
  private final Duration networkTimeout;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final Clock clock;
  private final Sleeper sleeper;

  private final Object lock = new Object();
  private final CopyOnWriteArrayList<FeedSubscription> subscriptions = new CopyOnWriteArrayList<>();
  private Worker worker; // guarded by lock; null when nobody listens
  private boolean healthy; // guarded by lock

  private PostgresChangeFeed(Builder builder, String channel) {
    this.listenConnections = builder.listenConnections;
    this.channel = channel;
    this.pollTimeout = builder.pollTimeout;
    this.healthCheckInterval = builder.healthCheckInterval;
    this.networkTimeout = builder.networkTimeout;
    this.firstBackoff = builder.firstBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.clock = builder.clock;
    this.sleeper = builder.sleeper;
  }

  /**
   * Returns the settings of a feed that listens on connections from {@code listenConnections}; hand
   * them to {@link PostgresTokenStore.Builder#changeFeed(Builder)}.
   *
   * @param listenConnections where the {@code LISTEN} connection comes from: a data source of its
   *     own (a {@code PGSimpleDataSource}, say), not the store's pool
   */
  public static Builder listeningOn(DataSource listenConnections) {
    return new Builder(listenConnections);
  }

  /** The channel this feed's notices travel on. */
  String channel() {
    return channel;
  }

  @Override
  public Subscription subscribe(Listener listener) {
    FeedSubscription subscription =
        new FeedSubscription(Objects.requireNonNull(listener, "listener"));
    synchronized (lock) {
      subscriptions.add(subscription);
      if (worker == null) {
        worker = new Worker();
        Thread thread = new Thread(worker, "scopedtokens-change-feed-" + channel);
        thread.setDaemon(true);
        thread.start();
      } else if (healthy) {
        // LISTEN is in effect: every change committed from now on reaches this subscriber.
        call(listener, "onHealthy", Listener::onHealthy);
      }
    }
    return subscription;
  }

  /** Returns whether the feed's {@code LISTEN} connection is up and checked. */
  public boolean isHealthy() {
    synchronized (lock) {
      return healthy;
    }
  }

  @Override
  public String toString() {
    return "PostgresChangeFeed[channel=" + channel + ", subscribers=" + subscriptions.size() + "]";
  }

  private void unsubscribe(FeedSubscription subscription) {
    synchronized (lock) {
      if (subscriptions.remove(subscription) && subscriptions.isEmpty() && worker != null) {
        worker.stopped = true;
        worker = null;
        healthy = false;
      }
    }
  }

  private void transition(Worker from, boolean nowHealthy, String reason) {
    synchronized (lock) {
      if (worker != from || healthy == nowHealthy) {
        return; // a stopped worker's news, or no change
      }
      healthy = nowHealthy;
      for (FeedSubscription subscription : subscriptions) {
        if (nowHealthy) {
          call(subscription.listener, "onHealthy", Listener::onHealthy);
        } else {
          call(subscription.listener, "onUnhealthy", l -> l.onUnhealthy(reason));
        }
      }
    }
    if (nowHealthy) {
      LOG.log(System.Logger.Level.INFO, () -> "change feed listening on " + channel);
    } else {
      LOG.log(
          System.Logger.Level.WARNING,
          () -> "change feed on " + channel + " lost: " + reason + "; reconnecting");
    }
  }

  private void deliver(PGNotification notification) {
    if (!channel.equals(notification.getName())) {
      return;
    }
    Optional<Set<UUID>> ids = ChangeNotices.read(notification.getParameter());
    for (FeedSubscription subscription : subscriptions) {
      if (ids.isPresent()) {
        call(subscription.listener, "onTokensChanged", l -> l.onTokensChanged(ids.get()));
      } else {
        call(subscription.listener, "onAllChanged", Listener::onAllChanged);
      }
    }
  }

  private static void call(
      Listener listener, String what, java.util.function.Consumer<Listener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          () -> "change feed listener " + listener.getClass().getName() + " failed in " + what,
          e);
    }
  }

  /** Why a connection failed, without the driver's text (which may quote a server's words). */
  static String describe(Exception e) {
    String state = e instanceof SQLException sql ? sql.getSQLState() : null;
    return e.getClass().getSimpleName() + (state == null ? "" : " (SQLSTATE " + state + ")");
  }

  /** One run of the listening thread, from the first subscriber to the last one leaving. */
  private final class Worker implements Runnable {
    volatile boolean stopped;

    @Override
    public void run() {
      try {
        listenUntilStopped();
      } finally {
        if (!stopped) {
          // Only an Error gets here; the subscribers must not go on believing the feed works.
          transition(this, false, "the listening thread ended");
        }
      }
    }

    private void listenUntilStopped() {
      Duration backoff = firstBackoff;
      while (!stopped) {
        Connection connection = null;
        try {
          connection = listen();
          backoff = firstBackoff;
          transition(this, true, null);
          poll(connection);
        } catch (SQLException | RuntimeException e) {
          if (stopped) {
            break;
          }
          transition(this, false, describe(e));
          try {
            sleeper.sleep(backoff);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            break;
          } catch (RuntimeException pauseFailed) {
            LOG.log(System.Logger.Level.WARNING, "change feed: pausing failed", pauseFailed);
          }
          backoff =
              backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                  ? maxBackoff
                  : backoff.multipliedBy(2);
        } finally {
          closeQuietly(connection);
        }
      }
    }

    private Connection listen() throws SQLException {
      Connection connection = listenConnections.getConnection();
      try {
        connection.setAutoCommit(true);
        connection.setNetworkTimeout(Runnable::run, Math.toIntExact(networkTimeout.toMillis()));
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + quoted(channel));
        }
        return connection;
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection);
        throw e;
      }
    }

    private void poll(Connection connection) throws SQLException {
      PGConnection pg = connection.unwrap(PGConnection.class);
      int pollMillis = Math.toIntExact(Math.max(1, pollTimeout.toMillis()));
      long nextCheck = clock.millis() + healthCheckInterval.toMillis();
      while (!stopped) {
        PGNotification[] notifications = pg.getNotifications(pollMillis);
        if (notifications != null) {
          for (PGNotification notification : notifications) {
            deliver(notification);
          }
        }
        if (clock.millis() >= nextCheck) {
          try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
          }
          nextCheck = clock.millis() + healthCheckInterval.toMillis();
        }
      }
    }
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // the connection is gone either way
    }
  }

  /** Pauses the listening thread between reconnections; tests replace it. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final class FeedSubscription implements Subscription {
    final Listener listener;

    FeedSubscription(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void close() {
      unsubscribe(this);
    }
  }

  /**
   * The settings of a {@link PostgresChangeFeed}, handed to {@link
   * PostgresTokenStore.Builder#changeFeed(Builder)}, which builds the feed for the store's schema.
   * Every setter validates its argument at once.
   */
  public static final class Builder {
    private final DataSource listenConnections;
    private Duration pollTimeout = Duration.ofMillis(500);
    private Duration healthCheckInterval = Duration.ofSeconds(1);
    private Duration networkTimeout = Duration.ofSeconds(2);
    private Duration firstBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());

    private Builder(DataSource listenConnections) {
      this.listenConnections = Objects.requireNonNull(listenConnections, "listenConnections");
    }

    /**
     * Sets how long one read of the {@code LISTEN} connection waits for a notice before the thread
     * looks up (to run its health check, or to stop); 500 ms by default. A notice is delivered as
     * soon as it arrives, whatever this is.
     *
     * @throws IllegalArgumentException unless 1 ms to 1 minute
     */
    public Builder pollTimeout(Duration timeout) {
      this.pollTimeout = check("pollTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /**
     * Sets how often the {@code LISTEN} connection is checked with a {@code SELECT 1}; 1 second by
     * default.
     *
     * @throws IllegalArgumentException unless 1 ms to 1 minute
     */
    public Builder healthCheckInterval(Duration interval) {
      this.healthCheckInterval =
          check("healthCheckInterval", interval, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /**
     * Sets how long a read or the health check may wait for the server before the connection counts
     * as lost; 2 seconds by default. It must be longer than the poll timeout.
     *
     * @throws IllegalArgumentException unless 1 ms to 1 minute
     */
    public Builder networkTimeout(Duration timeout) {
      this.networkTimeout =
          check("networkTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /**
     * Sets the pause before the first attempt to reconnect and the longest pause, which the pauses
     * double up to; 100 ms and 5 seconds by default.
     *
     * @throws IllegalArgumentException unless 1 ms to 10 minutes each, the first at most the last
     */
    public Builder reconnectBackoff(Duration first, Duration max) {
      Duration checkedFirst =
          check("reconnectBackoff first", first, Duration.ofMillis(1), Duration.ofMinutes(10));
      Duration checkedMax =
          check("reconnectBackoff max", max, Duration.ofMillis(1), Duration.ofMinutes(10));
      if (checkedFirst.compareTo(checkedMax) > 0) {
        throw new IllegalArgumentException(
            "reconnectBackoff: first " + first + " is longer than max " + max);
      }
      this.firstBackoff = checkedFirst;
      this.maxBackoff = checkedMax;
      return this;
    }

    /** Sets the clock that paces the health checks (tests). */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets what pauses between reconnections (tests). */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Builds the feed of a store whose notices travel on {@code channel}. */
    PostgresChangeFeed build(String channel) {
      if (networkTimeout.compareTo(pollTimeout) <= 0) {
        throw new IllegalStateException(
            "changeFeed: networkTimeout "
                + networkTimeout
                + " must be longer than pollTimeout "
                + pollTimeout
                + ", or every quiet poll would count as a lost connection");
      }
      return new PostgresChangeFeed(this, channel);
    }

    private static Duration check(String name, Duration value, Duration min, Duration max) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + ": " + value + "; must be " + min + " to " + max);
      }
      return value;
    }
  }
}
