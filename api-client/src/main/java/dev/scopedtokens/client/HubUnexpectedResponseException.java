package dev.scopedtokens.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The server answered with a status the API does not use for this call (a redirect, 405, 409 and so
 * on), or with a body the client cannot read, or with a paging link to another origin.
 */
public final class HubUnexpectedResponseException extends HubException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param status the response's status, 100 to 599
   * @param serverMessage the server's explanation, if any
   * @param attempts the requests the call sent
   */
  public HubUnexpectedResponseException(
      String message, int status, Optional<String> serverMessage, int attempts) {
    super(message, requireStatus(status, 100, 599), serverMessage, attempts, null);
  }

  /**
   * Creates the exception for a body that could not be read.
   *
   * @param message what failed; never a secret
   * @param status the response's status, 100 to 599
   * @param attempts the requests the call sent
   * @param cause why the body could not be read
   */
  public HubUnexpectedResponseException(String message, int status, int attempts, Throwable cause) {
    super(
        message,
        requireStatus(status, 100, 599),
        Optional.empty(),
        attempts,
        Objects.requireNonNull(cause, "cause"));
  }
}
