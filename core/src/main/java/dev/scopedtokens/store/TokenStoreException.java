package dev.scopedtokens.store;

import java.util.Objects;

/**
 * A {@link TokenStore} could not do what it was asked because its storage failed: the database was
 * unreachable, a statement timed out, a constraint was violated, the schema is of another version,
 * or conflicting writers kept the change from committing. Nothing was applied.
 *
 * <p>Unchecked. Not a {@link dev.scopedtokens.token.TokenException}: that family is the service's
 * refusals of a request, each with its fix; this is the storage failing under a valid one, which
 * the same request may get past later ({@link Kind#isTransient()}). The message says what failed
 * and what to do; it never holds a secret, a lookup key or an encoded hash, and neither does its
 * cause.
 *
 * <pre>{@code
 * try {
 *   service.create(owner, request);
 * } catch (TokenStoreException e) {
 *   if (e.kind().isTransient()) {
 *     // unavailable or conflicting for now: the caller may try again later
 *   }
 * }
 * }</pre>
 */
public final class TokenStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure; see {@link #kind()}. */
  private final Kind kind;

  /** What kind of storage failure stopped an operation. */
  public enum Kind {
    /**
     * The store could not reach its storage, or lost the connection before the change committed.
     */
    CONNECTION(true),
    /** A statement or a lock wait ran past a timeout, or was cancelled. */
    TIMEOUT(true),
    /** Conflicting writers kept the change from committing, even after the store's retries. */
    CONFLICT(true),
    /** The storage refused the values as breaking one of its constraints. */
    CONSTRAINT(false),
    /** The storage's schema is not the version this store needs. */
    SCHEMA(false),
    /** Any other failure of the storage. */
    OTHER(false);

    private final boolean isTransient;

    Kind(boolean isTransient) {
      this.isTransient = isTransient;
    }

    /** Returns whether the same operation may succeed when tried again later, unchanged. */
    public boolean isTransient() {
      return isTransient;
    }
  }

  /**
   * Creates an exception of this kind.
   *
   * @param kind what failed
   * @param message what failed and what to do, without any secret, lookup key or hash
   */
  public TokenStoreException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * Creates an exception of this kind with the failure underneath it.
   *
   * @param kind what failed
   * @param message what failed and what to do, without any secret, lookup key or hash
   * @param cause the underlying failure, which must not hold a secret, lookup key or hash either
   */
  public TokenStoreException(Kind kind, String message, Throwable cause) {
    this(kind, message);
    initCause(Objects.requireNonNull(cause, "cause"));
  }

  /** Returns what kind of failure this is. */
  public Kind kind() {
    return kind;
  }
}
