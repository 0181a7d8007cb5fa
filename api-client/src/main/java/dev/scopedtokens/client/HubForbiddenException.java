package dev.scopedtokens.client;

import java.util.Optional;

/**
 * The server understood who is calling and refused (403). The common case on Docker Hub: a session
 * that began with a personal access token may not manage access tokens; {@link
 * #accessTokenSession()} says when the client recognised that case.
 */
public final class HubForbiddenException extends HubException {
  private static final long serialVersionUID = 1L;

  /** Whether the session was opened with a personal access token. */
  private final boolean accessTokenSession;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param serverMessage the server's explanation, if any
   * @param accessTokenSession whether the refusal is because the session began with an access token
   * @param attempts the requests the call sent
   */
  HubForbiddenException(
      String message, Optional<String> serverMessage, boolean accessTokenSession, int attempts) {
    super(message, 403, serverMessage, attempts, null);
    this.accessTokenSession = accessTokenSession;
  }

  /**
   * Returns whether the server refused because the session was opened with a personal access token,
   * which may not manage access tokens; log in with the account's password instead.
   *
   * @return true when the refusal is Docker Hub's rule for access-token sessions
   */
  public boolean accessTokenSession() {
    return accessTokenSession;
  }
}
