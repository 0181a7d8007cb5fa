package dev.scopedtokens.token;

/**
 * The base of every exception the token service throws for a refused operation. Unchecked. The
 * message names the field or token, the problem and what is allowed; it never contains a secret.
 *
 * <p>Sealed, so a caller can handle every refusal in one exhaustive switch: {@link
 * InvalidTokenRequestException} (fix the request), {@link PlanLimitExceededException} (free a slot
 * or change plan), {@link TokenNotFoundException} and {@link TokenStateException}.
 */
public abstract sealed class TokenException extends RuntimeException
    permits InvalidTokenRequestException,
        PlanLimitExceededException,
        TokenNotFoundException,
        TokenStateException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with this message, which must not contain a secret. */
  TokenException(String message) {
    super(message);
  }
}
