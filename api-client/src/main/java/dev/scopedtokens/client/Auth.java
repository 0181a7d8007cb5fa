package dev.scopedtokens.client;

/** Where the request pipeline gets the bearer JWT from, and whom it tells about a 401. */
interface Auth {
  /** Returns a JWT that has not reached its renewal time, logging in first when needed. */
  String bearer();

  /**
   * Forgets {@code rejected} after the server answered 401 to it, so that the next {@link
   * #bearer()} logs in again. Returns false when the JWT cannot be renewed (it was given as is).
   */
  boolean renewAfterUnauthorized(String rejected);

  /** Returns whether the current session was opened with a personal access token. */
  boolean accessTokenSession();
}
