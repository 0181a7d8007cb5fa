package dev.scopedtokens.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import de.mkammerer.argon2.Argon2Version;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Argon2idHasher with small parameters (m=64 KiB, t=1) except where a test is about the defaults.
 */
class Argon2idHasherTest {
  private static final TokenFormat FORMAT = TokenFormat.defaults();
  private static final TokenSecret KNOWN_TOKEN =
      TokenSecret.of("stk_IJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz3r2WZF");

  /** Sixteen 0x02 bytes, base64. */
  private static final String SALT = "AgICAgICAgICAgICAgICAg";

  /** From libargon2's argon2id_hash_encoded(t=1, m=64, p=1, KNOWN_TOKEN, SALT), outside Java. */
  private static final String TAG = "Sg7uYrWmgvV7IxZ41aYarfyzwHZe3rEzj15goRH8i14";

  private static final String KNOWN_HASH = "$argon2id$v=19$m=64,t=1,p=1$" + SALT + "$" + TAG;

  private static Argon2idHasher.Builder small() {
    return Argon2idHasher.builder()
        .memoryKiB(64)
        .iterations(1)
        .parallelism(1)
        .maxConcurrentHashes(2)
        .random(SeededRandom.of(1));
  }

  private static TokenSecret token(long seed) {
    return FORMAT.generate(SeededRandom.of(seed));
  }

  private final Argon2idHasher hasher = small().build();

  @Nested
  class KnownAnswers {
    @Test
    void binding_computesTheRfc9106Argon2idTestVector() {
      // RFC 9106 section 5.3: Argon2id v1.3, m=32 KiB, t=3, p=4, with secret and associated data.
      // argon2-jvm's rawHashAdvanced passes both to libargon2, so the RFC's own vector applies.
      byte[] password = filled(32, 0x01);
      byte[] salt = filled(16, 0x02);
      byte[] secret = filled(8, 0x03);
      byte[] associatedData = filled(12, 0x04);

      byte[] tag =
          Argon2idHasher.nativeArgon2id()
              .rawHashAdvanced(
                  3, 32, 4, password, salt, secret, associatedData, 32, Argon2Version.V13);

      assertThat(HexFormat.of().formatHex(tag))
          .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void hash_matchesTheReferenceLibrarysEncoding() {
      Argon2idHasher fixedSalt = small().random(new ConstantRandom((byte) 0x02)).build();

      assertThat(fixedSalt.hash(KNOWN_TOKEN)).isEqualTo(KNOWN_HASH);
    }

    @Test
    void hashFromTheReferenceLibrary_verifies() {
      assertThat(hasher.verify(KNOWN_HASH, KNOWN_TOKEN)).isTrue();
    }

    @Test
    void defaultHasher_storesOwaspParametersInThePhcString() {
      Argon2idHasher defaults = Argon2idHasher.defaults();

      assertThat(defaults.hash(KNOWN_TOKEN))
          .startsWith("$argon2id$v=19$m=19456,t=2,p=1$")
          .matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void defaultHasher_boundsConcurrencyByTheProcessorCount() {
      // Small memory: this test is about the concurrency default only.
      Argon2idHasher built = Argon2idHasher.builder().memoryKiB(64).iterations(1).build();

      assertThat(built.maxConcurrentHashes()).isEqualTo(Runtime.getRuntime().availableProcessors());
      assertThat(built.parallelism()).isEqualTo(1);
    }
  }

  @Nested
  class Verifying {
    @Test
    void hashedToken_verifies() {
      qt().withExamples(50)
          .forAll(longs().all())
          .checkAssert(
              seed -> assertThat(hasher.verify(hasher.hash(token(seed)), token(seed))).isTrue());
    }

    @Test
    void otherToken_doesNotVerify() {
      qt().withExamples(50)
          .forAll(longs().all())
          .checkAssert(
              seed -> assertThat(hasher.verify(hasher.hash(token(seed)), token(~seed))).isFalse());
    }

    @Test
    void hashesOfTheSameToken_differBySalt() {
      assertThat(hasher.hash(KNOWN_TOKEN)).isNotEqualTo(hasher.hash(KNOWN_TOKEN));
    }

    @Test
    void hashMadeWithOtherParameters_stillVerifies() {
      String older = small().memoryKiB(128).iterations(2).build().hash(KNOWN_TOKEN);

      assertThat(hasher.verify(older, KNOWN_TOKEN)).isTrue();
    }

    @Test
    void alteredHash_doesNotVerify() {
      String hash = hasher.hash(KNOWN_TOKEN);
      // Change the first character of the base64 hash, after the salt's '$'.
      int start = hash.lastIndexOf('$') + 1;
      char changed = hash.charAt(start) == 'A' ? 'B' : 'A';
      String altered = hash.substring(0, start) + changed + hash.substring(start + 1);

      assertThat(hasher.verify(altered, KNOWN_TOKEN)).isFalse();
    }

    // Each case differs from KNOWN_HASH, which verifies, in one part: shape, version, type, a
    // parameter out of range, a salt or tag of the wrong length or not base64, or another scheme.
    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "garbage",
          "$argon2id$",
          "$argon2id$v=19$m=64,t=1,p=1$" + SALT,
          "$argon2id$v=19$m=64,t=1,p=1$" + SALT + "$",
          "$argon2id$v=19$m=64,t=1,p=1$" + SALT + "$Sg7uYrWmgvV7IxZ41aYarfyzwHZe3rEzj15goRH8i1",
          "$argon2id$v=19$m=64,t=1,p=1$" + SALT + "$" + TAG + " ",
          "$argon2id$v=19$m=64,t=1,p=1$Ag$" + TAG,
          "$argon2id$v=19$m=64,t=1,p=1$" + SALT + "$Sg7u",
          "$argon2id$v=16$m=64,t=1,p=1$" + SALT + "$" + TAG,
          "$argon2i$v=19$m=64,t=1,p=1$" + SALT + "$" + TAG,
          "$argon2d$v=19$m=64,t=1,p=1$" + SALT + "$" + TAG,
          "$argon2id$v=19$m=64,t=0,p=1$" + SALT + "$" + TAG,
          "$argon2id$v=19$m=64,t=1,p=0$" + SALT + "$" + TAG,
          "$argon2id$v=19$m=64,t=1,p=9$" + SALT + "$" + TAG,
          "$argon2id$v=19$m=9999999999,t=1,p=1$" + SALT + "$" + TAG,
          "$argon2id$v=19$m=64,t=99999999999,p=1$" + SALT + "$" + TAG,
          "$argon2id$v=19$m=64,t=1,p=1$AgICAgICAgICAgICAgICA$" + TAG,
          "$hmac-sha256$v=1$KY/eHMzSM6AHzu6E+uIiJgu2tbSL55z91KZXnLfdpJs",
          "$2b$12$GhvMmNVjRW29ulnudl.LbuAnUtN/LRfe1JsBm1Xu6LE3059z5Tr8m"
        })
    void foreignOrDamagedHash_isRejectedWithoutThrowing(String encodedHash) {
      assertThat(hasher.verify(encodedHash, KNOWN_TOKEN)).isFalse();
    }

    @Test
    void unreadableHash_costsOneVerificationWithTheHashersParameters() {
      ObservedArgon2 observed = new ObservedArgon2(Argon2idHasher.nativeArgon2id());
      Argon2idHasher watched = small().argon2(observed::binding).build();
      observed.clearCalls();

      watched.verify("garbage", KNOWN_TOKEN);

      assertThat(observed.calls()).containsExactly("rawHashAdvanced(t=1, m=64, p=1)");
    }
  }

  @Nested
  class Decoys {
    @Test
    void verifyDecoy_makesTheSameNativeCallAsVerify() {
      ObservedArgon2 observed = new ObservedArgon2(Argon2idHasher.nativeArgon2id());
      Argon2idHasher watched = small().argon2(observed::binding).build();
      String stored = watched.hash(KNOWN_TOKEN);
      observed.clearCalls();

      watched.verify(stored, KNOWN_TOKEN);
      watched.verifyDecoy(KNOWN_TOKEN);

      assertThat(observed.calls())
          .containsExactly("rawHashAdvanced(t=1, m=64, p=1)", "rawHashAdvanced(t=1, m=64, p=1)");
    }

    @Test
    void construction_makesTheDecoyHashWithTheHashersParameters() {
      ObservedArgon2 observed = new ObservedArgon2(Argon2idHasher.nativeArgon2id());

      small().memoryKiB(96).iterations(2).argon2(observed::binding).build();

      assertThat(observed.calls()).containsExactly("hashAdvanced(t=2, m=96, p=1)");
    }
  }

  @Nested
  class Rehashing {
    @Test
    void ownHash_doesNotNeedRehash() {
      assertThat(hasher.needsRehash(hasher.hash(KNOWN_TOKEN))).isFalse();
    }

    @ParameterizedTest(name = "m={0}, t={1}")
    @CsvSource({"128, 1", "32, 1", "64, 2"})
    void hashWithOtherMemoryOrIterations_needsRehash(int memoryKiB, int iterations) {
      String other = small().memoryKiB(memoryKiB).iterations(iterations).build().hash(KNOWN_TOKEN);

      assertThat(hasher.needsRehash(other)).isTrue();
    }

    @Test
    void hashWithOtherParallelism_needsRehash() {
      String other = small().parallelism(2).build().hash(KNOWN_TOKEN);

      assertThat(hasher.needsRehash(other)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "garbage",
          "$hmac-sha256$v=1$KY/eHMzSM6AHzu6E+uIiJgu2tbSL55z91KZXnLfdpJs",
          "$argon2i$v=19$m=64,t=1,p=1$" + SALT + "$" + TAG,
          "$argon2id$v=19$m=64,t=1,p=1$AgICAgICAgI$" + TAG // an 8-byte salt
        })
    void foreignOrDifferentlyShapedHash_needsRehash(String encodedHash) {
      assertThat(hasher.needsRehash(encodedHash)).isTrue();
    }
  }

  @Nested
  class Building {
    @Test
    void builder_keepsTheGivenParameters() {
      Argon2idHasher built = small().memoryKiB(96).iterations(3).parallelism(2).build();

      assertThat(built).hasToString("Argon2idHasher[m=96 KiB, t=3, p=2, maxConcurrentHashes=2]");
      assertThat(built.memoryKiB()).isEqualTo(96);
      assertThat(built.iterations()).isEqualTo(3);
      assertThat(built.parallelism()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 7, 4 * 1024 * 1024 + 1, Integer.MAX_VALUE})
    void memoryOutsideEightKibToFourGib_isRefusedAtTheCall(int memoryKiB) {
      assertRefused(
          builder -> builder.memoryKiB(memoryKiB),
          "memoryKiB: " + memoryKiB + " KiB; must be 8 to 4194304 KiB");
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0})
    void iterationsBelowOne_isRefusedAtTheCall(int iterations) {
      assertRefused(
          builder -> builder.iterations(iterations),
          "iterations: " + iterations + "; must be at least 1");
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, 0, 256, Integer.MAX_VALUE})
    void parallelismOutsideOneTo255_isRefusedAtTheCall(int parallelism) {
      assertRefused(
          builder -> builder.parallelism(parallelism),
          "parallelism: " + parallelism + "; must be 1 to 255");
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0})
    void maxConcurrentHashesBelowOne_isRefusedAtTheCall(int maxConcurrentHashes) {
      assertRefused(
          builder -> builder.maxConcurrentHashes(maxConcurrentHashes),
          "maxConcurrentHashes: " + maxConcurrentHashes + "; must be at least 1");
    }

    @Test
    void memoryBelowEightKibPerLane_isRefusedAtBuild() {
      Argon2idHasher.Builder builder = small().memoryKiB(64).parallelism(9);

      assertThatThrownBy(builder::build)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "memoryKiB: 64 KiB is less than 8 KiB per lane at parallelism 9; raise memoryKiB"
                  + " to at least 72 or lower parallelism");
    }

    @Test
    void refusedSetting_leavesTheBuilderUnchanged() {
      Argon2idHasher.Builder builder = small().memoryKiB(96);

      assertThatThrownBy(() -> builder.memoryKiB(4)).isInstanceOf(IllegalArgumentException.class);

      assertThat(builder.build().memoryKiB()).isEqualTo(96);
    }

    private void assertRefused(Consumer<Argon2idHasher.Builder> setting, String message) {
      assertThatThrownBy(() -> setting.accept(Argon2idHasher.builder()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(message);
    }
  }

  @Nested
  class Interrupts {
    @AfterEach
    void clearInterrupt() {
      Thread.interrupted();
    }

    @Test
    void interruptedCaller_getsAClearErrorAndKeepsItsInterruptFlag() {
      Thread.currentThread().interrupt();

      assertThatThrownBy(() -> hasher.hash(KNOWN_TOKEN))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Argon2idHasher: interrupted while waiting for one of 2 hashing slots; the"
                  + " thread's interrupt flag is set again")
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }
  }

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  /** Returns the same byte everywhere, so a salt can be fixed for a known-answer test. */
  private static final class ConstantRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte value;

    ConstantRandom(byte value) {
      this.value = value;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      Arrays.fill(bytes, value);
    }
  }
}
