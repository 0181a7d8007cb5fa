package dev.scopedtokens.testkit;

import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.RejectionReason;
import dev.scopedtokens.token.VerificationResult;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions for a {@link VerificationResult}; start with {@link
 * TokenAssertions#assertThat(VerificationResult)}. Messages show token metadata and rejection
 * reasons, never a secret.
 */
public final class VerificationResultAssert
    extends AbstractAssert<VerificationResultAssert, VerificationResult> {

  VerificationResultAssert(VerificationResult actual) {
    super(actual, VerificationResultAssert.class);
  }

  /** Checks that the token was accepted. */
  public VerificationResultAssert isVerified() {
    isNotNull();
    if (actual instanceof VerificationResult.Rejected rejected) {
      failWithMessage(
          "Expected the token to be verified but it was rejected for %s", rejected.reason());
    }
    return myself;
  }

  /** Checks that the token was rejected, for whatever reason. */
  public VerificationResultAssert isRejected() {
    isNotNull();
    if (actual instanceof VerificationResult.Verified verified) {
      failWithMessage(
          "Expected the token to be rejected but it was verified: %s", verified.token());
    }
    return myself;
  }

  /** Checks that the token was rejected for {@code reason}. */
  public VerificationResultAssert isRejectedFor(RejectionReason reason) {
    isRejected();
    RejectionReason actualReason = ((VerificationResult.Rejected) actual).reason();
    if (actualReason != reason) {
      failWithMessage(
          "Expected the token to be rejected for %s but it was rejected for %s",
          reason, actualReason);
    }
    return myself;
  }

  /**
   * Checks that the token was accepted and returns assertions on its metadata.
   *
   * <pre>{@code
   * assertThat(service.verify(secret)).verifiedToken().hasScope(Scope.REPO_READ);
   * }</pre>
   */
  public AccessTokenAssert verifiedToken() {
    isVerified();
    AccessToken token = ((VerificationResult.Verified) actual).token();
    return new AccessTokenAssert(token);
  }
}
