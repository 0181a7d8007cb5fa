package dev.scopedtokens.scope;

import java.util.Objects;

/**
 * The access a token's owner has to a repository in their own right, before any token narrows it;
 * from none to the widest. A token never allows more than this.
 */
public enum OwnerAccess {
  /** The owner cannot reach the repository (a public one can still be pulled by anyone). */
  NONE,
  /** The owner may pull. */
  READ,
  /** The owner may pull and push. */
  WRITE,
  /** The owner may pull, push and delete. */
  ADMIN;

  /**
   * Returns whether this access includes everything {@code other} does.
   *
   * @param other the access to compare with
   */
  public boolean includes(OwnerAccess other) {
    Objects.requireNonNull(other, "other");
    return compareTo(other) >= 0;
  }
}
