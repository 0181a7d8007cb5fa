package dev.scopedtokens.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.store.TokenChangeFeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What a test needs around a {@link PostgresChangeFeed}: a listener that queues what it hears, so
 * the test can wait for an event instead of sleeping, and a reconnection pause that the test ends.
 */
final class FeedProbe implements TokenChangeFeed.Listener {
  /** How long a test waits for an event before it fails: generous, never a speed assertion. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private static final AtomicInteger NAMES = new AtomicInteger();

  final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  /** Pauses between reconnections last until the test releases a permit. */
  final Semaphore reconnect = new Semaphore(0);

  final String applicationName = "scopedtokens-feed-" + NAMES.incrementAndGet();

  /** A data source for a feed's LISTEN connection, named so a test can find its backend. */
  PGSimpleDataSource listenConnections(TestDatabase database) {
    PGSimpleDataSource source = database.direct();
    source.setApplicationName(applicationName);
    return source;
  }

  /** Feed settings whose pauses wait for {@link #reconnect} instead of a clock. */
  PostgresChangeFeed.Builder settings(TestDatabase database) {
    return PostgresChangeFeed.listeningOn(listenConnections(database))
        .pollTimeout(Duration.ofMillis(100))
        .sleeper(
            pause -> {
              events.add("pause " + pause.toMillis());
              reconnect.acquire();
            });
  }

  /** Lets the feed reconnect after its current pause, and after every later one. */
  void allowReconnecting() {
    reconnect.release(1000);
  }

  /** Waits for the next event that starts with {@code prefix}, skipping others; returns it. */
  String await(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      String event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertThat(event).as("waiting for \"" + prefix + "\"").isNotNull();
      if (event.startsWith(prefix)) {
        return event;
      }
    }
  }

  /** Waits until a notice names {@code id}. */
  void awaitChanged(UUID id) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      String event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertThat(event).as("waiting for a notice of " + id).isNotNull();
      if (event.startsWith("changed") && event.contains(id.toString()) || event.equals("all")) {
        return;
      }
    }
  }

  /**
   * Waits until a notice names exactly {@code marker}, having heard nothing but notices before it.
   * Fails at once, with a message naming {@code node}, when the feed reports itself unhealthy first
   * (it may have lost a change, and will not deliver the marker either), and when no marker comes
   * within {@link #PATIENCE}.
   */
  void awaitMarker(UUID marker, String node) throws InterruptedException {
    String expected = "changed " + Set.of(marker);
    List<String> before = new ArrayList<>();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      String event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertThat(event)
          .as(
              "the change feed of %s delivers marker %s within %s; it heard only %s",
              node, marker, PATIENCE, before)
          .isNotNull();
      if (event.equals(expected)) {
        return;
      }
      before.add(event);
      assertThat(event)
          .as(
              "what the change feed of %s reported before marker %s (after %s): it must listen"
                  + " throughout, or a change may be lost",
              node, marker, before.subList(0, before.size() - 1))
          .matches(e -> e.startsWith("changed ") || e.equals("all"), "a notice");
    }
  }

  /** Kills this probe's LISTEN backend as an operator or a crash would. */
  void killListenBackend(TestDatabase database) {
    database.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
            + applicationName
            + "'");
  }

  @Override
  public void onHealthy() {
    events.add("healthy");
  }

  @Override
  public void onUnhealthy(String reason) {
    events.add("unhealthy " + reason);
  }

  @Override
  public void onTokensChanged(Set<UUID> tokenIds) {
    events.add("changed " + tokenIds);
  }

  @Override
  public void onAllChanged() {
    events.add("all");
  }
}
