package dev.scopedtokens.testkit;

import java.time.Duration;
import java.util.Map;
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
public sealed interface Fault
    permits Fault.Status, Fault.Delay, Fault.DropConnection, Fault.Respond {

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
   * Waits {@code delay} with the server's {@link Sleeper} and then answers normally: for testing a
   * client's timeouts.
   */
  static Fault delay(Duration delay) {
    return new Delay(delay);
  }

  /** Closes the connection without sending any response. */
  static Fault dropConnection() {
    return new DropConnection();
  }

  /**
   * Answers exactly this instead of the real answer: for a scripted reply, such as a body the
   * client must refuse.
   *
   * <pre>{@code
   * hub.injectFault(Fault.respond(200, Map.of("Content-Type", "application/json"), "{\"count\":1e999}"));
   * }</pre>
   *
   * @param status 100 to 599
   * @param headers header fields; {@code Content-Length} is computed by the server
   * @param body the body, sent as UTF-8
   */
  static Fault respond(int status, Map<String, String> headers, String body) {
    return new Respond(status, headers, body);
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

  /**
   * Answers a scripted reply.
   *
   * @param status the HTTP status, 100 to 599
   * @param headers the header fields; names and values without line breaks
   * @param body the body, sent as UTF-8
   */
  record Respond(int status, Map<String, String> headers, String body) implements Fault {
    /** Validates the status and the header fields, and copies them. */
    public Respond {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("status: " + status + "; must be 100 to 599");
      }
      Objects.requireNonNull(headers, "headers");
      Objects.requireNonNull(body, "body");
      headers.forEach(
          (name, value) -> {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            if ((name + value).chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
              throw new IllegalArgumentException(
                  "headers: a name or value holds a line break or NUL");
            }
          });
      headers = Map.copyOf(headers);
    }
  }
}
