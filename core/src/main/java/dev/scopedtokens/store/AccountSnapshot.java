package dev.scopedtokens.store;

import dev.scopedtokens.token.TokenOrigin;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A consistent, read-only view of one account's tokens, handed to the function of {@link
 * TokenStore#update}. It is valid only during that call: while it is in use no other change to the
 * account can commit, so whatever the function decides from it (a plan limit, which token to evict)
 * still holds when its {@link AccountChange} is applied.
 *
 * <p>A store may answer the methods lazily (a JDBC store from queries inside the transaction that
 * locked the account); they must all reflect the same state.
 */
public interface AccountSnapshot {

  /** Returns the account this snapshot is of. */
  String owner();

  /** Returns the account's token with this id, or empty when the account holds none. */
  Optional<StoredToken> find(UUID id);

  /** Returns how many tokens of this origin the account holds, whatever their status. */
  long count(TokenOrigin origin);

  /**
   * Returns the account's tokens of this origin, whatever their status, newest first ({@link
   * TokenStore#NEWEST_FIRST}). The list is unmodifiable.
   */
  List<StoredToken> tokens(TokenOrigin origin);
}
