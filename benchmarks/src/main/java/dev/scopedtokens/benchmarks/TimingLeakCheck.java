package dev.scopedtokens.benchmarks;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.SecretHasher;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.token.RejectionReason;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.VerificationResult;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that {@link TokenService#verify(TokenSecret)} does not leak, through how long it takes,
 * whether a token exists or where a wrong secret differs: the dudect method (Welch's t-test over
 * many randomly interleaved measurements of the whole call) with {@link WelchTTest}.
 *
 * <p>Every sample picks one input class at random, takes a fresh input of that class, and times one
 * uncached verify with {@link System#nanoTime()}. Inputs are prepared in batches before they are
 * timed, and every result is checked to be the rejection its class claims, so a class cannot
 * silently measure something else. The classes:
 *
 * <ul>
 *   <li>{@code UNKNOWN}: a well-formed token whose lookup part matches no token (the decoy path);
 *   <li>{@code WRONG_A}, {@code WRONG_B}: a stored token's lookup part with a random secret part
 *       and a valid checksum; the same distribution under two labels;
 *   <li>{@code WRONG_FIRST}, {@code WRONG_LAST}: a stored token with only the first, or only the
 *       last, character of its secret part changed (checksum recomputed);
 *   <li>{@code BAD_CHECKSUM}: a stored token with a checksum character changed.
 * </ul>
 *
 * <p>The comparisons, each reported with its t value for every repeat:
 *
 * <ul>
 *   <li>unknown token vs wrong secret ({@code UNKNOWN} vs {@code WRONG_A} and {@code WRONG_B}):
 *       must pass;
 *   <li>first vs last character of the secret part: must pass;
 *   <li>A/A control ({@code WRONG_A} vs {@code WRONG_B}): must pass; it shows the noise floor;
 *   <li>checksum failure vs lookup failure ({@code BAD_CHECKSUM} vs {@code UNKNOWN}): allowed to
 *       differ, because the checksum is public and skipping the hash for it reveals nothing. It is
 *       the positive control: a repeat in which the test cannot see this difference, which is
 *       several times the cost of a lookup, proves nothing and is reported as inconclusive.
 * </ul>
 *
 * <p>Pass: |t| &lt; 4.5 in every repeat for every comparison that must pass, and the positive
 * control seen in every repeat. No sample is cropped (see {@link WelchTTest}): on a busy machine
 * the outliers only cost the test power, which the control makes visible. The cache is off; it
 * would not matter, since only successes are cached.
 *
 * <p>Run (exit status 0 for PASS, 1 for FAIL, 3 for INCONCLUSIVE):
 *
 * <pre>{@code
 * mvn -q -B -ntp -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.scopedtokens.benchmarks.TimingLeakCheck hmac
 * java -cp benchmarks/target/benchmarks.jar dev.scopedtokens.benchmarks.TimingLeakCheck argon2id
 * }</pre>
 *
 * Options after the verifier: {@code --samples N} per class and repeat (defaults: 100,000 for
 * {@code hmac}, 20,000 for {@code argon2id}, which runs at m=4096 KiB, t=1, p=1 so that the run
 * stays within minutes), {@code --warmup N} per class, run once before the repeats with the same
 * interleaving and discarded (defaults: 20,000 and 1,000), and {@code --repeats N} (default 3).
 */
public final class TimingLeakCheck {
  /** dudect's threshold: under the null hypothesis |t| exceeds it about once in 150,000 tests. */
  static final double THRESHOLD = 4.5;

  private static final int STORED_TOKENS = 64;
  private static final int BATCH = 10_000;

  /** The input classes, each with the rejection its inputs must get. */
  enum InputClass {
    UNKNOWN(RejectionReason.UNKNOWN),
    WRONG_A(RejectionReason.WRONG_SECRET),
    WRONG_B(RejectionReason.WRONG_SECRET),
    WRONG_FIRST(RejectionReason.WRONG_SECRET),
    WRONG_LAST(RejectionReason.WRONG_SECRET),
    BAD_CHECKSUM(RejectionReason.MALFORMED);

    final RejectionReason expected;

    InputClass(RejectionReason expected) {
      this.expected = expected;
    }
  }

  /**
   * One comparison of two groups of classes. {@code mustPass} is false for the positive control,
   * where a difference is expected and must be seen for the repeat to count.
   */
  record Comparison(
      String name, List<InputClass> first, List<InputClass> second, boolean mustPass) {}

  /** The outcome of one repeat. */
  enum Verdict {
    PASS,
    FAIL,
    /** The positive control showed no difference: the machine was too noisy to judge. */
    INCONCLUSIVE
  }

  static final List<Comparison> COMPARISONS =
      List.of(
          new Comparison(
              "unknown token vs wrong secret",
              List.of(InputClass.UNKNOWN),
              List.of(InputClass.WRONG_A, InputClass.WRONG_B),
              true),
          new Comparison(
              "secret differs in first vs last character",
              List.of(InputClass.WRONG_FIRST),
              List.of(InputClass.WRONG_LAST),
              true),
          new Comparison(
              "A/A control (wrong secret, two labels)",
              List.of(InputClass.WRONG_A),
              List.of(InputClass.WRONG_B),
              true),
          new Comparison(
              "checksum failure vs lookup failure (may differ)",
              List.of(InputClass.BAD_CHECKSUM),
              List.of(InputClass.UNKNOWN),
              false));

  private final TokenService service;
  private final TokenStrings strings;
  private final List<String> stored;
  private final SplittableRandom random;
  private final PrintStream out;

  TimingLeakCheck(
      TokenService service, TokenFormat format, List<String> stored, long seed, PrintStream out) {
    this.service = service;
    this.random = new SplittableRandom(seed);
    this.strings = new TokenStrings(format, new SplittableRandom(seed ^ 0x9e3779b97f4a7c15L));
    this.stored = stored;
    this.out = out;
  }

  /**
   * Runs the check.
   *
   * @param args {@code hmac} or {@code argon2id}, then optionally {@code --samples N} and {@code
   *     --repeats N}
   */
  public static void main(String[] args) {
    if (args.length == 0 || !(args[0].equals("hmac") || args[0].equals("argon2id"))) {
      System.err.println(
          "usage: TimingLeakCheck hmac|argon2id [--samples N] [--warmup N] [--repeats N]"
              + " (N per class)");
      System.exit(2);
    }
    boolean hmac = args[0].equals("hmac");
    int samples = hmac ? 100_000 : 20_000;
    int warmup = hmac ? 20_000 : 1_000;
    int repeats = 3;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--samples" -> samples = Integer.parseInt(args[i + 1]);
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    SecureRandom secureRandom = new SecureRandom();
    SecretHasher hasher;
    String hasherName;
    if (hmac) {
      byte[] pepper = new byte[32];
      secureRandom.nextBytes(pepper);
      hasher = HmacSha256Hasher.withPepper(new SecretKeySpec(pepper, "HmacSHA256"));
      hasherName = "HMAC-SHA-256";
    } else {
      hasher = Argon2idHasher.builder().memoryKiB(4096).iterations(1).parallelism(1).build();
      hasherName = "Argon2id m=4096 KiB, t=1, p=1";
    }
    TokenFormat format = TokenFormat.defaults();
    TokenService service =
        TokenService.builder()
            .hasher(hasher)
            .format(format)
            .random(secureRandom)
            .disableCache()
            .build();
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < STORED_TOKENS; i++) {
      stored.add(
          service
              .create("account-" + (i % 8), TokenRequest.of("timing " + i, Scope.REPO_READ))
              .secret()
              .reveal());
    }
    PrintStream out = System.out;
    out.printf(
        Locale.ROOT,
        "TimingLeakCheck: %s, %,d samples per class, %,d warm-up samples per class, %d repeats,"
            + " Java %s, %d processors%n",
        hasherName,
        samples,
        warmup,
        repeats,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    TimingLeakCheck check =
        new TimingLeakCheck(service, format, stored, secureRandom.nextLong(), out);
    check.measure(InputClass.values(), warmup, null);
    Verdict overall = Verdict.PASS;
    for (int repeat = 1; repeat <= repeats; repeat++) {
      Verdict verdict = check.runOnce(repeat, samples);
      if (verdict == Verdict.FAIL || overall == Verdict.PASS) {
        overall = verdict == Verdict.PASS ? overall : verdict;
      }
    }
    out.println(overall);
    System.exit(overall == Verdict.PASS ? 0 : overall == Verdict.FAIL ? 1 : 3);
  }

  /**
   * Measures {@code samplesPerClass} for every class, prints every comparison, and judges the
   * repeat: FAIL when a required comparison reaches the threshold, else INCONCLUSIVE when the
   * positive control does not (noise hid even a difference that exists), else PASS.
   */
  Verdict runOnce(int repeat, int samplesPerClass) {
    InputClass[] classes = InputClass.values();
    Map<InputClass, long[]> durations = new EnumMap<>(InputClass.class);
    measure(classes, samplesPerClass, durations);
    boolean failed = false;
    boolean controlSeen = true;
    for (Comparison comparison : COMPARISONS) {
      WelchTTest test = new WelchTTest();
      long firstCount = 0;
      long secondCount = 0;
      for (InputClass c : comparison.first()) {
        for (long d : durations.get(c)) {
          test.addFirst(d);
        }
        firstCount += durations.get(c).length;
      }
      for (InputClass c : comparison.second()) {
        for (long d : durations.get(c)) {
          test.addSecond(d);
        }
        secondCount += durations.get(c).length;
      }
      double t = test.t();
      boolean below = Math.abs(t) < THRESHOLD;
      String verdict =
          comparison.mustPass()
              ? (below ? "pass" : "FAIL")
              : (below ? "NOT SEEN: too noisy to judge" : "differs, as it may");
      failed |= comparison.mustPass() && !below;
      controlSeen &= comparison.mustPass() || !below;
      out.printf(
          Locale.ROOT,
          "repeat %d  %-48s n=%,d/%,d  mean %,.0f/%,.0f ns  sd %,.0f/%,.0f ns  t=%+.2f  %s%n",
          repeat,
          comparison.name(),
          firstCount,
          secondCount,
          test.firstMean(),
          test.secondMean(),
          Math.sqrt(test.firstVariance()),
          Math.sqrt(test.secondVariance()),
          t,
          verdict);
    }
    return failed ? Verdict.FAIL : controlSeen ? Verdict.PASS : Verdict.INCONCLUSIVE;
  }

  /**
   * Takes {@code perClass} samples of every class in random order. Each class gets exactly {@code
   * perClass}: the order is a shuffle of the multiset, so the interleaving is random but the counts
   * are fixed. With {@code durations} null, the samples only warm up.
   */
  void measure(InputClass[] classes, int perClass, Map<InputClass, long[]> durations) {
    int total = perClass * classes.length;
    InputClass[] order = new InputClass[total];
    for (int i = 0; i < total; i++) {
      order[i] = classes[i % classes.length];
    }
    for (int i = total - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      InputClass swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    Map<InputClass, int[]> filled = new EnumMap<>(InputClass.class);
    if (durations != null) {
      for (InputClass c : classes) {
        durations.put(c, new long[perClass]);
        filled.put(c, new int[1]);
      }
    }
    TokenSecret[] inputs = new TokenSecret[Math.min(BATCH, total)];
    for (int start = 0; start < total; start += BATCH) {
      int end = Math.min(total, start + BATCH);
      for (int i = start; i < end; i++) {
        inputs[i - start] = TokenSecret.of(input(order[i]));
      }
      for (int i = start; i < end; i++) {
        TokenSecret presented = inputs[i - start];
        long begin = System.nanoTime();
        VerificationResult result = service.verify(presented);
        long elapsed = System.nanoTime() - begin;
        check(order[i], result);
        if (durations != null) {
          int[] n = filled.get(order[i]);
          durations.get(order[i])[n[0]++] = elapsed;
        }
      }
    }
  }

  private void check(InputClass inputClass, VerificationResult result) {
    if (!(result instanceof VerificationResult.Rejected rejected)
        || rejected.reason() != inputClass.expected) {
      throw new IllegalStateException(
          inputClass + ": expected a rejection for " + inputClass.expected + ", got " + result);
    }
  }

  /** Returns a fresh token string of the class. */
  String input(InputClass inputClass) {
    String real = stored.get(random.nextInt(stored.size()));
    return switch (inputClass) {
      case UNKNOWN -> strings.unknown();
      case WRONG_A, WRONG_B -> strings.wrongSecret(real);
      case WRONG_FIRST -> strings.changedInSecretPart(real, 0);
      case WRONG_LAST -> strings.changedInSecretPart(real, TokenStrings.SECRET_PART - 1);
      case BAD_CHECKSUM -> strings.badChecksum(real);
    };
  }
}
