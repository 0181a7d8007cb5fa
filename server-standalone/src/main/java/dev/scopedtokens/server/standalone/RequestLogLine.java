package dev.scopedtokens.server.standalone;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * One {@code key=value} line per request: time, client address, method, path, status and duration.
 * Never the query, a header or a body, where credentials travel; a path is printed only if it is
 * plain visible ASCII without quotes (otherwise {@code path=-}), so that no line can be forged.
 */
final class RequestLogLine implements RequestLog {
  private final PrintStream out;
  private final Clock clock;

  RequestLogLine(PrintStream out, Clock clock) {
    this.out = Objects.requireNonNull(out, "out");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void log(Request request, Response response) {
    long started = Request.getTimeStamp(request);
    long millis = Math.max(0, clock.millis() - started);
    String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    String line =
        "time="
            + Instant.ofEpochMilli(clock.millis())
            + " event=request remote="
            + safe(Request.getRemoteAddr(request))
            + " method="
            + safe(request.getMethod())
            + " path="
            + safe(path)
            + " status="
            + response.getStatus()
            + " ms="
            + millis;
    synchronized (out) {
      out.println(line);
    }
  }

  /**
   * Prints {@code text} only when it is short visible ASCII that cannot break the line's format.
   */
  static String safe(String text) {
    if (text == null || text.isEmpty() || text.length() > 200) {
      return "-";
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == '=' || c == '\\') {
        return "-";
      }
    }
    return text;
  }
}
