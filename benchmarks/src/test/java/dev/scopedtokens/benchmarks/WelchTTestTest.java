package dev.scopedtokens.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WelchTTestTest {
  /** dudect's threshold; under the null hypothesis |t| exceeds it about once in 150,000 tests. */
  private static final double THRESHOLD = 4.5;

  /**
   * The properties draw their samples from seeded generators, and QuickTheories' own seed is fixed
   * too, so that a statistical test with a one-in-a-hundred-thousand false-alarm rate cannot turn
   * flaky: every run checks the same examples.
   */
  private static final long FIXED_SEED = 0x5eed_cafe_f00dL;

  /** Welch's t as {@code scipy.stats.ttest_ind(a, b, equal_var=False).statistic} gives it. */
  static Stream<Arguments> referenceValues() {
    return Stream.of(
        Arguments.of(
            new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 6, 8, 10}, -1.8973665961010275),
        Arguments.of(
            new double[] {19.1, 20.3, 18.7, 21.4, 20.0, 19.5},
            new double[] {22.0, 21.1, 23.4, 20.9},
            -2.9150280060854237),
        // Large values with small differences, as nanosecond timestamps are: Welford keeps them
        // exact.
        Arguments.of(
            new double[] {1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4},
            new double[] {1e9 + 2, 1e9 + 3, 1e9 + 4, 1e9 + 5, 1e9 + 6},
            -1.5666989036012806));
  }

  @ParameterizedTest
  @MethodSource("referenceValues")
  void t_matchesScipysWelchTest(double[] first, double[] second, double expected) {
    assertThat(tOf(first, second)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void meanAndVariance_areTheUnbiasedSampleEstimates() {
    WelchTTest test = new WelchTTest();
    for (double x : new double[] {2, 4, 4, 4, 5, 5, 7, 9}) {
      test.addFirst(x);
    }
    assertThat(test.firstMean()).isEqualTo(5.0);
    assertThat(test.firstVariance()).isCloseTo(32.0 / 7, within(1e-12));
    assertThat(test.firstCount()).isEqualTo(8);
  }

  @Test
  void identicalDistributions_stayBelowTheThreshold() {
    qt().withFixedSeed(FIXED_SEED)
        .withExamples(40)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              SplittableRandom random = new SplittableRandom(seed);
              WelchTTest test = new WelchTTest();
              for (int i = 0; i < 40_000; i++) {
                double sample = timingLike(random);
                if (random.nextBoolean()) {
                  test.addFirst(sample);
                } else {
                  test.addSecond(sample);
                }
              }
              assertThat(Math.abs(test.t())).isLessThan(THRESHOLD);
            });
  }

  @Test
  void shiftedDistribution_exceedsTheThresholdWithTheShiftsSign() {
    qt().withFixedSeed(FIXED_SEED)
        .withExamples(20)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              SplittableRandom random = new SplittableRandom(seed);
              WelchTTest test = new WelchTTest();
              // A shift of 50 ns on a ~1.2 µs operation whose standard deviation, outliers
              // included, is ~370 ns: with ~20,000 samples a class the expected t is about 13.
              for (int i = 0; i < 40_000; i++) {
                if (random.nextBoolean()) {
                  test.addFirst(timingLike(random) + 50);
                } else {
                  test.addSecond(timingLike(random));
                }
              }
              assertThat(test.t()).isGreaterThan(THRESHOLD);
            });
  }

  @Test
  void swappingTheClasses_negatesT() {
    qt().withFixedSeed(FIXED_SEED)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              double[][] samples = twoClasses(new SplittableRandom(seed), 500);
              assertThat(tOf(samples[1], samples[0])).isEqualTo(-tOf(samples[0], samples[1]));
            });
  }

  @Test
  void t_isInvariantUnderPositiveAffineMaps() {
    // Offsets up to a second in nanoseconds: Welford's update keeps the variance accurate
    // where the textbook sum-of-squares formula would cancel catastrophically.
    qt().withFixedSeed(FIXED_SEED)
        .forAll(longs().all(), doubles().between(1, 1e3), doubles().between(-1e9, 1e9))
        .checkAssert(
            (seed, scale, offset) -> {
              double[][] samples = twoClasses(new SplittableRandom(seed), 500);
              double[][] mapped = new double[2][];
              for (int c = 0; c < 2; c++) {
                mapped[c] = samples[c].clone();
                for (int i = 0; i < mapped[c].length; i++) {
                  mapped[c][i] = mapped[c][i] * scale + offset;
                }
              }
              double t = tOf(samples[0], samples[1]);
              assertThat(tOf(mapped[0], mapped[1]))
                  .isCloseTo(t, within(1e-6 * Math.max(1, Math.abs(t))));
            });
  }

  @Test
  void constantClasses_withEqualValues_giveZero() {
    assertThat(tOf(new double[] {3, 3, 3}, new double[] {3, 3})).isZero();
  }

  @Test
  void constantClasses_withDifferentValues_giveAnInfinityOfTheDifferencesSign() {
    assertThat(tOf(new double[] {3, 3, 3}, new double[] {4, 4}))
        .isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void t_withFewerThanTwoSamplesInAClass_isRefusedWithTheCounts() {
    WelchTTest test = new WelchTTest();
    test.addFirst(1);
    test.addFirst(2);
    test.addSecond(1);
    assertThatThrownBy(test::t)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least 2 samples in each class")
        .hasMessageContaining("has 2 and 1");
  }

  @Test
  void nonFiniteSample_isRefused() {
    WelchTTest test = new WelchTTest();
    assertThatThrownBy(() -> test.addSecond(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a finite number");
    assertThat(test.secondCount()).isZero();
  }

  private static double tOf(double[] first, double[] second) {
    WelchTTest test = new WelchTTest();
    for (double x : first) {
      test.addFirst(x);
    }
    for (double x : second) {
      test.addSecond(x);
    }
    return test.t();
  }

  private static double[][] twoClasses(SplittableRandom random, int size) {
    double[][] samples = new double[2][size];
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < size; i++) {
        samples[c][i] = timingLike(random) + c * random.nextInt(3);
      }
    }
    return samples;
  }

  /**
   * A sample shaped like a measured duration in nanoseconds: a floor, a log-normal body, and a rare
   * long outlier (an interrupt or a GC pause) of up to 20 times the typical value.
   */
  private static double timingLike(SplittableRandom random) {
    double body = 1_000 * Math.exp(0.05 * random.nextGaussian());
    if (random.nextInt(1_000) == 0) {
      body += random.nextDouble(20_000);
    }
    return 200 + body;
  }
}
