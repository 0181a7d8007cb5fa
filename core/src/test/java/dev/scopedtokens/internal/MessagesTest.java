package dev.scopedtokens.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
  void validScopes_listsEveryWireValueNarrowestFirst() {
    assertThat(Messages.validScopes())
        .isEqualTo("repo:public_read, repo:read, repo:write, repo:admin");
  }
}
