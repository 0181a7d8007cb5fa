package dev.scopedtokens.benchmarks;

import static dev.scopedtokens.scope.Scope.REPO_READ;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.VerificationResult;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole uncached {@link TokenService#verify(TokenSecret)} of a valid token with the default
 * verifier ({@link Argon2idHasher#defaults()}: m=19456 KiB, t=2, p=1) against a bare argon2-jvm
 * {@code verify} of the same stored PHC string with the same secret, in the same process and so the
 * same native library. Target: {@code serviceVerify} at most 1.10 times {@code bareArgon2Verify}.
 *
 * <p>Run: {@code mvn -q -B -ntp -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar Argon2VerifyBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Argon2VerifyBenchmark {
  private TokenService service;
  private TokenSecret secret;
  private String storedHash;
  private byte[] secretBytes;
  private Argon2Advanced argon2;

  /** Issues one token and reads its stored hash back from the store. */
  @Setup
  public void setUp() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    service =
        TokenService.builder()
            .store(store)
            .hasher(Argon2idHasher.defaults())
            .disableCache()
            .build();
    secret = service.create("alice", TokenRequest.of("bench", REPO_READ)).secret();
    storedHash =
        store.findByLookupKey(TokenFormat.defaults().lookupKey(secret)).orElseThrow().encodedHash();
    secretBytes = secret.reveal().getBytes(StandardCharsets.UTF_8);
    argon2 = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);
    if (!service.verify(secret).isVerified() || !argon2.verify(storedHash, secretBytes)) {
      throw new IllegalStateException("the token must verify both ways");
    }
  }

  /** The SDK: format check, lookup, Argon2id, status, last use. */
  @Benchmark
  public VerificationResult serviceVerify() {
    return service.verify(secret);
  }

  /** The building block alone: libargon2's verify of the stored PHC string. */
  @Benchmark
  public boolean bareArgon2Verify() {
    return argon2.verify(storedHash, secretBytes);
  }
}
