package dev.scopedtokens.client;

import dev.scopedtokens.internal.Messages;

/**
 * A response body that cannot be read as the API describes it. The message names the field and the
 * problem. Values are quoted only for fields that are not secret, and only by {@link
 * #describe(Redactor)}: redacted first, then quoted and cut by the core's {@link Messages#quote}.
 * It never has a cause: the causes the JDK's parsers make quote the server's text.
 */
final class WireException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The field, when the problem is a value the server sent; null otherwise. */
  private final String field;

  /** The server's value, kept out of {@link #getMessage()}; null when there is none. */
  private final String value;

  /** A problem that quotes no value. */
  WireException(String message) {
    super(message);
    this.field = null;
    this.value = null;
  }

  /**
   * A value of a non-secret field that does not fit. {@link #getMessage()} leaves the value out;
   * {@link #describe(Redactor)} quotes it, redacted before it is cut.
   */
  WireException(String field, String value, String problem) {
    super(field + ": the value " + problem);
    this.field = field;
    this.value = value;
  }

  /** The problem for a message: the value redacted first, then quoted and cut by the core. */
  String describe(Redactor redactor) {
    if (value == null) {
      return getMessage();
    }
    return field
        + ": "
        + Messages.quote(redactor.redact(value))
        + getMessage().substring(field.length() + ": the value".length());
  }
}
