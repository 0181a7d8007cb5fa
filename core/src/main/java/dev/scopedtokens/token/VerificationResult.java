package dev.scopedtokens.token;

import dev.scopedtokens.scope.Scope;
import java.util.Objects;

/**
 * The outcome of {@link TokenService#verify}: {@link Verified} or {@link Rejected}. A sealed type,
 * so a caller cannot use a token without looking at the outcome.
 *
 * <pre>{@code
 * VerificationResult result = service.verify("alice", TokenSecret.of(presented));
 * if (result instanceof VerificationResult.Verified verified) {
 *   Scope scope = verified.effectiveScope();
 * } else {
 *   // answer 401 and nothing more; the reason is for logs and metrics
 * }
 * }</pre>
 */
public sealed interface VerificationResult
    permits VerificationResult.Verified, VerificationResult.Rejected {

  /** Returns whether the token was accepted. */
  boolean isVerified();

  /**
   * The token is active, unexpired, and its secret matched.
   *
   * @param token the token's metadata, with its last use set to this verification
   */
  record Verified(AccessToken token) implements VerificationResult {
    /** Validates the token. */
    public Verified {
      Objects.requireNonNull(token, "token");
    }

    /** Returns the highest scope of the token, the one that decides what it may do. */
    public Scope effectiveScope() {
      return token.effectiveScope();
    }

    @Override
    public boolean isVerified() {
      return true;
    }
  }

  /**
   * The token was not accepted. Every rejection must look the same to the client.
   *
   * @param reason why, for logs and metrics only
   */
  record Rejected(RejectionReason reason) implements VerificationResult {
    /** Validates the reason. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public boolean isVerified() {
      return false;
    }
  }
}
