package dev.scopedtokens.token;

/** The status of a token, derived from its flags and the clock (see {@link AccessToken#status}). */
public enum TokenStatus {
  /** Usable. */
  ACTIVE,
  /** Deactivated by its owner; can be activated again. */
  INACTIVE,
  /** Past its expiry; can only be deleted. */
  EXPIRED,
  /** Revoked, which is irreversible; can only be deleted. */
  REVOKED;

  /** Returns whether a token in this status can no longer change, other than by deletion. */
  public boolean isFinal() {
    return this == EXPIRED || this == REVOKED;
  }
}
