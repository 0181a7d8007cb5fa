package dev.scopedtokens.token;

import dev.scopedtokens.secret.TokenSecret;

/**
 * The one capability a registry, a filter or a token endpoint needs: check a presented token.
 * {@link TokenService} implements it; hand a component this interface alone, as Tink hands out a
 * {@code Mac} rather than a key manager, so that it can verify tokens and do nothing else.
 *
 * <pre>{@code
 * TokenVerifier verifier = tokens; // a TokenService
 * if (verifier.verify(username, TokenSecret.of(password))
 *     instanceof VerificationResult.Verified verified) {
 *   grant(verified.token().scopes());
 * } else {
 *   deny();
 * }
 * }</pre>
 *
 * <p>Every rejection is a result, never an exception, and every rejection looks the same from
 * outside: same path, same work, whatever the reason. Implementations are thread-safe.
 */
public interface TokenVerifier {
  /**
   * Verifies a presented token for whichever account holds it.
   *
   * @return {@link VerificationResult.Verified} or {@link VerificationResult.Rejected}; never
   *     throws for a bad token
   */
  VerificationResult verify(TokenSecret presented);

  /**
   * Verifies a presented token for the account the client named (as in a login with a user name and
   * a token): a valid token of another account is rejected with {@link
   * RejectionReason#WRONG_OWNER}.
   *
   * @return {@link VerificationResult.Verified} or {@link VerificationResult.Rejected}; never
   *     throws for a bad token
   */
  VerificationResult verify(String account, TokenSecret presented);
}
