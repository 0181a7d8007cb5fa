package dev.scopedtokens.server.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Bytes to a server over a plain socket, and the one answer it gives (or that it gave none). */
final class RawHttp {
  private RawHttp() {}

  /** An answer: status, lower-cased header names, body; status 0 if the server closed silently. */
  record Answer(int status, Map<String, String> headers, String body) {
    boolean silent() {
      return status == 0;
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body;
    }
  }

  /** Sends {@code request}, half-closes when {@code endOutput}, and reads one answer. */
  static Answer exchange(InetSocketAddress server, byte[] request, boolean endOutput)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(server);
      // Generous: a bound on a broken test, not a timed assertion.
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        if (endOutput) {
          socket.shutdownOutput();
        }
      } catch (SocketException e) {
        // The server may answer and close before it has read everything; read what it said.
      }
      return read(socket.getInputStream());
    }
  }

  static Answer read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      int last = 0;
      int b;
      // Up to the blank line that ends the header section.
      while ((b = in.read()) >= 0) {
        head.write(b);
        last = (last << 8) | b;
        if (last == 0x0d0a0d0a) {
          break;
        }
      }
    } catch (SocketException e) {
      // A reset after the answer: keep what arrived.
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    if (text.isEmpty()) {
      return new Answer(0, Map.of(), "");
    }
    String[] lines = text.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }
}
