package dev.scopedtokens.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The server is rate limiting the caller (429) and the retry policy allowed no further wait: either
 * the attempts ran out or the server asked for a longer wait than the policy has left.
 */
public final class HubRateLimitException extends HubException {
  private static final long serialVersionUID = 1L;

  /** The wait the server asked for, or null when it did not say. */
  private final Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param serverMessage the server's explanation, if any
   * @param retryAfter how long the server asked the caller to wait, when it said
   * @param attempts the requests the call sent
   */
  HubRateLimitException(
      String message, Optional<String> serverMessage, Optional<Duration> retryAfter, int attempts) {
    super(message, 429, serverMessage, attempts, null);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter").orElse(null);
  }

  /**
   * Returns how long the server asked the caller to wait (from {@code Retry-After} or {@code
   * X-Retry-After}), measured from when the response arrived; empty when it did not say.
   *
   * @return the requested wait
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
