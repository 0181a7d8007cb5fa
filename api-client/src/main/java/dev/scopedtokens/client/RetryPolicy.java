package dev.scopedtokens.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How the client retries a request that failed in a way worth trying again.
 *
 * <p>Waits follow exponential backoff with full jitter: before retry {@code n} (counting from 0)
 * the client waits a random time in {@code [0, min(maxDelay, baseDelay * 2^n)]}. A rate-limited
 * request waits for the time the server asked instead. All waits of one call together never exceed
 * {@link #maxTotalWait()}; when the server asks for more than is left, the client does not wait and
 * throws {@link HubRateLimitException} with the requested wait.
 *
 * <p>What is retried is fixed by the client, not the policy: transport failures and 502, 503 and
 * 504 for requests that are safe to repeat, and 429 for every request. See {@link HubClient}.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .maxAttempts(5)
 *     .baseDelay(Duration.ofMillis(100))
 *     .maxTotalWait(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable values.
 */
public final class RetryPolicy {
  /** The most attempts a policy may allow. */
  public static final int MAX_ATTEMPTS_LIMIT = 100;

  private static final Duration LONGEST_DELAY = Duration.ofHours(1);
  private static final Duration LONGEST_TOTAL_WAIT = Duration.ofDays(1);

  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final Duration maxTotalWait;

  private RetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.baseDelay = builder.baseDelay;
    this.maxDelay = builder.maxDelay;
    this.maxTotalWait = builder.maxTotalWait;
  }

  /**
   * The default policy: 4 attempts, a base delay of 250 ms, at most 20 s between attempts and at
   * most 60 s of waiting in total (Docker Hub's rate limits are per minute).
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A policy that never retries: every call makes exactly one attempt.
   *
   * @return the policy of one attempt
   */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * A builder that starts from the {@linkplain #defaults() defaults}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The most attempts per call, the first one included; 1 means no retries.
   *
   * @return 1 to {@value #MAX_ATTEMPTS_LIMIT}
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The upper bound of the first backoff; it doubles for every further retry.
   *
   * @return a positive duration, at most {@link #maxDelay()}
   */
  public Duration baseDelay() {
    return baseDelay;
  }

  /**
   * The cap on the upper bound of any single backoff.
   *
   * @return a positive duration, at most an hour
   */
  public Duration maxDelay() {
    return maxDelay;
  }

  /**
   * The most time one call may spend waiting between its attempts.
   *
   * @return a duration of at most a day
   */
  public Duration maxTotalWait() {
    return maxTotalWait;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof RetryPolicy that
        && maxAttempts == that.maxAttempts
        && baseDelay.equals(that.baseDelay)
        && maxDelay.equals(that.maxDelay)
        && maxTotalWait.equals(that.maxTotalWait);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, baseDelay, maxDelay, maxTotalWait);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", baseDelay="
        + baseDelay
        + ", maxDelay="
        + maxDelay
        + ", maxTotalWait="
        + maxTotalWait
        + "]";
  }

  /** Builds a {@link RetryPolicy}; each setter checks its argument. */
  public static final class Builder {
    private int maxAttempts = 4;
    private Duration baseDelay = Duration.ofMillis(250);
    private Duration maxDelay = Duration.ofSeconds(20);
    private Duration maxTotalWait = Duration.ofSeconds(60);

    private Builder() {}

    /**
     * Sets the most attempts per call, the first one included.
     *
     * @param maxAttempts 1 (no retries) to {@value RetryPolicy#MAX_ATTEMPTS_LIMIT}
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
        throw new IllegalArgumentException(
            "maxAttempts: "
                + maxAttempts
                + " is out of range; allowed 1 (no retries) to "
                + MAX_ATTEMPTS_LIMIT);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the upper bound of the first backoff.
     *
     * @param baseDelay more than zero, at most one hour
     * @return this builder
     */
    public Builder baseDelay(Duration baseDelay) {
      this.baseDelay = positive("baseDelay", baseDelay, LONGEST_DELAY);
      return this;
    }

    /**
     * Sets the cap on the upper bound of any single backoff.
     *
     * @param maxDelay more than zero, at most one hour
     * @return this builder
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = positive("maxDelay", maxDelay, LONGEST_DELAY);
      return this;
    }

    /**
     * Sets the most time one call may spend waiting between attempts.
     *
     * @param maxTotalWait zero (retry at once, never wait) to one day
     * @return this builder
     */
    public Builder maxTotalWait(Duration maxTotalWait) {
      Objects.requireNonNull(maxTotalWait, "maxTotalWait");
      if (maxTotalWait.isNegative() || maxTotalWait.compareTo(LONGEST_TOTAL_WAIT) > 0) {
        throw new IllegalArgumentException(
            "maxTotalWait: "
                + maxTotalWait
                + " is out of range; allowed PT0S to "
                + LONGEST_TOTAL_WAIT);
      }
      this.maxTotalWait = maxTotalWait;
      return this;
    }

    /**
     * The policy.
     *
     * @return the policy
     * @throws IllegalStateException when the base delay is longer than the maximum delay
     */
    public RetryPolicy build() {
      if (baseDelay.compareTo(maxDelay) > 0) {
        throw new IllegalStateException(
            "baseDelay "
                + baseDelay
                + " is longer than maxDelay "
                + maxDelay
                + "; lower baseDelay or raise maxDelay");
      }
      return new RetryPolicy(this);
    }

    private static Duration positive(String field, Duration value, Duration max) {
      Objects.requireNonNull(value, field);
      if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            field + ": " + value + " is out of range; allowed more than PT0S up to " + max);
      }
      return value;
    }
  }
}
