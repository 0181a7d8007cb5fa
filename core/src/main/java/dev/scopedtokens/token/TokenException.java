package dev.scopedtokens.token;

/**
 * The base of every exception the token service throws for a refused operation. Unchecked. The
 * message names the field or token, the problem and what is allowed; it never contains a secret.
 */
public class TokenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with this message, which must not contain a secret. */
  public TokenException(String message) {
    super(message);
  }
}
