package dev.scopedtokens.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void everyRememberedSecret_isReplaced() {
    Redactor redactor = new Redactor();
    redactor.addLongLived("hunter2");
    redactor.addOneTime("123456");

    assertThat(redactor.redact("pw hunter2, code 123456, again hunter2"))
        .isEqualTo("pw [redacted], code [redacted], again [redacted]");
  }

  @Test
  void aSecretInsideALongerOne_leavesNoFragment() {
    Redactor redactor = new Redactor();
    redactor.addOneTime("abc");
    redactor.addLongLived("xxabcxx");

    assertThat(redactor.redact("token xxabcxx")).isEqualTo("token [redacted]");
  }

  @Test
  void longLivedSecrets_surviveManyOneTimeOnes() {
    Redactor redactor = new Redactor();
    redactor.addLongLived("password!");
    for (int i = 0; i < 100; i++) {
      redactor.addOneTime("jwt-" + i);
    }

    assertThat(redactor.redact("password! jwt-99")).isEqualTo("[redacted] [redacted]");
  }
}
