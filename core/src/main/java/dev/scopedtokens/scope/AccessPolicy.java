package dev.scopedtokens.scope;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a token may do: the one place where scopes, repository visibility and the owner's own access
 * meet.
 *
 * <p>The rules, for a token whose {@linkplain Scope#effective(Collection) effective scope} is the
 * highest it carries:
 *
 * <table class="striped">
 *   <caption>Actions each scope allows, before the owner's own access limits them</caption>
 *   <thead><tr><th>scope</th><th>public repository</th><th>private repository</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code repo:public_read}</td><td>pull</td><td>nothing</td></tr>
 *     <tr><td>{@code repo:read}</td><td>pull</td><td>pull</td></tr>
 *     <tr><td>{@code repo:write}</td><td>pull, push</td><td>pull, push</td></tr>
 *     <tr><td>{@code repo:admin}</td><td>pull, push, delete</td><td>pull, push, delete</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>The owner's access then caps the result, so a token never allows more than its owner has:
 * pulling a private repository needs {@link OwnerAccess#READ}, pushing needs {@link
 * OwnerAccess#WRITE} and deleting needs {@link OwnerAccess#ADMIN}. Pulling a <em>public</em>
 * repository needs no access at all, as on Docker Hub where anyone may pull one, so every scope
 * pulls public repositories whatever the owner's access. A token with no scope allows nothing.
 *
 * <p>No token may ever administer its account ({@link AccountAction}): there is nothing to decide,
 * and {@link #accountDenial(AccountAction)} says why.
 *
 * <pre>{@code
 * Set<RegistryAction> actions = AccessPolicy.allowedActions(
 *     token.scopes(), RepositoryVisibility.PRIVATE, OwnerAccess.WRITE);   // for repo:write: [PULL, PUSH]
 * RepositoryDecision push = AccessPolicy.decide(
 *     Set.of(Scope.REPO_READ), RepositoryVisibility.PRIVATE, OwnerAccess.ADMIN, RegistryAction.PUSH);
 * push.allowed();   // false
 * push.reason();    // "push denied: scope repo:read does not allow push; it needs repo:write or higher"
 * }</pre>
 */
public final class AccessPolicy {

  private AccessPolicy() {}

  /**
   * Returns the registry actions a token with these scopes may do on a repository: never more than
   * the owner may do; unmodifiable.
   *
   * @param scopes the token's scopes; empty allows nothing
   * @param visibility the repository's visibility
   * @param ownerAccess the token owner's own access to the repository
   */
  public static Set<RegistryAction> allowedActions(
      Collection<Scope> scopes, RepositoryVisibility visibility, OwnerAccess ownerAccess) {
    EnumSet<RegistryAction> allowed = EnumSet.noneOf(RegistryAction.class);
    for (RegistryAction action : RegistryAction.values()) {
      if (decide(scopes, visibility, ownerAccess, action).allowed()) {
        allowed.add(action);
      }
    }
    return Collections.unmodifiableSet(allowed);
  }

  /**
   * Returns the registry actions a token with these scopes may do on a repository: never more than
   * the owner may do; unmodifiable.
   *
   * @param scopes the token's scopes; empty allows nothing
   * @param repository the repository's visibility and the owner's access to it
   */
  public static Set<RegistryAction> allowedActions(
      Collection<Scope> scopes, RepositoryAccess repository) {
    Objects.requireNonNull(repository, "repository");
    return allowedActions(scopes, repository.visibility(), repository.ownerAccess());
  }

  /**
   * Decides whether a token with these scopes may do {@code action} on a repository, and says why.
   *
   * @param scopes the token's scopes; empty allows nothing
   * @param visibility the repository's visibility
   * @param ownerAccess the token owner's own access to the repository
   * @param action the action asked for
   * @return the decision, with a reason fit for a log line or an error message
   */
  public static RepositoryDecision decide(
      Collection<Scope> scopes,
      RepositoryVisibility visibility,
      OwnerAccess ownerAccess,
      RegistryAction action) {
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(ownerAccess, "ownerAccess");
    Objects.requireNonNull(action, "action");
    String verb = action.wireValue();
    if (scopes.isEmpty()) {
      return deny(action, verb + " denied: the token carries no scope");
    }
    Scope effective = Scope.effective(scopes);
    Scope neededScope = neededScope(action, visibility);
    if (!effective.implies(neededScope)) {
      return deny(
          action,
          verb
              + " denied: scope "
              + effective.wireValue()
              + " does not allow "
              + verb
              + (action == RegistryAction.PULL ? " on a private repository" : "")
              + "; it needs "
              + neededScope.wireValue()
              + " or higher");
    }
    OwnerAccess neededAccess = neededOwnerAccess(action, visibility);
    if (!ownerAccess.includes(neededAccess)) {
      return deny(
          action,
          verb
              + " denied: the token's owner has "
              + describe(ownerAccess)
              + " to this "
              + describe(visibility)
              + " repository and "
              + verb
              + " needs "
              + describe(neededAccess)
              + "; a token never allows more than its owner may do");
    }
    if (neededAccess == OwnerAccess.NONE) {
      return new RepositoryDecision(
          action,
          true,
          verb
              + " allowed: the repository is public and scope "
              + effective.wireValue()
              + " pulls public repositories");
    }
    return new RepositoryDecision(
        action,
        true,
        verb
            + " allowed: scope "
            + effective.wireValue()
            + " allows it and the token's owner has "
            + describe(ownerAccess)
            + " to this "
            + describe(visibility)
            + " repository");
  }

  /**
   * Decides whether a token with these scopes may do {@code action} on a repository, and says why.
   *
   * @param scopes the token's scopes; empty allows nothing
   * @param repository the repository's visibility and the owner's access to it
   * @param action the action asked for
   * @return the decision, with a reason fit for a log line or an error message
   */
  public static RepositoryDecision decide(
      Collection<Scope> scopes, RepositoryAccess repository, RegistryAction action) {
    Objects.requireNonNull(repository, "repository");
    return decide(scopes, repository.visibility(), repository.ownerAccess(), action);
  }

  /**
   * Returns why no token may do {@code action}, fit for an error message. There is no decision to
   * make: a token never administers its account, whatever its scopes, not even {@code repo:admin};
   * account administration needs a session that began with the password.
   *
   * <pre>{@code
   * // a request to change the password arrived with a token
   * return forbidden(AccessPolicy.accountDenial(AccountAction.CHANGE_PASSWORD));
   * }</pre>
   */
  public static String accountDenial(AccountAction action) {
    Objects.requireNonNull(action, "action");
    String because =
        action == AccountAction.MANAGE_ACCESS_TOKENS
            ? "a session that began with an access token may not " + action.description()
            : "an access token may never " + action.description() + ", whatever its scopes";
    return "denied: " + because + "; sign in with the account's password instead";
  }

  /** The lowest scope that allows {@code action} on a repository of this visibility. */
  private static Scope neededScope(RegistryAction action, RepositoryVisibility visibility) {
    return switch (action) {
      case PULL ->
          visibility == RepositoryVisibility.PUBLIC ? Scope.REPO_PUBLIC_READ : Scope.REPO_READ;
      case PUSH -> Scope.REPO_WRITE;
      case DELETE -> Scope.REPO_ADMIN;
    };
  }

  /** The owner's access that {@code action} needs; pulling a public repository needs none. */
  private static OwnerAccess neededOwnerAccess(
      RegistryAction action, RepositoryVisibility visibility) {
    return switch (action) {
      case PULL -> visibility == RepositoryVisibility.PUBLIC ? OwnerAccess.NONE : OwnerAccess.READ;
      case PUSH -> OwnerAccess.WRITE;
      case DELETE -> OwnerAccess.ADMIN;
    };
  }

  private static RepositoryDecision deny(RegistryAction action, String reason) {
    return new RepositoryDecision(action, false, reason);
  }

  private static String describe(OwnerAccess access) {
    return access == OwnerAccess.NONE
        ? "no access"
        : access.name().toLowerCase(Locale.ROOT) + " access";
  }

  private static String describe(RepositoryVisibility visibility) {
    return visibility.name().toLowerCase(Locale.ROOT);
  }
}
