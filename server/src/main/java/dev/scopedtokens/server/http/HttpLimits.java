package dev.scopedtokens.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one request may cost, enforced by every adapter before an {@link HttpEndpoint} runs: a
 * request over a limit is answered 4xx (413, 414 or 431) with a JSON body, and a client that sends
 * too slowly is cut off at the read timeout.
 *
 * @param maxBodyBytes the largest body, in bytes
 * @param maxHeaderBytes the largest request line plus header section, in bytes
 * @param maxHeaderCount the most header fields
 * @param readTimeout the longest a whole request may take to arrive
 * @param idleTimeout the longest a kept-alive connection may sit idle
 */
public record HttpLimits(
    int maxBodyBytes,
    int maxHeaderBytes,
    int maxHeaderCount,
    Duration readTimeout,
    Duration idleTimeout) {

  /** The defaults: a 64 KiB body, 16 KiB of headers in at most 100 fields, 10 s, 30 s. */
  public static final HttpLimits DEFAULTS =
      new HttpLimits(64 * 1024, 16 * 1024, 100, Duration.ofSeconds(10), Duration.ofSeconds(30));

  /**
   * Checks the limits.
   *
   * @throws IllegalArgumentException if a size is not positive or a timeout is not 1 ms to 1 hour
   */
  public HttpLimits {
    positive(maxBodyBytes, "maxBodyBytes", 64 * 1024 * 1024);
    positive(maxHeaderBytes, "maxHeaderBytes", 1024 * 1024);
    positive(maxHeaderCount, "maxHeaderCount", 10_000);
    timeout(readTimeout, "readTimeout");
    timeout(idleTimeout, "idleTimeout");
  }

  private static void positive(int value, String name, int max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(name + ": " + value + "; must be 1 to " + max);
    }
  }

  private static void timeout(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(name + ": must be 1 millisecond to 1 hour");
    }
  }
}
