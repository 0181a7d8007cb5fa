package dev.scopedtokens.token;

import java.util.Objects;
import java.util.UUID;

/**
 * The account holds no token with this id. A token of another account is reported the same way, so
 * that an id reveals nothing about accounts the caller does not own.
 */
public final class TokenNotFoundException extends TokenException {
  private static final long serialVersionUID = 1L;

  /** The id; see {@link #id()}. */
  private final UUID id;

  /** Creates an exception about the token {@code id}. */
  TokenNotFoundException(UUID id) {
    super(
        "token "
            + Objects.requireNonNull(id, "id")
            + ": not found; give the id of a token this account holds");
    this.id = id;
  }

  /** Returns the id that was asked for. */
  public UUID id() {
    return id;
  }
}
