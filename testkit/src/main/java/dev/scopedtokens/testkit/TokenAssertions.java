package dev.scopedtokens.testkit;

import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.VerificationResult;

/**
 * Entry points for the testkit's AssertJ assertions.
 *
 * <pre>{@code
 * import static dev.scopedtokens.testkit.TokenAssertions.assertThat;
 *
 * assertThat(issued.token()).at(clock).isActive().hasScope(Scope.REPO_READ).hasLabel("CI");
 * assertThat(service.verify("alice", secret)).isRejectedFor(RejectionReason.EXPIRED);
 * }</pre>
 *
 * <p>Static-import it beside AssertJ's {@code Assertions.assertThat}: Java picks the overload by
 * argument type.
 */
public final class TokenAssertions {
  private TokenAssertions() {}

  /** Returns assertions on a token's metadata. */
  public static AccessTokenAssert assertThat(AccessToken actual) {
    return new AccessTokenAssert(actual);
  }

  /** Returns assertions on the outcome of a verification. */
  public static VerificationResultAssert assertThat(VerificationResult actual) {
    return new VerificationResultAssert(actual);
  }
}
