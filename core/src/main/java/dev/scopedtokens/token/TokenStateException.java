package dev.scopedtokens.token;

import java.util.Objects;
import java.util.UUID;

/**
 * The token's status does not allow the operation: an {@link TokenStatus#EXPIRED expired} or {@link
 * TokenStatus#REVOKED revoked} token can only be deleted. Nothing was changed.
 */
public final class TokenStateException extends TokenException {
  private static final long serialVersionUID = 1L;

  /** The id; see {@link #id()}. */
  private final UUID id;

  /** The status; see {@link #status()}. */
  private final TokenStatus status;

  /** The operation; see {@link #operation()}. */
  private final String operation;

  /**
   * Creates an exception about the token {@code id}.
   *
   * @param id the token
   * @param status its status when the operation was refused
   * @param operation the refused operation, such as {@code rename}
   */
  TokenStateException(UUID id, TokenStatus status, String operation) {
    super(
        "token "
            + Objects.requireNonNull(id, "id")
            + ": "
            + Objects.requireNonNull(operation, "operation")
            + " refused because the token is "
            + Objects.requireNonNull(status, "status")
            + "; an expired or revoked token can only be deleted");
    this.id = id;
    this.status = status;
    this.operation = operation;
  }

  /** Returns the token's id. */
  public UUID id() {
    return id;
  }

  /** Returns the token's status when the operation was refused. */
  public TokenStatus status() {
    return status;
  }

  /** Returns the refused operation, such as {@code rename} or {@code activate}. */
  public String operation() {
    return operation;
  }
}
