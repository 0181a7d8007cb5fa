package dev.scopedtokens.token;

import java.util.Objects;

/**
 * A request the caller could fix: a value out of range, a scope the plan does not allow, an expiry
 * in the past. Nothing was changed.
 *
 * <p>The message reads {@code "<field>: <problem>; <what is allowed>"}, for example {@code "label:
 * 101 characters; at most 100 are allowed"}. It never echoes the offending value when that value
 * came from the caller as free text (a label, an owner), so a pasted secret cannot end up in a log
 * through it.
 */
public final class InvalidTokenRequestException extends TokenException {
  private static final long serialVersionUID = 1L;

  /** The field; see {@link #field()}. */
  private final String field;

  /**
   * Creates an exception about {@code field}.
   *
   * @param field the request's field at fault, such as {@code label} or {@code expiresAt}
   * @param detail the problem and what is allowed, without the offending free-text value
   */
  InvalidTokenRequestException(String field, String detail) {
    super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(detail, "detail"));
    this.field = field;
  }

  /** Returns the field at fault, such as {@code label}, {@code scopes} or {@code expiresAt}. */
  public String field() {
    return field;
  }
}
