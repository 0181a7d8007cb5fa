package dev.scopedtokens.client.internal;

/**
 * A response body that cannot be read as the API describes it. The message names the field and the
 * problem, and never contains a secret: values are quoted only for fields that are not secret.
 */
final class WireException extends Exception {
  private static final long serialVersionUID = 1L;

  WireException(String message) {
    super(message);
  }

  WireException(String message, Throwable cause) {
    super(message, cause);
  }
}
