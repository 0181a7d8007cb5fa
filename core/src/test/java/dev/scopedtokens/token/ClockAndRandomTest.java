package dev.scopedtokens.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The room for time and ids: the clock's range and precision, and the bits of a new id. */
class ClockAndRandomTest {

  private static ClockAndRandom at(String instant) {
    return new ClockAndRandom(
        Clock.fixed(Instant.parse(instant), ZoneOffset.UTC), Fixtures.seeded(1));
  }

  /** A random that returns {@code fill} for every byte. */
  private static SecureRandom constant(byte fill) {
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] bytes) {
        Arrays.fill(bytes, fill);
      }
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-05-01T10:00:00.123456789Z", "2024-05-01T10:00:00.123456Z"})
  void now_isTheClockToTheMicrosecond(String instant) {
    assertThat(at(instant).now()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"})
  void now_acceptsTheEndsOfWhatRfc3339CanWrite(String instant) {
    assertThat(at(instant).now()).isEqualTo(Instant.parse(instant));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-0001-12-31T23:59:59.999999Z", "+10000-01-01T00:00:00Z"})
  void now_refusesAClockOutsideWhatRfc3339CanWrite_namingTheClockAndTheRange(String instant) {
    assertThatThrownBy(() -> at(instant).now())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("clock: ")
        .hasMessageContaining("0000-01-01T00:00:00Z")
        .hasMessageContaining("9999-12-31T23:59:59.999999Z")
        .hasMessageEndingWith("check the clock given to the builder");
  }

  @ParameterizedTest
  @ValueSource(bytes = {0, -1, 0x55, (byte) 0xaa})
  void newId_isAVersion4IetfVariantUuid_whateverTheRandomBytes(byte fill) {
    UUID id = new ClockAndRandom(Clock.systemUTC(), constant(fill)).newId();

    assertThat(id.version()).isEqualTo(4);
    assertThat(id.variant()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(bytes = {0, -1})
  void newId_keepsEveryRandomBitBesideTheVersionAndVariant(byte fill) {
    UUID id = new ClockAndRandom(Clock.systemUTC(), constant(fill)).newId();

    assertThat(id)
        .isEqualTo(
            UUID.fromString(
                fill == 0
                    ? "00000000-0000-4000-8000-000000000000"
                    : "ffffffff-ffff-4fff-bfff-ffffffffffff"));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void newId_comesFromTheInjectedRandomOnly(long seed) {
    UUID first = new ClockAndRandom(Clock.systemUTC(), Fixtures.seeded(seed)).newId();
    UUID again = new ClockAndRandom(Clock.systemUTC(), Fixtures.seeded(seed)).newId();

    assertThat(first).isEqualTo(again);
    assertThat(first.version()).isEqualTo(4);
  }
}
