package dev.scopedtokens.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import org.junit.jupiter.api.Test;

/** Guards the test helper: a crafted wrong secret must look real to everything but the hash. */
class SecretsTest {
  private final TokenFormat format = TokenFormat.defaults();

  @Test
  void wrongSecret_isWellFormedWithTheSameLookupKeyButAnotherString() {
    TokenSecret real = format.generate(Fixtures.seeded(1));

    TokenSecret wrong = Secrets.wrongSecretFor(real);

    assertThat(format.isWellFormed(wrong.reveal())).isTrue();
    assertThat(format.lookupKey(wrong)).isEqualTo(format.lookupKey(real));
    assertThat(wrong.reveal()).isNotEqualTo(real.reveal());
  }
}
