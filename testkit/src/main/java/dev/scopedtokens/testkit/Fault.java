package dev.scopedtokens.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failure the fake Docker Hub plays instead of (or before) its normal answer, to test how a
 * client copes: see {@link FakeDockerHub#injectFault(Fault, int)}.
 *
 * <pre>{@code
 * hub.injectFault(Fault.status(503, Duration.ofSeconds(2)), 2);  // two 503s with Retry-After: 2
 * hub.injectFault(Fault.dropConnection());                        // then one dropped connection
 * }</pre>
 */
public sealed interface Fault permits Fault.Status, Fault.Delay, Fault.DropConnection {

  /** Answers {@code status} (400 to 599) with a JSON error body instead of the real answer. */
  static Fault status(int status) {
    return new Status(status, Optional.empty());
  }

  /**
   * Answers {@code status} (400 to 599) with a JSON error body and {@code Retry-After} (whole
   * seconds, rounded up) and {@code X-Retry-After} (the Unix time by the server's clock).
   */
  static Fault status(int status, Duration retryAfter) {
    return new Status(status, Optional.of(retryAfter));
  }

  /**
   * Waits {@code delay} with the server's {@link FakeDockerHub.Sleeper} and then answers normally:
   * for testing a client's timeouts.
   */
  static Fault delay(Duration delay) {
    return new Delay(delay);
  }

  /** Closes the connection without sending any response. */
  static Fault dropConnection() {
    return new DropConnection();
  }

  /**
   * Answers a fixed status.
   *
   * @param status the HTTP status, 400 to 599
   * @param retryAfter the wait announced in {@code Retry-After}, when one is
   */
  record Status(int status, Optional<Duration> retryAfter) implements Fault {
    /** Validates the status and the wait. */
    public Status {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status: " + status + "; must be 400 to 599");
      }
      Objects.requireNonNull(retryAfter, "retryAfter");
      retryAfter.ifPresent(
          d -> {
            if (d.isNegative()) {
              throw new IllegalArgumentException("retryAfter: " + d + "; must not be negative");
            }
          });
    }
  }

  /**
   * Answers late.
   *
   * @param delay how long to wait before answering, not negative
   */
  record Delay(Duration delay) implements Fault {
    /** Validates the delay. */
    public Delay {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay: " + delay + "; must not be negative");
      }
    }
  }

  /** Drops the connection without an answer. */
  record DropConnection() implements Fault {}
}
