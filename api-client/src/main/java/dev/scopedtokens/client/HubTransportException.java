package dev.scopedtokens.client;

import java.util.Objects;
import java.util.Optional;

/**
 * No HTTP response arrived: the connection failed, a timeout passed, the I/O broke off or the
 * calling thread was interrupted (its interrupt flag is set again before this is thrown).
 */
public final class HubTransportException extends HubException {
  private static final long serialVersionUID = 1L;

  /** What went wrong below HTTP. */
  public enum Kind {
    /** The connection could not be made (refused, unreachable, or the connect timeout passed). */
    CONNECT,
    /** The connection was made but the response did not arrive within the request timeout. */
    TIMEOUT,
    /** The connection broke off while the request or the response was under way. */
    IO,
    /** The calling thread was interrupted while sending or waiting to retry. */
    INTERRUPTED
  }

  /** What went wrong. */
  private final Kind kind;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param kind what went wrong
   * @param attempts the requests the call sent
   * @param cause the underlying exception
   */
  HubTransportException(String message, Kind kind, int attempts, Throwable cause) {
    super(message, 0, Optional.empty(), attempts, Objects.requireNonNull(cause, "cause"));
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * What went wrong.
   *
   * @return the kind of failure
   */
  public Kind kind() {
    return kind;
  }
}
