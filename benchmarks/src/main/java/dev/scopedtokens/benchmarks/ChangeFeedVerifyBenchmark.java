package dev.scopedtokens.benchmarks;

import static dev.scopedtokens.scope.Scope.REPO_READ;

import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.VerificationResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What following a store's change feed costs a cache hit: {@code cachedVerifyFeedOn} (a service
 * that follows {@link InMemoryTokenStore}'s feed, the default) against {@code cachedVerifyFeedOff}
 * (the same service built with {@code ignoreChangeFeed()}), in one run over one store. Target: on
 * at most 1.05 times off. A hit with the feed on reads one more volatile field (is the feed
 * healthy?) and compares one more instant; nothing else on the hit path changes.
 *
 * <p>Run: {@code mvn -q -B -ntp -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar ChangeFeedVerifyBenchmark}
 *
 * <p>On a machine shared with builds, two JMH benchmarks run one after the other compare two
 * different moments; {@link #main} measures the ratio as pairs instead: each pair times a batch of
 * 10,000 hits on each side, in random order, back to back, and the ratio is that of the medians.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.scopedtokens.benchmarks.ChangeFeedVerifyBenchmark [pairs]} (default 400).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChangeFeedVerifyBenchmark {
  private TokenService feedOn;
  private TokenService feedOff;
  private TokenSecret secret;

  /** Issues one token and caches it in both services. */
  @Setup
  public void setUp() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    HmacSha256Hasher hasher = HmacSha256Hasher.withPepper(Fixtures.pepper());
    feedOn =
        TokenService.builder()
            .store(store)
            .hasher(hasher)
            .cache(Duration.ofHours(1), 10_000)
            .build();
    feedOff =
        TokenService.builder()
            .store(store)
            .hasher(hasher)
            .cache(Duration.ofHours(1), 10_000)
            .ignoreChangeFeed()
            .build();
    secret = feedOn.create("alice", TokenRequest.of("bench", REPO_READ)).secret();
    if (!feedOn.verify(secret).isVerified() || !feedOff.verify(secret).isVerified()) {
      throw new IllegalStateException("the token must verify in both services");
    }
  }

  /** Ends the subscription. */
  @TearDown
  public void tearDown() {
    feedOn.close();
  }

  /** A cache hit in a service that follows the store's change feed. */
  @Benchmark
  public VerificationResult cachedVerifyFeedOn() {
    return feedOn.verify(secret);
  }

  /** A cache hit in a service that ignores it. */
  @Benchmark
  public VerificationResult cachedVerifyFeedOff() {
    return feedOff.verify(secret);
  }

  /**
   * The paired measurement; see the class documentation. Exit status 0 when on/off is at most 1.05.
   */
  public static void main(String[] args) {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int batch = 10_000;
    ChangeFeedVerifyBenchmark bench = new ChangeFeedVerifyBenchmark();
    bench.setUp();
    long[] on = new long[pairs];
    long[] off = new long[pairs];
    SplittableRandom random = new SplittableRandom(1);
    int sink = 0;
    for (int p = -pairs / 4; p < pairs; p++) { // the first quarter warms up
      boolean onFirst = random.nextBoolean();
      long a = 0;
      long b = 0;
      for (int side = 0; side < 2; side++) {
        TokenService service = (side == 0) == onFirst ? bench.feedOn : bench.feedOff;
        long start = System.nanoTime();
        for (int i = 0; i < batch; i++) {
          sink += service.verify(bench.secret).isVerified() ? 1 : 0;
        }
        long elapsed = System.nanoTime() - start;
        if (service == bench.feedOn) {
          a = elapsed;
        } else {
          b = elapsed;
        }
      }
      if (p >= 0) {
        on[p] = a;
        off[p] = b;
      }
    }
    bench.tearDown();
    Arrays.sort(on);
    Arrays.sort(off);
    double ratio = (double) on[pairs / 2] / off[pairs / 2];
    System.out.printf(
        "cached verify, %d pairs of %d: feed on %.0f ns, feed off %.0f ns (medians), on/off %.3f"
            + " (target at most 1.05)%s%n",
        pairs,
        batch,
        on[pairs / 2] / (double) batch,
        off[pairs / 2] / (double) batch,
        ratio,
        sink == 0 ? "" : "");
    System.exit(ratio <= 1.05 ? 0 : 1);
  }
}
