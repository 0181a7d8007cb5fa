package dev.scopedtokens.robustness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends raw bytes to a loopback server over a fresh connection, closes the sending side, and reads
 * everything the server answers until it closes the connection. Nothing here interprets HTTP beyond
 * finding the status lines in the answer.
 */
final class RawHttp {
  /** A guard against a server that never closes: far beyond any answer the fake gives. */
  private static final int READ_TIMEOUT_MILLIS = 20_000;

  private static final int MAX_ANSWER_BYTES = 4 << 20;
  private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.[01] ([0-9]{3})");

  /** What came back: the raw bytes, and whether the server closed the connection. */
  record Answer(byte[] bytes, boolean closed) {
    /** Returns the status of every response in the answer, in order (pipelined requests). */
    List<Integer> statuses() {
      Matcher matcher = STATUS_LINE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
      List<Integer> statuses = new ArrayList<>();
      while (matcher.find()) {
        statuses.add(Integer.parseInt(matcher.group(1)));
      }
      return statuses;
    }

    @Override
    public String toString() {
      String text = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1);
      return "Answer[" + bytes.length + " bytes, closed=" + closed + ": " + text + "]";
    }
  }

  private RawHttp() {}

  /** Sends {@code request} to 127.0.0.1:{@code port} and reads the whole answer. */
  static Answer exchange(int port, byte[] request) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      try {
        socket.getOutputStream().write(request);
        socket.shutdownOutput();
      } catch (IOException serverClosedFirst) {
        // The server may answer and close before reading everything; read what it said.
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) >= 0 && answer.size() < MAX_ANSWER_BYTES; ) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException stillOpen) {
        return new Answer(answer.toByteArray(), false);
      } catch (IOException reset) {
        // A reset after the answer is a close as far as the client can tell.
      }
      return new Answer(answer.toByteArray(), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach 127.0.0.1:" + port, e);
    }
  }
}
