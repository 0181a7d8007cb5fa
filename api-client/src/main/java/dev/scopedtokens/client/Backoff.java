package dev.scopedtokens.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential backoff with full jitter (the AWS architecture blog's "full jitter" variant). */
final class Backoff {
  private Backoff() {}

  /**
   * Returns {@code min(maxDelay, baseDelay * 2^retry)}, the upper bound of the wait before retry
   * {@code retry} (from 0).
   */
  static Duration bound(RetryPolicy policy, int retry) {
    if (retry < 0) {
      throw new IllegalArgumentException("retry: " + retry + " is negative");
    }
    long base = policy.baseDelay().toNanos();
    long cap = policy.maxDelay().toNanos();
    // base <= cap (the policy checks it); shifting stops as soon as the cap is reached.
    if (retry >= Long.SIZE - 1 || base > (cap >> retry)) {
      return policy.maxDelay();
    }
    return Duration.ofNanos(Math.min(cap, base << retry));
  }

  /** Returns a wait drawn uniformly from {@code [0, bound(retry)]}. */
  static Duration delay(RetryPolicy policy, int retry, RandomGenerator random) {
    long bound = bound(policy, retry).toNanos();
    return Duration.ofNanos(random.nextLong(bound + 1));
  }
}
