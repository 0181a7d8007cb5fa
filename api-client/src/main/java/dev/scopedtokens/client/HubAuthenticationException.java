package dev.scopedtokens.client;

import java.util.Optional;

/**
 * The server did not accept the credentials (401): a failed login, a missing second factor, or a
 * JWT that was refused even after the client renewed it once.
 */
public final class HubAuthenticationException extends HubException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param serverMessage the server's explanation, if any
   * @param attempts the requests the call sent
   */
  HubAuthenticationException(String message, Optional<String> serverMessage, int attempts) {
    super(message, 401, serverMessage, attempts, null);
  }
}
