package dev.scopedtokens.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.generators.Generate;

class TokenFormatTest {
  private static final TokenFormat FORMAT = TokenFormat.defaults();
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** Every printable ASCII character, plus Cyrillic and full-width look-alikes of base62 digits. */
  private static final List<Character> REPLACEMENTS = replacements();

  /** A fixed token built by an independent computation (Python's zlib.crc32), to pin the format. */
  private static final String KNOWN_BODY = "IJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private static final String KNOWN_TOKEN = "stk_" + KNOWN_BODY + "3r2WZF";

  private static TokenSecret generated(long seed) {
    return FORMAT.generate(SeededRandom.of(seed));
  }

  @Nested
  class Generating {
    @Test
    void generatedToken_isWellFormed() {
      qt().forAll(longs().all())
          .checkAssert(seed -> assertThat(FORMAT.isWellFormed(generated(seed).reveal())).isTrue());
    }

    @Test
    void generatedToken_isPrefixFortyFourRandomDigitsAndSixDigitChecksum() {
      qt().forAll(longs().all())
          .checkAssert(
              seed -> {
                String token = generated(seed).reveal();
                String body = token.substring(4, 48);
                assertThat(token).matches("stk_[0-9A-Za-z]{50}");
                assertThat(token.substring(48)).isEqualTo(checksumOf(body));
              });
    }

    @Test
    void generatedTokens_differForDifferentRandomness() {
      assertThat(generated(1).reveal()).isNotEqualTo(generated(2).reveal());
    }

    @Test
    void generatedToken_usesEveryDigitOfTheAlphabet() {
      // 1000 tokens draw 44,000 digits; a digit missing from them all would mean a biased encoder.
      StringBuilder all = new StringBuilder();
      for (long seed = 0; seed < 1000; seed++) {
        all.append(generated(seed).reveal(), 4, 48);
      }
      assertThat(all.chars().distinct().count()).isEqualTo(62);
    }

    @Test
    void defaultFormat_hasPrefixStkAndLength54() {
      assertThat(FORMAT.prefix()).isEqualTo("stk_");
      assertThat(FORMAT.length()).isEqualTo(54);
    }

    @Test
    void knownToken_isWellFormed() {
      assertThat(FORMAT.isWellFormed(KNOWN_TOKEN)).isTrue();
    }

    @Test
    void secretPart_keepsAtLeast160Bits() {
      double bitsPerDigit = Math.log(62) / Math.log(2);
      assertThat(TokenFormat.SECRET_PART_LENGTH * bitsPerDigit).isGreaterThanOrEqualTo(160);
      assertThat(TokenFormat.LOOKUP_PART_LENGTH + TokenFormat.SECRET_PART_LENGTH)
          .isEqualTo(TokenFormat.BODY_LENGTH);
    }
  }

  @Nested
  class Checksum {
    @Test
    void everySingleCharacterChange_isRejected() {
      qt().forAll(longs().all(), integers().between(0, 53), Generate.pick(REPLACEMENTS))
          .assuming((seed, position, c) -> generated(seed).reveal().charAt(position) != c)
          .checkAssert(
              (seed, position, c) ->
                  assertThat(FORMAT.isWellFormed(replaced(generated(seed).reveal(), position, c)))
                      .isFalse());
    }

    @Test
    void everySwapOfAdjacentDifferingCharacters_isRejected() {
      qt().forAll(longs().all(), integers().between(0, 52))
          .assuming((seed, position) -> differsFromNext(generated(seed).reveal(), position))
          .checkAssert(
              (seed, position) ->
                  assertThat(FORMAT.isWellFormed(swapped(generated(seed).reveal(), position)))
                      .isFalse());
    }

    @Test
    void swapAcrossBodyAndChecksum_isRejectedForEveryPairOfDigits() {
      // The one place CRC32's burst guarantee does not reach: the body's last digit trades places
      // with the checksum's first. Try every pair of digits there.
      List<String> accepted = new ArrayList<>();
      for (char last : ALPHABET.toCharArray()) {
        String body = KNOWN_BODY.substring(0, 43) + last;
        String token = "stk_" + body + checksumOf(body);
        if (differsFromNext(token, 47) && FORMAT.isWellFormed(swapped(token, 47))) {
          accepted.add(swapped(token, 47));
        }
      }
      assertThat(accepted).isEmpty();
    }

    @Test
    void exhaustivelyForOneToken_everySingleChangeAndAdjacentSwap_isRejected() {
      String token = generated(20_260_101L).reveal();
      List<String> accepted = new ArrayList<>();
      for (int position = 0; position < token.length(); position++) {
        for (char c : REPLACEMENTS) {
          String changed = replaced(token, position, c);
          if (c != token.charAt(position) && FORMAT.isWellFormed(changed)) {
            accepted.add(changed);
          }
        }
        if (position + 1 < token.length()
            && differsFromNext(token, position)
            && FORMAT.isWellFormed(swapped(token, position))) {
          accepted.add(swapped(token, position));
        }
      }
      assertThat(accepted).isEmpty();
    }
  }

  @Nested
  class Rejecting {
    @Test
    void wrongPrefix_isRejected() {
      assertThat(FORMAT.isWellFormed("ghp_" + KNOWN_TOKEN.substring(4))).isFalse();
    }

    @Test
    void tokenOfAnotherFormat_isRejected() {
      TokenSecret other = TokenFormat.withPrefix("acme_").generate(SeededRandom.of(7));
      assertThat(FORMAT.isWellFormed(other.reveal())).isFalse();
    }

    @Test
    void missingLastCharacter_isRejected() {
      assertThat(FORMAT.isWellFormed(KNOWN_TOKEN.substring(0, 53))).isFalse();
    }

    @Test
    void extraCharacter_isRejected() {
      assertThat(FORMAT.isWellFormed(KNOWN_TOKEN + "0")).isFalse();
    }

    @Test
    void emptyString_isRejected() {
      assertThat(FORMAT.isWellFormed("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-", "_", "+", "/", "=", " ", "\u041e", "\uff10", "\u00e9"})
    void characterOutsideBase62_isRejected(String outsider) {
      // Put the outsider where a valid digit was, and fix the checksum so only the alphabet fails.
      String body = KNOWN_BODY.substring(0, 20) + outsider + KNOWN_BODY.substring(21);
      assertThat(FORMAT.isWellFormed("stk_" + body + checksumOf(body))).isFalse();
    }

    @Test
    void bodyWithRecomputedChecksum_isWellFormed() {
      // The counterpart of the test above: a fixed-up checksum alone is accepted.
      String body = KNOWN_BODY.substring(0, 20) + "0" + KNOWN_BODY.substring(21);
      assertThat(FORMAT.isWellFormed("stk_" + body + checksumOf(body))).isTrue();
    }

    @Test
    void checksumOutOfCrc32Range_isRejected() {
      // "zzzzzz" decodes to 62^6 - 1, above every CRC32 value.
      assertThat(FORMAT.isWellFormed("stk_" + KNOWN_BODY + "zzzzzz")).isFalse();
    }
  }

  @Nested
  class LookupKeys {
    @Test
    void lookupKey_isStableForTheSameToken() {
      qt().forAll(longs().all())
          .checkAssert(
              seed -> {
                String token = generated(seed).reveal();
                assertThat(FORMAT.lookupKey(TokenSecret.of(token)))
                    .isEqualTo(FORMAT.lookupKey(TokenSecret.of(token)));
              });
    }

    @Test
    void lookupKey_isDomainSeparatedSha256OfTheLookupPart() {
      // Computed independently: sha256(b"dev.scopedtokens.lookup-key.v1\0" + b"IJKLMNOPQRSTUVWX")
      assertThat(HexFormat.of().formatHex(FORMAT.lookupKey(TokenSecret.of(KNOWN_TOKEN)).toBytes()))
          .isEqualTo("933b3c621f1ca42daacb2be354cd9b4b80fa9ec9b8570468b43d33b44b827694");
    }

    @Test
    void lookupKey_ignoresTheSecretPart() {
      String otherSecretPart = KNOWN_BODY.substring(0, 16) + "0123456789012345678901234567";
      TokenSecret other = TokenSecret.of("stk_" + otherSecretPart + checksumOf(otherSecretPart));
      assertThat(FORMAT.lookupKey(other)).isEqualTo(FORMAT.lookupKey(TokenSecret.of(KNOWN_TOKEN)));
    }

    @Test
    void lookupKey_changesWithTheLookupPart() {
      String otherLookupPart = "0" + KNOWN_BODY.substring(1);
      TokenSecret other = TokenSecret.of("stk_" + otherLookupPart + checksumOf(otherLookupPart));
      assertThat(FORMAT.lookupKey(other))
          .isNotEqualTo(FORMAT.lookupKey(TokenSecret.of(KNOWN_TOKEN)));
    }

    @Test
    void lookupKeyOfMalformedToken_isRefusedWithoutQuotingIt() {
      String malformed = KNOWN_TOKEN.substring(0, 53) + "x";
      assertThatThrownBy(() -> FORMAT.lookupKey(TokenSecret.of(malformed)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not well formed")
          .hasMessageNotContaining(malformed.substring(4, 20));
    }
  }

  @Nested
  class Parsing {
    @Test
    void parseOfWellFormedToken_isItsLookupKey() {
      qt().forAll(longs().all())
          .checkAssert(
              seed -> {
                TokenSecret token = generated(seed);
                assertThat(FORMAT.parse(token)).contains(FORMAT.lookupKey(token));
              });
    }

    @Test
    void parseOfKnownToken_isThePinnedKey() {
      assertThat(FORMAT.parse(TokenSecret.of(KNOWN_TOKEN)).map(k -> k.toBytes()))
          .hasValueSatisfying(
              bytes ->
                  assertThat(HexFormat.of().formatHex(bytes))
                      .isEqualTo(
                          "933b3c621f1ca42daacb2be354cd9b4b80fa9ec9b8570468b43d33b44b827694"));
    }

    @Test
    void parseOfEverySingleCharacterChange_isEmpty() {
      qt().forAll(longs().all(), integers().between(0, 53), Generate.pick(REPLACEMENTS))
          .assuming((seed, position, c) -> generated(seed).reveal().charAt(position) != c)
          .checkAssert(
              (seed, position, c) ->
                  assertThat(
                          FORMAT.parse(
                              TokenSecret.of(replaced(generated(seed).reveal(), position, c))))
                      .isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "stk_", "ghp_IJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz3r2WZF"})
    void parseOfMalformedToken_isEmpty(String malformed) {
      assertThat(FORMAT.parse(TokenSecret.of(malformed))).isEmpty();
    }

    @Test
    void parseOfTokenOfAnotherFormat_isEmpty() {
      TokenSecret acme = TokenFormat.withPrefix("acme_").generate(SeededRandom.of(7));
      assertThat(FORMAT.parse(acme)).isEmpty();
    }
  }

  @Nested
  class ContainsToken {
    @Test
    void textWithAGeneratedToken_containsOne() {
      qt().forAll(longs().all())
          .checkAssert(
              seed ->
                  assertThat(FORMAT.containsToken("CI for " + generated(seed).reveal() + " (prod)"))
                      .isTrue());
    }

    @Test
    void tokenGluedToOtherCharacters_counts() {
      assertThat(FORMAT.containsToken("x" + KNOWN_TOKEN + "0")).isTrue();
    }

    @Test
    void tokenShapeWithAWrongChecksum_counts() {
      assertThat(FORMAT.containsToken(KNOWN_TOKEN.substring(0, 53) + "A")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "CI on main",
          "stk_",
          "stk_IJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz3r2WZ",
          "stk-IJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz3r2WZF"
        })
    void textWithoutAWholeTokenShape_containsNone(String text) {
      assertThat(FORMAT.containsToken(text)).isFalse();
    }

    @Test
    void tokenOfAnotherPrefix_isNotThisFormats() {
      TokenFormat acme = TokenFormat.withPrefix("acme_");
      assertThat(acme.containsToken(KNOWN_TOKEN)).isFalse();
      assertThat(acme.containsToken(acme.generate(SeededRandom.of(3)).reveal())).isTrue();
    }
  }

  @Nested
  class Prefixes {
    @ParameterizedTest
    @ValueSource(strings = {"a_", "acme_pat_", "x1_", "_", "abcdefghijklmno_"})
    void validPrefix_isAccepted(String prefix) {
      TokenFormat format = TokenFormat.withPrefix(prefix);
      assertThat(format.prefix()).isEqualTo(prefix);
      assertThat(format.isWellFormed(format.generate(SeededRandom.of(3)).reveal())).isTrue();
    }

    @Test
    void emptyPrefix_isRefusedNamingTheAllowedLength() {
      assertThatThrownBy(() -> TokenFormat.withPrefix(""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prefix")
          .hasMessageContaining("1 to 16");
    }

    @Test
    void seventeenCharacterPrefix_isRefusedNamingTheAllowedLength() {
      assertThatThrownBy(() -> TokenFormat.withPrefix("abcdefghijklmnop_"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prefix")
          .hasMessageContaining("1 to 16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"STK_", "stk-_", "st k_", "stk.", "\u0441tk_"})
    void prefixWithCharacterOutsideLowerCaseDigitsAndUnderscore_isRefused(String prefix) {
      assertThatThrownBy(() -> TokenFormat.withPrefix(prefix))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prefix")
          .hasMessageContaining("[a-z0-9_]");
    }

    @Test
    void prefixNotEndingInUnderscore_isRefused() {
      assertThatThrownBy(() -> TokenFormat.withPrefix("stk"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prefix")
          .hasMessageContaining("must end with '_'");
    }

    @Test
    void formatsWithTheSamePrefix_areEqual() {
      assertThat(TokenFormat.withPrefix("acme_")).isEqualTo(TokenFormat.withPrefix("acme_"));
      assertThat(TokenFormat.withPrefix("acme_").hashCode())
          .isEqualTo(TokenFormat.withPrefix("acme_").hashCode());
      assertThat(TokenFormat.withPrefix("stk_")).isEqualTo(TokenFormat.defaults());
      assertThat(TokenFormat.withPrefix("acme_")).isNotEqualTo(TokenFormat.defaults());
    }

    @Test
    void toString_showsPrefixAndLength() {
      assertThat(TokenFormat.withPrefix("acme_"))
          .hasToString("TokenFormat[prefix=acme_, length=55]");
    }
  }

  @Nested
  class ScannerPattern {
    @Test
    void defaultPattern_isThePublishedOne() {
      assertThat(FORMAT.scannerPattern().pattern()).isEqualTo("\\bstk_[0-9A-Za-z]{50}\\b");
    }

    @Test
    void pattern_findsGeneratedTokenInText() {
      qt().forAll(longs().all())
          .checkAssert(
              seed -> {
                String token = generated(seed).reveal();
                Matcher matcher =
                    FORMAT.scannerPattern().matcher("export TOKEN=\"" + token + "\"\n# done");
                assertThat(matcher.find()).isTrue();
                assertThat(matcher.group()).isEqualTo(token);
              });
    }

    @Test
    void pattern_ignoresTokenShapedTextGluedToOtherWordCharacters() {
      assertThat(FORMAT.scannerPattern().matcher("xstk_" + KNOWN_BODY + "3r2WZF").find()).isFalse();
      assertThat(FORMAT.scannerPattern().matcher(KNOWN_TOKEN + "0").find()).isFalse();
    }
  }

  private static String checksumOf(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] digits = new char[6];
    for (int i = 5; i >= 0; i--) {
      digits[i] = ALPHABET.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }

  private static String replaced(String token, int position, char c) {
    return token.substring(0, position) + c + token.substring(position + 1);
  }

  private static boolean differsFromNext(String token, int position) {
    return token.charAt(position) != token.charAt(position + 1);
  }

  private static String swapped(String token, int position) {
    char[] chars = token.toCharArray();
    char c = chars[position];
    chars[position] = chars[position + 1];
    chars[position + 1] = c;
    return new String(chars);
  }

  private static List<Character> replacements() {
    List<Character> chars = new ArrayList<>();
    for (char c = 0x21; c <= 0x7e; c++) {
      chars.add(c);
    }
    // Cyrillic O, o, a, e, c, full-width digit zero and Latin small l with stroke.
    for (char c : "\u041e\u043e\u0430\u0435\u0441\uff10\u0142".toCharArray()) {
      chars.add(c);
    }
    return List.copyOf(chars);
  }
}
