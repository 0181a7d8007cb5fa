package dev.scopedtokens.client;

import java.util.Optional;

/**
 * The server refused to create a token because the account's plan allows no more (or does not
 * allow the requested scopes or expiry). Deleting tokens the account no longer needs, or a plan
 * with a higher limit, makes room. Never retried.
 */
public final class HubPlanLimitException extends HubException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param status the response's status, 400 to 499
   * @param serverMessage the server's explanation, if any
   * @param attempts the requests the call sent
   */
  public HubPlanLimitException(
      String message, int status, Optional<String> serverMessage, int attempts) {
    super(message, requireStatus(status, 400, 499), serverMessage, attempts, null);
  }
}
