package dev.scopedtokens.testkit;

import java.time.Duration;

/**
 * How the fake Docker Hub waits out a {@linkplain Fault#delay(Duration) late answer}; tests inject
 * one that records the wait or blocks until they release it, so that nothing really sleeps.
 */
@FunctionalInterface
public interface Sleeper {
  /** Waits {@code duration}, or less when interrupted. */
  void sleep(Duration duration) throws InterruptedException;
}
