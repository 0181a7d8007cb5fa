package dev.scopedtokens.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Fuzzes the offline token parser: {@link TokenFormat#isWellFormed}, {@link TokenFormat#lookupKey},
 * the scanner pattern and {@link TokenFormat#withPrefix}. Whatever string is presented, the parser
 * answers without throwing, agrees with {@code lookupKey} about what is well formed, and never
 * quotes a presented string back in an error.
 *
 * <p>{@code mvn verify} replays the committed corpus in {@code
 * src/test/resources/dev/scopedtokens/robustness/TokenFormatFuzzTestInputs/<method>/} (regression
 * mode). To fuzz one method for longer (findings are written to that directory; keep them as
 * regression cases once fixed):
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m mvn -B -ntp -pl robustness-tests -am test \
 *     -Dtest='TokenFormatFuzzTest#presentedString_isJudgedWithoutThrowing' \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
class TokenFormatFuzzTest {
  private static final TokenFormat FORMAT = TokenFormat.defaults();

  /** Shorter strings may occur in any message by coincidence ("stk_" is in the format's name). */
  private static final int QUOTABLE_LENGTH = 16;

  @FuzzTest
  void presentedString_isJudgedWithoutThrowing(byte[] input) {
    String presented = new String(input, StandardCharsets.UTF_8);
    boolean wellFormed = FORMAT.isWellFormed(presented);
    if (presented.isEmpty()) {
      assertThat(wellFormed).isFalse();
      return;
    }
    TokenSecret secret = TokenSecret.of(presented);
    if (wellFormed) {
      assertThat(presented).hasSize(FORMAT.length()).startsWith(FORMAT.prefix());
      LookupKey key = FORMAT.lookupKey(secret);
      assertThat(FORMAT.lookupKey(TokenSecret.of(presented))).isEqualTo(key);
      assertThat(FORMAT.scannerPattern().matcher(" " + presented + " ").find()).isTrue();
    } else {
      assertThatThrownBy(() -> FORMAT.lookupKey(secret))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(
              e -> {
                if (presented.length() >= QUOTABLE_LENGTH) {
                  assertThat(e.getMessage()).doesNotContain(presented);
                }
              });
    }
  }

  @FuzzTest
  void scannerMatch_isACandidateThatTheChecksumConfirmsOrRefutes(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    var matcher = FORMAT.scannerPattern().matcher(text);
    while (matcher.find()) {
      String candidate = matcher.group();
      assertThat(candidate).hasSize(FORMAT.length()).startsWith(FORMAT.prefix());
      // Whatever the checksum says, deciding it must not throw.
      FORMAT.isWellFormed(candidate);
    }
  }

  @FuzzTest
  void customPrefix_isRefusedByNameOrRoundTrips(FuzzedDataProvider data) throws Exception {
    String prefix = data.consumeString(24);
    byte[] seed = data.consumeBytes(32);
    String presented = data.consumeRemainingAsString();
    TokenFormat format;
    try {
      format = TokenFormat.withPrefix(prefix);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("prefix: ");
      return;
    }
    assertThat(format.prefix()).isEqualTo(prefix);
    TokenSecret generated = format.generate(seeded(seed));
    assertThat(format.isWellFormed(generated.reveal())).isTrue();
    assertThat(generated.reveal()).hasSize(format.length()).startsWith(prefix);
    assertThat(format.scannerPattern().matcher(generated.reveal()).matches()).isTrue();
    assertThat(format.lookupKey(generated)).isEqualTo(format.lookupKey(generated));
    // Another format's token is never well formed here, and arbitrary text never throws.
    format.isWellFormed(presented);
    if (!format.equals(FORMAT)) {
      assertThat(FORMAT.isWellFormed(generated.reveal())).isFalse();
    }
  }

  /** A generator whose output the fuzzer controls, so that a finding replays exactly. */
  private static SecureRandom seeded(byte[] seed) throws NoSuchAlgorithmException {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed); // before the first draw, SHA1PRNG uses only this seed
    return random;
  }
}
