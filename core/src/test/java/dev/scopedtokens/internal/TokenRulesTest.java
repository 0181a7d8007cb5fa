package dev.scopedtokens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.token.TokenStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenRulesTest {
  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");

  @Test
  void revoked_beatsExpiredAndInactive() {
    assertThat(TokenRules.status(false, NOW.minusSeconds(1), NOW.minusSeconds(2), NOW))
        .isEqualTo(TokenStatus.REVOKED);
  }

  @Test
  void expired_fromTheInstantOfExpiry() {
    assertThat(TokenRules.status(true, NOW, null, NOW)).isEqualTo(TokenStatus.EXPIRED);
    assertThat(TokenRules.status(true, NOW.plusNanos(1), null, NOW)).isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void expired_beatsInactive() {
    assertThat(TokenRules.status(false, NOW.minusSeconds(1), null, NOW))
        .isEqualTo(TokenStatus.EXPIRED);
  }

  @Test
  void withoutExpiryOrRevocation_theFlagDecides() {
    assertThat(TokenRules.status(true, null, null, NOW)).isEqualTo(TokenStatus.ACTIVE);
    assertThat(TokenRules.status(false, null, null, NOW)).isEqualTo(TokenStatus.INACTIVE);
  }
}
