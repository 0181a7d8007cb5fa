package dev.scopedtokens.server.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:15Z"));
  private final RateLimiter limiter = new RateLimiter(2, clock);

  @Test
  void requestsWithinTheLimit_areAllowedAndCountedDown() {
    RateLimiter.Decision first = limiter.acquire("ip:127.0.0.1");
    RateLimiter.Decision second = limiter.acquire("ip:127.0.0.1");

    assertThat(first.allowed()).isTrue();
    assertThat(first.remaining()).isEqualTo(1);
    assertThat(second.allowed()).isTrue();
    assertThat(second.remaining()).isZero();
  }

  @Test
  void requestOverTheLimit_isRefusedUntilTheMinuteEnds() {
    limiter.acquire("user:alice");
    limiter.acquire("user:alice");

    RateLimiter.Decision third = limiter.acquire("user:alice");

    assertThat(third.allowed()).isFalse();
    assertThat(third.reset()).isEqualTo(Instant.parse("2025-01-01T00:01:00Z"));
    assertThat(third.retryAfterSeconds()).isEqualTo(45);
  }

  @Test
  void nextMinute_startsAFreshWindow() {
    limiter.acquire("user:alice");
    limiter.acquire("user:alice");
    clock.advance(Duration.ofSeconds(45));

    RateLimiter.Decision next = limiter.acquire("user:alice");

    assertThat(next.allowed()).isTrue();
    assertThat(next.remaining()).isEqualTo(1);
  }

  @Test
  void callers_areCountedApart() {
    limiter.acquire("user:alice");
    limiter.acquire("user:alice");

    assertThat(limiter.acquire("user:bob").allowed()).isTrue();
  }

  @Test
  void retryAfter_isRoundedUpToWholeSeconds() {
    clock.set(Instant.parse("2025-01-01T00:00:59.200Z"));
    limiter.acquire("a");
    limiter.acquire("a");

    assertThat(limiter.acquire("a").retryAfterSeconds()).isEqualTo(1);
  }
}
