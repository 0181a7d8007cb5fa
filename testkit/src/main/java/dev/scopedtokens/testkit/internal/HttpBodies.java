package dev.scopedtokens.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies with a hard size limit. */
final class HttpBodies {
  /** The largest request body the fake reads: 1 MiB, far above any body of the API. */
  static final int MAX_BODY_BYTES = 1 << 20;

  /**
   * How much of an oversized body is still read and thrown away, so that the client has finished
   * sending and reads the 413 instead of a reset connection; beyond it the connection is closed.
   */
  private static final long MAX_DRAIN_BYTES = 16L << 20;

  private HttpBodies() {}

  /**
   * Reads the whole body.
   *
   * @throws HttpError 413 when it is longer than {@link #MAX_BODY_BYTES}
   */
  static byte[] read(InputStream in, long declaredLength) throws IOException {
    if (declaredLength > MAX_BODY_BYTES) {
      drain(in);
      throw tooLarge();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) != -1) {
      if (out.size() + n > MAX_BODY_BYTES) {
        drain(in);
        throw tooLarge();
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while (total < MAX_DRAIN_BYTES && (n = in.read(buffer)) != -1) {
      total += n;
    }
  }

  private static HttpError tooLarge() {
    return new HttpError(
        413,
        new Wire.ErrorBody(
            "Request body too large: at most " + MAX_BODY_BYTES + " bytes",
            "request body too large",
            null));
  }
}
