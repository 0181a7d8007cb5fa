package dev.scopedtokens.client;

import java.util.Optional;

/**
 * The server failed (5xx). Requests that are safe to repeat were already retried on 502, 503 and
 * 504 as the retry policy allowed.
 */
public final class HubServerException extends HubException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param status the status, 500 to 599
   * @param serverMessage the server's explanation, if any
   * @param attempts the requests the call sent
   */
  HubServerException(String message, int status, Optional<String> serverMessage, int attempts) {
    super(message, requireStatus(status, 500, 599), serverMessage, attempts, null);
  }
}
