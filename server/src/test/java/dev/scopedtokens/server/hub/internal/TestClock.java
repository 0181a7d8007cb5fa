package dev.scopedtokens.server.hub.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test moves it (the server cannot depend on the testkit). */
final class TestClock extends Clock {
  private volatile Instant now;

  TestClock(Instant start) {
    this.now = start;
  }

  static TestClock atDefaultStart() {
    return new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }

  void set(Instant instant) {
    now = instant;
  }

  Instant peek() {
    return now;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
