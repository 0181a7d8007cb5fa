package dev.scopedtokens.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Waits between retries. The client never sleeps any other way, so tests inject a sleeper that
 * records the waits and returns at once.
 */
@FunctionalInterface
public interface Sleeper {
  /**
   * Waits for {@code duration}.
   *
   * @param duration how long to wait; zero or positive
   * @throws InterruptedException when the waiting thread is interrupted
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * The sleeper that blocks the calling thread with {@link Thread#sleep(long, int)}.
   *
   * @return the system sleeper
   */
  static Sleeper system() {
    return duration -> {
      Objects.requireNonNull(duration, "duration");
      if (!duration.isNegative() && !duration.isZero()) {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
      }
    };
  }
}
