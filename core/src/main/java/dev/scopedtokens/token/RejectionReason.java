package dev.scopedtokens.token;

/**
 * Why a presented token was rejected. For logs and metrics only: tell the client nothing more than
 * that the token was not accepted, so that a guesser learns nothing.
 */
public enum RejectionReason {
  /**
   * Not a token of this format: wrong prefix, length, alphabet or checksum. Nothing was looked up.
   */
  MALFORMED,
  /** Well formed, but no token has this lookup key. */
  UNKNOWN,
  /** A token has this lookup key, but the secret does not match its hash. */
  WRONG_SECRET,
  /** The token was deactivated by its owner. */
  INACTIVE,
  /** The token is past its expiry. */
  EXPIRED,
  /** The token was revoked. */
  REVOKED,
  /** The token belongs to another account than the one the client named. */
  WRONG_OWNER
}
