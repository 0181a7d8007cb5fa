package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FakeClockTest {
  private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

  @Test
  void standsStill_untilAdvanced() {
    FakeClock clock = FakeClock.at(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
  }

  @Test
  void advance_movesTimeOn() {
    FakeClock clock = FakeClock.at(START);

    clock.advance(Duration.ofMinutes(10));

    assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(10)));
  }

  @Test
  void set_canGoBackInTime() {
    FakeClock clock = FakeClock.at(START);

    clock.set(START.minusSeconds(60));

    assertThat(clock.instant()).isEqualTo(START.minusSeconds(60));
  }

  @Test
  void advance_rejectsNegativeDurations() {
    FakeClock clock = FakeClock.at(START);

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration")
        .hasMessageContaining("must not be negative");
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void autoAdvance_movesOnAfterEachRead() {
    FakeClock clock = FakeClock.at(START);
    clock.autoAdvance(Duration.ofSeconds(1));

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(1));
    assertThat(clock.millis()).isEqualTo(START.plusSeconds(2).toEpochMilli());
  }

  @Test
  void peek_doesNotAutoAdvance() {
    FakeClock clock = FakeClock.at(START);
    clock.autoAdvance(Duration.ofSeconds(1));

    assertThat(clock.peek()).isEqualTo(START);
    assertThat(clock.peek()).isEqualTo(START);
  }

  @Test
  void autoAdvanceOfZero_turnsItOff() {
    FakeClock clock = FakeClock.at(START);
    clock.autoAdvance(Duration.ofSeconds(1));
    clock.autoAdvance(Duration.ZERO);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void isInUtc_byDefault() {
    assertThat(FakeClock.at(START).getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void withZone_sharesTheTime() {
    FakeClock clock = FakeClock.at(START);
    FakeClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advance(Duration.ofHours(1));

    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(paris.instant()).isEqualTo(START.plus(Duration.ofHours(1)));
  }

  @Test
  void withZone_ofTheSameZone_returnsTheSameClock() {
    FakeClock clock = FakeClock.at(START);

    assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
  }

  @Test
  void clocksSharingTimeAndZone_areEqual() {
    FakeClock clock = FakeClock.at(START);
    FakeClock view = clock.withZone(ZoneId.of("Europe/Paris")).withZone(ZoneOffset.UTC);

    assertThat(view).isEqualTo(clock).hasSameHashCodeAs(clock);
    assertThat(FakeClock.at(START)).isNotEqualTo(clock);
  }

  @Test
  void concurrentReadsWithAutoAdvance_neverSeeTheSameInstantTwice() throws Exception {
    FakeClock clock = FakeClock.at(START);
    clock.autoAdvance(Duration.ofNanos(1));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<List<Instant>>> readers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        readers.add(
            () -> {
              List<Instant> seen = new ArrayList<>();
              for (int i = 0; i < 1000; i++) {
                seen.add(clock.instant());
              }
              return seen;
            });
      }
      List<Instant> all = new ArrayList<>();
      for (Future<List<Instant>> f : pool.invokeAll(readers)) {
        all.addAll(f.get());
      }

      assertThat(all).hasSize(8000).doesNotHaveDuplicates();
      assertThat(clock.peek()).isEqualTo(START.plusNanos(8000));
    } finally {
      pool.shutdownNow();
    }
  }
}
