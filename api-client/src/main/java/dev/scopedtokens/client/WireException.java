package dev.scopedtokens.client;

/**
 * A response body that cannot be read as the API describes it. The message names the field and the
 * problem; values are quoted only for fields that are not secret, and the message reaches a user
 * only through {@link Redactor#clean}. It never has a cause: the causes the JDK's parsers make
 * quote the server's text.
 */
final class WireException extends Exception {
  private static final long serialVersionUID = 1L;

  WireException(String message) {
    super(message);
  }
}
