package dev.scopedtokens.benchmarks;

import static dev.scopedtokens.scope.Scope.REPO_READ;

import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.VerificationResult;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An unknown token (the decoy path) against a known token with a wrong secret, for each verifier at
 * its defaults, cache off. Target: the ratio of the two within 1.00 &plusmn; 0.05 for each
 * verifier. {@link TimingLeakCheck} is the statistical test of the same question; this gives the
 * size of any difference.
 *
 * <p>Each call takes the next of 1,024 prepared inputs, so neither side benefits from repeating one
 * string.
 *
 * <p>Run: {@code mvn -q -B -ntp -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar UnknownVsWrongSecretBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnknownVsWrongSecretBenchmark {
  private static final int INPUTS = 1_024;
  private static final int STORED = 32;

  /** The verifier: {@code argon2id} or {@code hmac}, each at the SDK's defaults. */
  @Param({Fixtures.ARGON2ID, Fixtures.HMAC})
  public String hasher;

  private TokenService service;
  private final TokenSecret[] unknown = new TokenSecret[INPUTS];
  private final TokenSecret[] wrongSecret = new TokenSecret[INPUTS];
  private int next;

  /** Issues {@value #STORED} tokens and prepares both kinds of input. */
  @Setup
  public void setUp() {
    service = TokenService.builder().hasher(Fixtures.hasher(hasher)).disableCache().build();
    String[] stored = new String[STORED];
    for (int i = 0; i < STORED; i++) {
      stored[i] =
          service
              .create("account-" + (i % 4), TokenRequest.of("bench " + i, REPO_READ))
              .secret()
              .reveal();
    }
    SplittableRandom random = new SplittableRandom(42);
    TokenStrings strings = new TokenStrings(TokenFormat.defaults(), random);
    for (int i = 0; i < INPUTS; i++) {
      unknown[i] = TokenSecret.of(strings.unknown());
      wrongSecret[i] = TokenSecret.of(strings.wrongSecret(stored[random.nextInt(STORED)]));
    }
  }

  /** A well-formed token that no store holds: lookup miss, then the decoy. */
  @Benchmark
  public VerificationResult unknownToken() {
    return service.verify(unknown[next++ & (INPUTS - 1)]);
  }

  /** A stored token's lookup part with a wrong secret part: lookup hit, then the verifier. */
  @Benchmark
  public VerificationResult wrongSecret() {
    return service.verify(wrongSecret[next++ & (INPUTS - 1)]);
  }
}
