package dev.scopedtokens.server.jdk;

import java.io.Serial;

/**
 * Thrown by an {@link dev.scopedtokens.server.http.HttpEndpoint} mounted on a {@link JdkHttpServer}
 * to close the connection without any answer, as a network failure would. Test doubles use it to
 * play a dropped connection; other adapters treat it as any other failure.
 */
public final class DropConnectionException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** A drop; it carries no message and no stack trace. */
  public DropConnectionException() {
    super("connection dropped on purpose", null, false, false);
  }
}
