package dev.scopedtokens.client;

import java.util.Optional;

/**
 * The token (or path) does not exist for this account (404). A delete retried after a lost response
 * can also end here, with {@link #attempts()} above 1, when the first attempt succeeded.
 */
public final class HubNotFoundException extends HubException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param serverMessage the server's explanation, if any
   * @param attempts the requests the call sent
   */
  HubNotFoundException(String message, Optional<String> serverMessage, int attempts) {
    super(message, 404, serverMessage, attempts, null);
  }
}
