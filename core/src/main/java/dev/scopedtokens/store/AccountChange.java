package dev.scopedtokens.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What a {@link TokenStore#update} function decided: tokens to put, tokens to delete, and a result
 * for the caller. The store applies all of it atomically or none of it.
 *
 * <p>Immutable; {@link #andPut} and {@link #andDelete} return new instances.
 *
 * <pre>{@code
 * AccountChange<AccessToken> change =
 *     AccountChange.put(newToken, newToken.token()).andDelete(evicted.token().id());
 * }</pre>
 *
 * @param <R> the type of the result handed back by {@link TokenStore#update}
 */
public final class AccountChange<R> {
  private final List<StoredToken> puts;
  private final List<UUID> deletes;
  private final R result;

  private AccountChange(List<StoredToken> puts, List<UUID> deletes, R result) {
    this.puts = puts;
    this.deletes = deletes;
    this.result = Objects.requireNonNull(result, "result");
    Set<UUID> seen = new HashSet<>();
    for (StoredToken put : puts) {
      if (!seen.add(put.token().id())) {
        throw new IllegalArgumentException(
            "puts: token " + put.token().id() + " appears more than once; each token at most once");
      }
    }
    for (UUID delete : deletes) {
      if (!seen.add(delete)) {
        throw new IllegalArgumentException(
            "deletes: token " + delete + " is already put or deleted; each token at most once");
      }
    }
  }

  /** Returns a change that changes nothing and hands back {@code result}. */
  public static <R> AccountChange<R> none(R result) {
    return new AccountChange<>(List.of(), List.of(), result);
  }

  /**
   * Returns a change that inserts {@code token}, or replaces the account's token with the same id.
   */
  public static <R> AccountChange<R> put(StoredToken token, R result) {
    return none(result).andPut(token);
  }

  /** Returns a change that deletes the account's token with this id. */
  public static <R> AccountChange<R> delete(UUID id, R result) {
    return none(result).andDelete(id);
  }

  /** Returns this change with one more token to insert or replace. */
  public AccountChange<R> andPut(StoredToken token) {
    Objects.requireNonNull(token, "token");
    List<StoredToken> more = new ArrayList<>(puts);
    more.add(token);
    return new AccountChange<>(Collections.unmodifiableList(more), deletes, result);
  }

  /** Returns this change with one more token to delete. */
  public AccountChange<R> andDelete(UUID id) {
    Objects.requireNonNull(id, "id");
    List<UUID> more = new ArrayList<>(deletes);
    more.add(id);
    return new AccountChange<>(puts, Collections.unmodifiableList(more), result);
  }

  /** Returns the tokens to insert or replace, in the order they were added. */
  public List<StoredToken> puts() {
    return puts;
  }

  /** Returns the ids of the tokens to delete, in the order they were added. */
  public List<UUID> deletes() {
    return deletes;
  }

  /** Returns the value {@link TokenStore#update} hands back to its caller. */
  public R result() {
    return result;
  }

  /** Returns whether this change neither puts nor deletes anything. */
  public boolean isEmpty() {
    return puts.isEmpty() && deletes.isEmpty();
  }

  @Override
  public String toString() {
    List<UUID> putIds = new ArrayList<>();
    puts.forEach(p -> putIds.add(p.token().id()));
    return "AccountChange[puts=" + putIds + ", deletes=" + deletes + "]";
  }
}
