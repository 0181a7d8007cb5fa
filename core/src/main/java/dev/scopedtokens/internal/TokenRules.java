package dev.scopedtokens.internal;

import dev.scopedtokens.token.TokenStatus;
import java.time.Instant;

/**
 * Token rules that more than one package needs in a form without an {@code AccessToken}, written
 * once.
 *
 * <p>Not API: exported only to the project's own modules, and may change in any release.
 */
public final class TokenRules {
  private TokenRules() {}

  /**
   * A token's status at {@code now}: revoked before expired before inactive before active. The rule
   * behind {@code AccessToken.status}, for a store that keeps tokens in another form.
   *
   * @param active false when the owner deactivated the token
   * @param expiresAt when it stops working, or null for never
   * @param revokedAt when it was revoked, or null if it was not
   * @param now the time to judge at
   */
  public static TokenStatus status(
      boolean active, Instant expiresAt, Instant revokedAt, Instant now) {
    if (revokedAt != null) {
      return TokenStatus.REVOKED;
    }
    if (expiresAt != null && !now.isBefore(expiresAt)) {
      return TokenStatus.EXPIRED;
    }
    return active ? TokenStatus.ACTIVE : TokenStatus.INACTIVE;
  }
}
