package dev.scopedtokens.benchmarks;

/**
 * Welch's t statistic between two classes of samples, accumulated online: the test at the heart of
 * the dudect method (Reparaz, Balasch and Verbauwhede, "Dude, is my code constant time?", 2017).
 *
 * <p>Each class keeps Welford's running mean and sum of squared deviations, so that any number of
 * samples fits in constant memory and the variance stays accurate when the samples are large
 * numbers (nanosecond timestamps) that differ little. The statistic is
 *
 * <pre>
 *   t = (mean<sub>a</sub> - mean<sub>b</sub>) / sqrt(s<sub>a</sub>&sup2; / n<sub>a</sub> + s<sub>b</sub>&sup2; / n<sub>b</sub>)
 * </pre>
 *
 * with the unbiased sample variances s&sup2;. Under the null hypothesis (both classes from one
 * distribution) and with many samples it is close to a standard normal variable, so dudect's
 * threshold of 4.5 gives a false alarm about once in 150,000 tests.
 *
 * <p>Samples are never cropped at a percentile. dudect offers that to suppress the heavy right tail
 * of timing measurements, but on a shared machine it moves the two classes' cut-offs apart by
 * chance and so produces false alarms of either sign; the t-test over all samples is the honest
 * one, and a large sample makes it robust enough.
 *
 * <p>Not thread-safe: feed it from the one thread that takes the measurements.
 */
public final class WelchTTest {
  private final Moments first = new Moments();
  private final Moments second = new Moments();

  /** Adds a sample of the first class. */
  public void addFirst(double sample) {
    first.add(sample);
  }

  /** Adds a sample of the second class. */
  public void addSecond(double sample) {
    second.add(sample);
  }

  /** Returns the number of samples of the first class. */
  public long firstCount() {
    return first.count;
  }

  /** Returns the number of samples of the second class. */
  public long secondCount() {
    return second.count;
  }

  /** Returns the mean of the first class's samples. */
  public double firstMean() {
    return first.mean();
  }

  /** Returns the mean of the second class's samples. */
  public double secondMean() {
    return second.mean();
  }

  /** Returns the unbiased sample variance of the first class. */
  public double firstVariance() {
    return first.variance();
  }

  /** Returns the unbiased sample variance of the second class. */
  public double secondVariance() {
    return second.variance();
  }

  /**
   * Returns Welch's t: positive when the first class's mean is the larger. When both classes have
   * zero variance it is 0 for equal means and an infinity of the difference's sign otherwise.
   *
   * @throws IllegalStateException when a class has fewer than two samples, so has no variance
   */
  public double t() {
    if (first.count < 2 || second.count < 2) {
      throw new IllegalStateException(
          "t: needs at least 2 samples in each class; has " + first.count + " and " + second.count);
    }
    double difference = first.mean - second.mean;
    double standardError =
        Math.sqrt(first.variance() / first.count + second.variance() / second.count);
    if (standardError == 0) {
      return difference == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, difference);
    }
    return difference / standardError;
  }

  /** Welford's online mean and sum of squared deviations from the mean. */
  private static final class Moments {
    private long count;
    private double mean;
    private double squaredDeviations;

    void add(double sample) {
      if (!Double.isFinite(sample)) {
        throw new IllegalArgumentException("sample: " + sample + " is not a finite number");
      }
      count++;
      double delta = sample - mean;
      mean += delta / count;
      squaredDeviations += delta * (sample - mean);
    }

    double mean() {
      if (count == 0) {
        throw new IllegalStateException("mean: no samples yet");
      }
      return mean;
    }

    double variance() {
      if (count < 2) {
        throw new IllegalStateException("variance: needs at least 2 samples; has " + count);
      }
      return squaredDeviations / (count - 1);
    }
  }
}
