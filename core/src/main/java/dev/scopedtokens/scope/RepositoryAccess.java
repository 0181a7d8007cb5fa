package dev.scopedtokens.scope;

import java.util.Objects;

/**
 * What is known about one repository when deciding what a token may do there: its visibility and
 * the owner's own access to it.
 *
 * @param visibility whether anyone may pull the repository
 * @param ownerAccess the token owner's access to it in their own right
 */
public record RepositoryAccess(RepositoryVisibility visibility, OwnerAccess ownerAccess) {

  /**
   * A private repository the owner cannot reach: nothing is allowed there. Report a repository that
   * does not exist as this, so that its existence is not revealed.
   */
  public static final RepositoryAccess INACCESSIBLE =
      new RepositoryAccess(RepositoryVisibility.PRIVATE, OwnerAccess.NONE);

  /**
   * Checks that neither component is null.
   *
   * @param visibility whether anyone may pull the repository
   * @param ownerAccess the token owner's access to it in their own right
   */
  public RepositoryAccess {
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(ownerAccess, "ownerAccess");
  }

  /**
   * Returns the access to a repository with this visibility for an owner with this access.
   *
   * @param visibility whether anyone may pull the repository
   * @param ownerAccess the token owner's access to it in their own right
   */
  public static RepositoryAccess of(RepositoryVisibility visibility, OwnerAccess ownerAccess) {
    return new RepositoryAccess(visibility, ownerAccess);
  }
}
