package dev.scopedtokens.server.accounts;

import dev.scopedtokens.scope.RepositoryAccess;
import java.util.Optional;

/**
 * What the server asks the registry about its accounts and repositories: the SPI that a registry
 * implements (the standalone server ships a file-based one). The server has no rules of its own;
 * with these answers, every decision about tokens and scopes is the core's.
 *
 * <p>Implementations are thread-safe, and must not reveal through their timing which accounts
 * exist: {@link #authenticate} spends the same work on an unknown account as on a wrong password.
 */
public interface AccountDirectory {
  /**
   * Checks an account's password.
   *
   * @param username the name the client gave; may be anything, including empty
   * @param password the password the client gave; may be anything, including empty
   * @return the account when the password is right; empty for an unknown account or a wrong
   *     password alike
   */
  Optional<Account> authenticate(String username, String password);

  /**
   * Checks a second-factor code (a TOTP code) for an account with two-factor authentication. A code
   * is good once: a replay within its time step is refused (RFC 6238 §5.2).
   *
   * @param account an account that {@link #authenticate} returned
   * @param code the code the client gave; may be anything, including empty
   * @return whether the code is right and unused
   */
  boolean verifySecondFactor(Account account, String code);

  /**
   * A repository's visibility and an account's own access to it, before any token narrows it.
   * Report a repository that does not exist as {@link RepositoryAccess#INACCESSIBLE}, so that its
   * existence is not revealed.
   *
   * @param account the account, or empty for an anonymous request
   * @param repository the repository name, such as {@code team/app}
   */
  RepositoryAccess repositoryAccess(Optional<String> account, String repository);

  /**
   * Whether an account may list the registry's catalog ({@code registry:catalog:*}). No account
   * may, unless the directory says so.
   */
  default boolean mayListCatalog(String account) {
    return false;
  }
}
