package dev.scopedtokens.benchmarks;

import static dev.scopedtokens.scope.Scope.REPO_READ;

import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
 * The fast paths of {@link TokenService#verify(TokenSecret)} against the primitive each is built
 * on, for a valid token:
 *
 * <ul>
 *   <li>{@code cachedVerify} (a cache hit) against {@code bareSha256} of the token string. Target:
 *       median at most 1 µs and at most 3 times the bare SHA-256.
 *   <li>{@code hmacVerify} (HMAC-SHA-256 verifier, cache off, {@link InMemoryTokenStore}) against
 *       {@code bareHmacSha256} of the token string. Target: at most 5 times.
 * </ul>
 *
 * The bare primitives reuse one initialised {@link MessageDigest} or {@link Mac} and include
 * encoding the string to bytes: the least a hand-written check could do. {@code formatCheck} and
 * {@code lookupKey} measure two steps every verify takes, to show where the time of a cache hit
 * goes.
 *
 * <p>Run: {@code mvn -q -B -ntp -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar FastVerifyBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FastVerifyBenchmark {
  private TokenService cached;
  private TokenService uncached;
  private TokenSecret secret;
  private String token;
  private final TokenFormat format = TokenFormat.defaults();
  private MessageDigest sha256;
  private Mac hmac;

  /** Issues one token in each service and warms the cache with it. */
  @Setup
  public void setUp() throws GeneralSecurityException {
    SecretKeySpec pepper = Fixtures.pepper();
    InMemoryTokenStore store = new InMemoryTokenStore();
    uncached =
        TokenService.builder()
            .store(store)
            .hasher(HmacSha256Hasher.withPepper(pepper))
            .disableCache()
            .build();
    cached =
        TokenService.builder()
            .store(store)
            .hasher(HmacSha256Hasher.withPepper(pepper))
            .cache(Duration.ofHours(1), 10_000)
            .build();
    secret = uncached.create("alice", TokenRequest.of("bench", REPO_READ)).secret();
    token = secret.reveal();
    if (!cached.verify(secret).isVerified() || !uncached.verify(secret).isVerified()) {
      throw new IllegalStateException("the token must verify in both services");
    }
    sha256 = MessageDigest.getInstance("SHA-256");
    hmac = Mac.getInstance("HmacSHA256");
    hmac.init(pepper);
  }

  /** A cache hit: format check, digest of the token, cache lookup, status, last use. */
  @Benchmark
  public VerificationResult cachedVerify() {
    return cached.verify(secret);
  }

  /** The cache key's primitive: SHA-256 of the token string. */
  @Benchmark
  public byte[] bareSha256() {
    return sha256.digest(token.getBytes(StandardCharsets.UTF_8));
  }

  /** A step of every verify: prefix, length, alphabet and CRC32 checksum. */
  @Benchmark
  public boolean formatCheck() {
    return format.isWellFormed(token);
  }

  /** A step of every verify: the domain-separated SHA-256 of the lookup part. */
  @Benchmark
  public LookupKey lookupKey() {
    return format.lookupKey(secret);
  }

  /** HMAC verifier, cache off: format check, lookup, HMAC, constant-time compare, status. */
  @Benchmark
  public VerificationResult hmacVerify() {
    return uncached.verify(secret);
  }

  /** The verifier's primitive: HMAC-SHA-256 of the token string. */
  @Benchmark
  public byte[] bareHmacSha256() {
    return hmac.doFinal(token.getBytes(StandardCharsets.UTF_8));
  }
}
