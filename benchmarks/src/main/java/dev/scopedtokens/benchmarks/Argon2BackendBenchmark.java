package dev.scopedtokens.benchmarks;

import com.sun.jna.NativeLibrary;
import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One raw Argon2id hash at the SDK's default parameters (m=19456 KiB, t=2, p=1), in each backend a
 * user could run.
 *
 * <ul>
 *   <li>{@code nativeSystem}: argon2-jvm through JNA, which prefers the system's {@code
 *       libargon2.so.1} (Debian's {@code libargon2-1}) when it is installed;
 *   <li>{@code nativeBundled}: the same call in a fork whose JNA platform search path is empty
 *       ({@code -Djna.platform.library.path=/nonexistent}), so that JNA falls through to the copy
 *       inside the argon2-jvm jar. ({@code -Djna.nosys=true} does not do this: it only concerns
 *       JNA's own dispatch library, and the fork would still load the system's {@code
 *       libargon2.so.1}.)
 *   <li>{@code bouncyCastle}: Bouncy Castle's pure-Java {@code Argon2BytesGenerator}.
 * </ul>
 *
 * <p>Each fork prints the file JNA loaded, and the bundled fork refuses to run on a system library,
 * so the labels cannot silently lie. Every fork also checks that Bouncy Castle and libargon2
 * compute the same bytes, so either could verify the other's hashes.
 *
 * <p>Run: {@code mvn -q -B -ntp -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar Argon2BackendBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Argon2BackendBenchmark {
  private static final int MEMORY_KIB = 19_456;
  private static final int ITERATIONS = 2;
  private static final int PARALLELISM = 1;
  private static final int HASH_LENGTH = 32;
  private static final String NO_SYSTEM_SEARCH = "-Djna.platform.library.path=";

  /** The memory cost in KiB; the SDK's default, or another with {@code -p memoryKiB=...}. */
  @Param({"19456"})
  public int memoryKiB = MEMORY_KIB;

  private final byte[] secret =
      "stk_0123456789abcdefghijABCDEFGHIJ0123456789".getBytes(StandardCharsets.US_ASCII);
  private final byte[] salt = new byte[16];
  private Argon2Advanced argon2;

  /** Binds argon2-jvm, reports which library JNA loaded, and checks the backends agree. */
  @Setup
  public void setUp(BenchmarkParams params) {
    argon2 = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);
    // argon2-jvm loads "argon2" through JNA by this name; asking again resolves the same file.
    File loaded = NativeLibrary.getInstance("argon2").getFile();
    System.out.println("argon2 backend for " + params.getBenchmark() + ": " + loaded);
    boolean extracted = loaded != null && !loaded.getPath().startsWith("/usr/");
    if (params.getBenchmark().endsWith(".nativeBundled") && !extracted) {
      throw new IllegalStateException(
          "nativeBundled: JNA loaded " + loaded + " instead of the copy in the argon2-jvm jar");
    }
    // The backends are interchangeable only if they compute the same function.
    if (!Arrays.equals(nativeSystem(), bouncyCastle())) {
      throw new IllegalStateException("Bouncy Castle and libargon2 disagree on the same input");
    }
  }

  /** argon2-jvm as it loads by default: the system's libargon2 when there is one. */
  @Benchmark
  public byte[] nativeSystem() {
    return argon2.rawHash(ITERATIONS, memoryKiB, PARALLELISM, secret, salt);
  }

  /** argon2-jvm with the library bundled in its jar. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = NO_SYSTEM_SEARCH + "/nonexistent")
  public byte[] nativeBundled() {
    return argon2.rawHash(ITERATIONS, memoryKiB, PARALLELISM, secret, salt);
  }

  /** Bouncy Castle's pure-Java Argon2id. */
  @Benchmark
  public byte[] bouncyCastle() {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withIterations(ITERATIONS)
            .withMemoryAsKB(memoryKiB)
            .withParallelism(PARALLELISM)
            .withSalt(salt)
            .build());
    byte[] out = new byte[HASH_LENGTH];
    generator.generateBytes(secret, out);
    return out;
  }
}
