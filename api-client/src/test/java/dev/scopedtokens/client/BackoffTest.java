package dev.scopedtokens.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static RetryPolicy policy(long baseMillis, long capMillis) {
    return RetryPolicy.builder()
        .baseDelay(Duration.ofMillis(baseMillis))
        .maxDelay(Duration.ofMillis(capMillis))
        .build();
  }

  @Test
  void bound_doublesUntilTheCap() {
    RetryPolicy policy = policy(100, 1000);

    assertThat(Backoff.bound(policy, 0)).isEqualTo(Duration.ofMillis(100));
    assertThat(Backoff.bound(policy, 1)).isEqualTo(Duration.ofMillis(200));
    assertThat(Backoff.bound(policy, 3)).isEqualTo(Duration.ofMillis(800));
    assertThat(Backoff.bound(policy, 4)).isEqualTo(Duration.ofMillis(1000));
    assertThat(Backoff.bound(policy, 1000)).isEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void everyDelay_liesWithinZeroAndTheBound() {
    qt().withExamples(2000)
        .forAll(integers().between(1, 60_000), integers().between(0, 200), longs().all())
        .checkAssert(
            (baseMillis, retry, seed) -> {
              long capMillis = Math.min(3_600_000, baseMillis * (1 + Math.floorMod(seed, 64)));
              RetryPolicy policy = policy(baseMillis, capMillis);
              Duration bound =
                  retry >= 40
                      ? policy.maxDelay()
                      : Duration.ofMillis(Math.min(capMillis, baseMillis * (1L << retry)));

              Duration delay = Backoff.delay(policy, retry, new SplittableRandom(seed));

              assertThat(Backoff.bound(policy, retry)).isEqualTo(bound);
              assertThat(delay).isBetween(Duration.ZERO, bound);
            });
  }

  @Test
  void delays_spreadOverTheWholeRange() {
    RetryPolicy policy = policy(1000, 1000);
    SplittableRandom random = new SplittableRandom(7);
    long low = 0;
    long high = 0;
    for (int i = 0; i < 1000; i++) {
      long millis = Backoff.delay(policy, 0, random).toMillis();
      if (millis < 250) {
        low++;
      } else if (millis >= 750) {
        high++;
      }
    }

    // Full jitter: a quarter of the draws land in each quarter, give or take.
    assertThat(low).isBetween(150L, 350L);
    assertThat(high).isBetween(150L, 350L);
  }
}
