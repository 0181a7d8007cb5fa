package dev.scopedtokens.client;

import java.util.Optional;

/**
 * The server answered with a status the API does not use for this call (a redirect, 405, 409, 999
 * and so on), or with a body or framing the client cannot read, or with paging links the client
 * will not follow (to another origin, or on without end). {@link #status()} is the status as the
 * server sent it, the same that the message names.
 */
public final class HubUnexpectedResponseException extends HubException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param status the response's status as sent, 100 to 999, or 0 when there was none or it was not
   *     an HTTP status
   * @param serverMessage the server's explanation, if any
   * @param attempts the requests the call sent
   */
  HubUnexpectedResponseException(
      String message, int status, Optional<String> serverMessage, int attempts) {
    super(
        message, status == 0 ? 0 : requireStatus(status, 100, 999), serverMessage, attempts, null);
  }
}
