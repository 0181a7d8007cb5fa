package dev.scopedtokens.secret;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Factory.Argon2Types;
import de.mkammerer.argon2.Argon2Version;
import de.mkammerer.argon2.HashResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default verifier: Argon2id (RFC 9106) through argon2-jvm and the native reference library.
 *
 * <p>Each hash is stored as a PHC string that carries its own parameters,
 *
 * <pre>{@code
 * $argon2id$v=19$m=19456,t=2,p=1$<16-byte salt, base64>$<32-byte hash, base64>
 * }</pre>
 *
 * so the parameters can be raised later: {@link #needsRehash} tells the caller to replace a hash
 * made with other parameters after its next successful verification, and older hashes keep
 * verifying with the parameters they were made with. The defaults, m = 19456 KiB (19 MiB), t = 2
 * and p = 1, are OWASP's first recommendation for Argon2id. A token from {@link TokenFormat} has
 * more than 160 random bits in its secret part alone, which no guesser could search even behind a
 * fast hash, so this cost is defence in depth (for secrets of a weaker format, say) and {@link
 * HmacSha256Hasher} is the fast alternative.
 *
 * <h2>Resources</h2>
 *
 * Every hash and every verification allocates m KiB off the Java heap (19 MiB at the defaults) for
 * the duration of the call, and runs p native threads. At most {@code maxConcurrentHashes} calls
 * (default: the number of processors) run at once; the rest wait in arrival order, so peak native
 * memory is about {@code maxConcurrentHashes} &times; m KiB however many requests arrive (verifying
 * a hash made with a larger m takes that hash's m). A thread interrupted while it waits gets an
 * {@link IllegalStateException} with its interrupt flag set again.
 *
 * <h2>Timing</h2>
 *
 * {@link #verifyDecoy} verifies against a decoy hash made at construction with this hasher's
 * parameters, through the same code as {@link #verify}, so an unknown token costs the same as a
 * wrong one. The computed and stored hashes are compared with {@link MessageDigest#isEqual}.
 *
 * <h2>Native code</h2>
 *
 * The hasher calls {@code Argon2Factory.createAdvanced(Argon2Types.ARGON2id)}: the factory's
 * default type is Argon2i. JNA loads the system's {@code libargon2} when there is one (Debian:
 * {@code libargon2-1}) and otherwise the copy bundled in the {@code de.mkammerer:argon2-jvm} jar.
 * When neither loads, construction fails with an {@link IllegalStateException} that names the cause
 * and the fixes. Salts come from the {@link SecureRandom} given to the builder.
 *
 * <pre>{@code
 * SecretHasher hasher = Argon2idHasher.defaults();
 * SecretHasher tuned = Argon2idHasher.builder()
 *     .memoryKiB(47_104).iterations(1)   // OWASP's alternative: 46 MiB, one pass
 *     .maxConcurrentHashes(4)
 *     .build();
 * }</pre>
 *
 * <p>Instances are thread-safe. The plaintext is copied into a byte array for each call and that
 * array is wiped afterwards with {@code Argon2.wipeArray}; the native copies JNA makes for the call
 * are outside this class's reach.
 */
public final class Argon2idHasher implements SecretHasher {
  /** Salt length in bytes, as RFC 9106 recommends. */
  static final int SALT_BYTES = 16;

  /** Hash (tag) length in bytes. */
  static final int HASH_BYTES = 32;

  static final int DEFAULT_MEMORY_KIB = 19_456;
  static final int DEFAULT_ITERATIONS = 2;
  static final int DEFAULT_PARALLELISM = 1;

  /** The largest memory accepted: 4 GiB per call, far beyond any sensible setting. */
  static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;

  static final int MAX_PARALLELISM = 255;

  /**
   * A PHC string as libargon2 writes it, with digits bounded so that parsing cannot overflow; the
   * values are range-checked after the match.
   */
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=([0-9]{1,10}),t=([0-9]{1,10}),p=([0-9]{1,3})"
              + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  private final Argon2Advanced argon2;
  private final int memoryKiB;
  private final int iterations;
  private final int parallelism;
  private final int maxConcurrentHashes;
  private final SecureRandom random;
  private final Semaphore slots;
  private final String decoyHash;

  private Argon2idHasher(Builder builder, SecureRandom random) {
    this.argon2 = bind(builder.argon2);
    this.memoryKiB = builder.memoryKiB;
    this.iterations = builder.iterations;
    this.parallelism = builder.parallelism;
    this.maxConcurrentHashes = builder.maxConcurrentHashes;
    this.random = random;
    this.slots = new Semaphore(maxConcurrentHashes, true);
    try {
      this.decoyHash = decoyHash();
    } catch (LinkageError e) {
      throw nativeLibraryMissing(e);
    }
    // verify() falls back to the decoy for unreadable hashes, so the decoy itself must be readable.
    if (Phc.parse(decoyHash) == null) {
      throw new IllegalStateException(
          "Argon2idHasher: the native library wrote a hash in an unexpected form; expected"
              + " $argon2id$v=19$m=...,t=...,p=...$salt$hash");
    }
  }

  /**
   * Returns a new hasher with the defaults: m = 19456 KiB, t = 2, p = 1, at most as many hashes at
   * once as there are processors, salts from a new {@link SecureRandom}. The concurrency bound is
   * per instance, so share one hasher across a process.
   *
   * @throws IllegalStateException when the native Argon2 library cannot be loaded
   */
  public static Argon2idHasher defaults() {
    return builder().build();
  }

  /** Returns a builder that starts from the {@linkplain #defaults() defaults}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Hashes {@code secret} with a fresh salt and this hasher's parameters, waiting for a free
   * hashing slot first.
   *
   * @throws IllegalStateException when interrupted while waiting (the interrupt flag is set again)
   *     or when the native library fails, e.g. cannot allocate the memory
   */
  @Override
  public String hash(TokenSecret secret) {
    Objects.requireNonNull(secret, "secret");
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] password = secret.reveal().getBytes(StandardCharsets.UTF_8);
    try {
      HashResult result =
          inSlot(
              () ->
                  argon2.hashAdvanced(
                      iterations,
                      memoryKiB,
                      parallelism,
                      password,
                      salt,
                      HASH_BYTES,
                      Argon2Version.V13));
      argon2.wipeArray(result.getRaw());
      return result.getEncoded();
    } finally {
      argon2.wipeArray(password);
    }
  }

  /**
   * Returns whether {@code presented} is the secret behind {@code encodedHash}, using the
   * parameters recorded in the hash. A hash that is not an Argon2id v19 PHC string with parameters
   * in this class's accepted ranges yields {@code false} after the same work as {@link
   * #verifyDecoy}, never an exception.
   *
   * @throws IllegalStateException when interrupted while waiting for a hashing slot (the interrupt
   *     flag is set again) or when the native library fails, e.g. cannot allocate the memory
   */
  @Override
  public boolean verify(String encodedHash, TokenSecret presented) {
    Objects.requireNonNull(encodedHash, "encodedHash");
    Objects.requireNonNull(presented, "presented");
    Phc stored = Phc.parse(encodedHash);
    if (stored == null) {
      verifyDecoy(presented);
      return false;
    }
    byte[] password = presented.reveal().getBytes(StandardCharsets.UTF_8);
    byte[] computed = null;
    try {
      computed =
          inSlot(
              () ->
                  argon2.rawHashAdvanced(
                      stored.iterations(),
                      stored.memoryKiB(),
                      stored.parallelism(),
                      password,
                      stored.salt(),
                      null,
                      null,
                      stored.hash().length,
                      Argon2Version.V13));
      return MessageDigest.isEqual(stored.hash(), computed);
    } finally {
      argon2.wipeArray(password);
      if (computed != null) {
        argon2.wipeArray(computed);
      }
    }
  }

  /**
   * Verifies {@code presented} against a decoy hash with this hasher's parameters, made once at
   * construction, and discards the outcome.
   *
   * @throws IllegalStateException as {@link #verify} does
   */
  @Override
  public void verifyDecoy(TokenSecret presented) {
    Objects.requireNonNull(presented, "presented");
    verify(decoyHash, presented);
  }

  /**
   * Returns {@code true} unless {@code encodedHash} is an Argon2id v19 PHC string with exactly this
   * hasher's m, t and p, a 16-byte salt and a 32-byte hash; an unreadable hash also needs
   * replacing.
   */
  @Override
  public boolean needsRehash(String encodedHash) {
    Objects.requireNonNull(encodedHash, "encodedHash");
    Phc stored = Phc.parse(encodedHash);
    return stored == null
        || stored.memoryKiB() != memoryKiB
        || stored.iterations() != iterations
        || stored.parallelism() != parallelism
        || stored.salt().length != SALT_BYTES
        || stored.hash().length != HASH_BYTES;
  }

  /** Returns the memory cost in KiB. */
  public int memoryKiB() {
    return memoryKiB;
  }

  /** Returns the number of passes over memory. */
  public int iterations() {
    return iterations;
  }

  /** Returns the number of lanes (and native threads per call). */
  public int parallelism() {
    return parallelism;
  }

  /** Returns how many hashes or verifications may run at once. */
  public int maxConcurrentHashes() {
    return maxConcurrentHashes;
  }

  /** Returns the parameters, e.g. {@code Argon2idHasher[m=19456 KiB, t=2, p=1, ...]}. */
  @Override
  public String toString() {
    return "Argon2idHasher[m="
        + memoryKiB
        + " KiB, t="
        + iterations
        + ", p="
        + parallelism
        + ", maxConcurrentHashes="
        + maxConcurrentHashes
        + "]";
  }

  /**
   * Hashes a random secret. It is the first call into libargon2, so a library that cannot be loaded
   * fails the construction rather than the first request.
   */
  private String decoyHash() {
    byte[] decoySecret = new byte[SALT_BYTES];
    random.nextBytes(decoySecret);
    String base64 = Base64.getEncoder().withoutPadding().encodeToString(decoySecret);
    Arrays.fill(decoySecret, (byte) 0);
    return hash(TokenSecret.of(base64));
  }

  /**
   * Returns argon2-jvm's binding for Argon2id. The type is explicit: the factory's default is
   * Argon2i.
   */
  static Argon2Advanced nativeArgon2id() {
    return Argon2Factory.createAdvanced(Argon2Types.ARGON2id, SALT_BYTES, HASH_BYTES);
  }

  /** Returns how many callers wait for a hashing slot now (an estimate, for tests). */
  int callersWaiting() {
    return slots.getQueueLength();
  }

  /** Creates the binding; argon2-jvm's types already load JNA's native code. */
  private static Argon2Advanced bind(Supplier<Argon2Advanced> binding) {
    try {
      return binding.get();
    } catch (LinkageError e) {
      throw nativeLibraryMissing(e);
    }
  }

  private static IllegalStateException nativeLibraryMissing(LinkageError cause) {
    return new IllegalStateException(
        "Argon2idHasher: the native Argon2 library could not be loaded through JNA ("
            + cause
            + "). Fix it one of three ways: install the system library (Debian and Ubuntu:"
            + " apt-get install libargon2-1; Alpine: apk add argon2-libs; macOS: brew install"
            + " argon2); or depend on de.mkammerer:argon2-jvm, which bundles it, rather than"
            + " argon2-jvm-nolibs; or use HmacSha256Hasher, which needs no native code.",
        cause);
  }

  /** Runs {@code call} holding one of the hashing slots, waiting in arrival order for it. */
  private <T> T inSlot(Supplier<T> call) {
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Argon2idHasher: interrupted while waiting for one of "
              + maxConcurrentHashes
              + " hashing slots; the thread's interrupt flag is set again",
          e);
    }
    try {
      return call.get();
    } finally {
      slots.release();
    }
  }

  /** The parts of a PHC string this hasher can verify against. */
  private record Phc(int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) {
    /** The salt and hash are secret material: never shown. */
    @Override
    public String toString() {
      return "Phc[redacted]";
    }

    /** Returns the parts, or {@code null} when the string is not one this hasher accepts. */
    static Phc parse(String encoded) {
      Matcher matcher = PHC.matcher(encoded);
      if (!matcher.matches()) {
        return null;
      }
      long memory = Long.parseLong(matcher.group(1));
      long iterations = Long.parseLong(matcher.group(2));
      long parallelism = Long.parseLong(matcher.group(3));
      // The stored parameters decide how much native memory the call takes: keep them in range.
      if (parallelism < 1
          || parallelism > MAX_PARALLELISM
          || memory < 8 * parallelism
          || memory > MAX_MEMORY_KIB
          || iterations < 1
          || iterations > Integer.MAX_VALUE) {
        return null;
      }
      byte[] salt;
      byte[] hash;
      try {
        salt = Base64.getDecoder().decode(matcher.group(4));
        hash = Base64.getDecoder().decode(matcher.group(5));
      } catch (IllegalArgumentException notBase64) {
        return null;
      }
      // libargon2's minimums: an 8-byte salt and a 4-byte tag.
      if (salt.length < 8 || hash.length < 4) {
        return null;
      }
      return new Phc((int) memory, (int) iterations, (int) parallelism, salt, hash);
    }
  }

  /**
   * Configures an {@link Argon2idHasher}. Each setter checks its own range at the call; {@link
   * #build()} checks that memory is at least 8 KiB per lane.
   */
  public static final class Builder {
    private int memoryKiB = DEFAULT_MEMORY_KIB;
    private int iterations = DEFAULT_ITERATIONS;
    private int parallelism = DEFAULT_PARALLELISM;
    private int maxConcurrentHashes = Runtime.getRuntime().availableProcessors();
    private SecureRandom random;
    private Supplier<Argon2Advanced> argon2 = Argon2idHasher::nativeArgon2id;

    private Builder() {}

    /**
     * Sets the memory cost m in KiB (default 19456, i.e. 19 MiB).
     *
     * @throws IllegalArgumentException unless 8 &le; {@code memoryKiB} &le; 4194304 (4 GiB)
     */
    public Builder memoryKiB(int memoryKiB) {
      if (memoryKiB < 8 || memoryKiB > MAX_MEMORY_KIB) {
        throw new IllegalArgumentException(
            "memoryKiB: "
                + memoryKiB
                + " KiB; must be 8 to "
                + MAX_MEMORY_KIB
                + " KiB (4 GiB), and at least 8 KiB per lane of parallelism");
      }
      this.memoryKiB = memoryKiB;
      return this;
    }

    /**
     * Sets the time cost t, the number of passes over memory (default 2).
     *
     * @throws IllegalArgumentException when {@code iterations} is less than 1
     */
    public Builder iterations(int iterations) {
      if (iterations < 1) {
        throw new IllegalArgumentException("iterations: " + iterations + "; must be at least 1");
      }
      this.iterations = iterations;
      return this;
    }

    /**
     * Sets the parallelism p, the number of lanes and of native threads per call (default 1).
     *
     * @throws IllegalArgumentException unless 1 &le; {@code parallelism} &le; 255
     */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
        throw new IllegalArgumentException(
            "parallelism: " + parallelism + "; must be 1 to " + MAX_PARALLELISM);
      }
      this.parallelism = parallelism;
      return this;
    }

    /**
     * Sets how many hashes or verifications may run at once; more callers wait in arrival order
     * (default: {@link Runtime#availableProcessors()}).
     *
     * @throws IllegalArgumentException when {@code maxConcurrentHashes} is less than 1
     */
    public Builder maxConcurrentHashes(int maxConcurrentHashes) {
      if (maxConcurrentHashes < 1) {
        throw new IllegalArgumentException(
            "maxConcurrentHashes: " + maxConcurrentHashes + "; must be at least 1");
      }
      this.maxConcurrentHashes = maxConcurrentHashes;
      return this;
    }

    /** Sets the source of salts (default: a new {@link SecureRandom}). */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Replaces the native binding, so tests can observe calls into it. */
    Builder argon2(Supplier<Argon2Advanced> argon2) {
      this.argon2 = Objects.requireNonNull(argon2, "argon2");
      return this;
    }

    /**
     * Builds the hasher, loading the native library and making the decoy hash (one hash's work).
     *
     * @throws IllegalArgumentException when {@code memoryKiB} is less than 8 &times; {@code
     *     parallelism}
     * @throws IllegalStateException when the native Argon2 library cannot be loaded; the message
     *     names the cause and the fixes
     */
    public Argon2idHasher build() {
      if (memoryKiB < 8L * parallelism) {
        throw new IllegalArgumentException(
            "memoryKiB: "
                + memoryKiB
                + " KiB is less than 8 KiB per lane at parallelism "
                + parallelism
                + "; raise memoryKiB to at least "
                + 8 * parallelism
                + " or lower parallelism");
      }
      return new Argon2idHasher(this, random != null ? random : new SecureRandom());
    }
  }
}
