package dev.scopedtokens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

class MessagesTest {
  @Test
  void quote_wrapsPrintableAsciiInDoubleQuotes() {
    assertThat(Messages.quote("repo:READ")).isEqualTo("\"repo:READ\"");
  }

  @Test
  void quote_escapesControlQuoteBackslashAndNonAscii() {
    assertThat(Messages.quote("a\nb\"c\\d\u00e9"))
        .isEqualTo("\"a\\u000ab\\u0022c\\u005cd\\u00e9\"");
  }

  @Test
  void quote_cutsALongValueAndSaysHowLongItWas() {
    String quoted = Messages.quote("x".repeat(10_000));
    assertThat(quoted).isEqualTo("\"" + "x".repeat(60) + "\"... (10000 characters)");
  }

  @Test
  void quote_showsNullAsNull() {
    assertThat(Messages.quote(null)).isEqualTo("null");
  }

  @Test
  void boundedQuote_showsAValueThatFitsWhole_asQuoteDoes() {
    assertThat(Messages.quote("repo:READ\n", 40)).isEqualTo(Messages.quote("repo:READ\n"));
  }

  @Test
  void boundedQuote_keepsAValueThatFillsTheLimitExactly() {
    String fits = "x".repeat(38);

    assertThat(Messages.quote(fits, 40)).isEqualTo("\"" + fits + "\"");
    assertThat(Messages.quote(fits + "x", 40)).endsWith("\"... (39 characters)").hasSize(40);
  }

  @Test
  void boundedQuote_countsTheEscapes_andNeverCutsInsideOne() {
    assertThat(Messages.quote("x\n".repeat(10_000), 40))
        .isEqualTo("\"x\\u000ax\\u000ax\"... (20000 characters)");
  }

  @Test
  void boundedQuote_refusesALimitWithNoRoomForTheNoteOfACut() {
    assertThatThrownBy(() -> Messages.quote("x", 31))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: 31; must be at least 32");
  }

  @Test
  void boundedQuote_showsNullAsNull() {
    assertThat(Messages.quote(null, 40)).isEqualTo("null");
  }

  @Test
  void boundedQuote_isNeverLongerThanTheLimit_andIsPrintableAscii_whateverTheValue() {
    qt().forAll(strings().allPossible().ofLengthBetween(0, 300), integers().between(32, 200))
        .checkAssert(
            (value, limit) -> {
              String quoted = Messages.quote(value, limit);
              assertThat(quoted.length()).isLessThanOrEqualTo(limit);
              assertThat(quoted).matches("[\\x20-\\x7e]*");
              // What is shown is a prefix of the whole value escaped: whole escapes, in order.
              String inside = quoted.substring(0, quoted.lastIndexOf('"'));
              String whole = Messages.quote(value, Integer.MAX_VALUE);
              assertThat(whole).startsWith(inside);
              assertThat(quoted.equals(whole) || quoted.endsWith(" characters)")).isTrue();
            });
  }

  @Test
  void validScopes_listsEveryWireValueNarrowestFirst() {
    assertThat(Messages.validScopes())
        .isEqualTo("repo:public_read, repo:read, repo:write, repo:admin");
  }
}
