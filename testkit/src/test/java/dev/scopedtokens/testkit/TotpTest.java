package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotpTest {
  /** The SHA-1 seed of RFC 6238, Appendix B. */
  private static final Totp RFC_6238 =
      Totp.fromKey("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

  /**
   * RFC 6238 Appendix B, SHA-1 rows. The RFC prints 8 digits; a 6-digit code is the same truncated
   * value modulo 10^6, that is its last six digits.
   */
  @ParameterizedTest
  @CsvSource({
    "59, 94287082",
    "1111111109, 07081804",
    "1111111111, 14050471",
    "1234567890, 89005924",
    "2000000000, 69279037",
    "20000000000, 65353130",
  })
  void code_matchesRfc6238TestVectors(long epochSecond, String eightDigits) {
    assertThat(RFC_6238.code(Instant.ofEpochSecond(epochSecond)))
        .isEqualTo(eightDigits.substring(2));
  }

  @Test
  void base32Key_decodesToTheSameKey() {
    // "12345678901234567890" in Base32.
    Totp fromBase32 = Totp.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");

    assertThat(fromBase32.code(Instant.ofEpochSecond(59))).isEqualTo("287082");
  }

  @Test
  void base32_ignoresCaseSpacesAndPadding() {
    Totp messy = Totp.fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq");
    Totp padded = Totp.fromBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====");

    assertThat(messy.code(Instant.ofEpochSecond(59))).isEqualTo("287082");
    assertThat(padded.code(Instant.ofEpochSecond(59))).isEqualTo("287082");
  }

  @Test
  void toBase32_roundTrips() {
    Totp totp = Totp.random(new SecureRandom(new byte[] {1}));

    Totp again = Totp.fromBase32(totp.toBase32());

    assertThat(again.code(Instant.ofEpochSecond(1_700_000_000)))
        .isEqualTo(totp.code(Instant.ofEpochSecond(1_700_000_000)));
  }

  @Test
  void invalidBase32_isRejectedWithoutEchoingTheSecret() {
    assertThatThrownBy(() -> Totp.fromBase32("ABCDEFG1XYZSECRET"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("position 7")
        .hasMessageNotContaining("SECRET");
  }

  @Test
  void emptyBase32_isRejected() {
    assertThatThrownBy(() -> Totp.fromBase32("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one byte");
  }

  @Test
  void verify_acceptsTheCurrentStep() {
    Instant now = Instant.ofEpochSecond(1_111_111_111);

    assertThat(RFC_6238.verify(RFC_6238.code(now), now)).isTrue();
  }

  @Test
  void verify_acceptsOneStepBefore() {
    Instant now = Instant.ofEpochSecond(1_111_111_111);

    assertThat(RFC_6238.verify(RFC_6238.code(now.minusSeconds(30)), now)).isTrue();
  }

  @Test
  void verify_acceptsOneStepAfter() {
    Instant now = Instant.ofEpochSecond(1_111_111_111);

    assertThat(RFC_6238.verify(RFC_6238.code(now.plusSeconds(30)), now)).isTrue();
  }

  @Test
  void verify_rejectsTwoStepsAway() {
    Instant now = Instant.ofEpochSecond(1_111_111_111);

    assertThat(RFC_6238.verify(RFC_6238.code(now.minusSeconds(60)), now)).isFalse();
    assertThat(RFC_6238.verify(RFC_6238.code(now.plusSeconds(60)), now)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"''", "12345", "1234567", "12345a", "' 12345'"})
  void verify_rejectsAnythingButSixDigits(String code) {
    assertThat(RFC_6238.verify(code, Instant.ofEpochSecond(59))).isFalse();
  }

  @Test
  void toString_hidesTheKey() {
    assertThat(RFC_6238.toString()).contains("redacted").doesNotContain("GEZDGNBV");
  }
}
