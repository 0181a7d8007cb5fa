package dev.scopedtokens.server.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpLimits;
import dev.scopedtokens.server.http.HttpRequestException;
import dev.scopedtokens.server.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK transport over raw sockets on 127.0.0.1: limits, deadlines and slow clients. Nothing
 * sleeps; a socket read timeout only guards against a hang.
 */
class JdkHttpServerTest {
  /** How long a test waits for an answer before calling the server hung: a guard, not a figure. */
  private static final int HANG_GUARD_MILLIS = 60_000;

  private static final HttpEndpoint ECHO_LENGTH =
      request -> HttpResponse.json(200, "{\"bytes\":" + request.bodyLength() + "}");

  private final List<Socket> sockets = new ArrayList<>();
  private JdkHttpServer server;

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void answersAWholeRequest() throws IOException {
    server = JdkHttpServer.builder(ECHO_LENGTH).start();

    String answer = exchange(post("/x", "hello"));

    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("{\"bytes\":5}");
    assertThat(server.baseUri().toString()).startsWith("http://127.0.0.1:");
  }

  @Test
  void eightSlowHeaderSenders_andEightUnfinishedBodies_doNotStopOtherRequests() throws IOException {
    // Before: eight handler threads and no deadline, and each of these held one until it left.
    server =
        JdkHttpServer.builder(ECHO_LENGTH).limits(limits(64 * 1024, Duration.ofHours(1))).start();
    for (int i = 0; i < 8; i++) {
      Socket slow = connect();
      slow.getOutputStream().write("GET /x HT".getBytes(StandardCharsets.US_ASCII));
      Socket unfinished = connect();
      unfinished
          .getOutputStream()
          .write(
              "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc"
                  .getBytes(StandardCharsets.US_ASCII));
    }

    assertThat(exchange(post("/x", "hello"))).startsWith("HTTP/1.1 200");
  }

  @Test
  void aClientThatSendsTooSlowly_isCutOffAtTheReadDeadline_andFreesItsThread() throws IOException {
    server =
        JdkHttpServer.builder(ECHO_LENGTH)
            .maxConcurrentRequests(1)
            .limits(limits(64 * 1024, Duration.ofMillis(200)))
            .start();
    Socket slow = connect();
    slow.getOutputStream()
        .write(
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc"
                .getBytes(StandardCharsets.US_ASCII));

    // The only thread is the slow client's until its deadline; then this one is answered.
    assertThat(exchange(post("/x", "hello"))).startsWith("HTTP/1.1 200");
    assertThat(slow.getInputStream().read()).isEqualTo(-1);
  }

  @Test
  void bodyOverTheLimit_is413WithJson_andTheConnectionCloses() throws IOException {
    server = JdkHttpServer.builder(ECHO_LENGTH).limits(limits(10, Duration.ofMinutes(1))).start();

    String answer = exchange(post("/x", "x".repeat(11)));

    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(header(answer, "content-type")).startsWith("application/json");
    assertThat(header(answer, "connection")).isEqualToIgnoringCase("close");
    assertThat(body(answer)).contains("\"message\":\"body: over 10 bytes");
  }

  @Test
  void chunkedBodyOverTheLimit_is413() throws IOException {
    server = JdkHttpServer.builder(ECHO_LENGTH).limits(limits(10, Duration.ofMinutes(1))).start();

    String answer =
        exchange(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 413");
  }

  @Test
  void malformedChunkedBody_is400WithJson() throws IOException {
    server = JdkHttpServer.builder(ECHO_LENGTH).start();

    String answer =
        exchange("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(header(answer, "content-type")).startsWith("application/json");
    assertThat(body(answer)).contains("chunked");
  }

  @Test
  void moreHeaderFieldsThanTheLimit_is431WithJson() throws IOException {
    server = JdkHttpServer.builder(ECHO_LENGTH).start();
    StringBuilder request = new StringBuilder("GET /x HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < 150; i++) {
      request.append("X-").append(i).append(": v\r\n");
    }

    String answer = exchange(request.append("\r\n").toString());

    assertThat(answer).startsWith("HTTP/1.1 431");
    assertThat(body(answer)).contains("more than 100 fields");
  }

  @Test
  void headerSectionOverTheLimit_is431WithJson() throws IOException {
    server = JdkHttpServer.builder(ECHO_LENGTH).start();

    String answer =
        exchange("GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + "v".repeat(20_000) + "\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 431");
    assertThat(header(answer, "content-type")).startsWith("application/json");
  }

  @Test
  void requestException_isAnsweredWithItsStatus() throws IOException {
    server =
        JdkHttpServer.builder(
                request -> {
                  throw new HttpRequestException(409, "conflict", "taken");
                })
            .start();

    String answer = exchange("GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 409").contains("\"message\":\"taken\"");
  }

  @Test
  void endpointBug_is500WithJson_andTheServerGoesOn() throws IOException {
    server =
        JdkHttpServer.builder(
                request -> {
                  if (request.path().equals("/bug")) {
                    throw new IllegalStateException("bug");
                  }
                  return HttpResponse.empty(204);
                })
            .start();

    assertThat(exchange("GET /bug HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 500");
    assertThat(exchange("GET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 204");
  }

  @Test
  void dropConnection_closesWithoutAnyAnswer() throws IOException {
    server =
        JdkHttpServer.builder(
                request -> {
                  throw new DropConnectionException();
                })
            .start();

    assertThat(exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n")).isEmpty();
  }

  @Test
  void head_isAnsweredWithoutABody() throws IOException {
    server = JdkHttpServer.builder(ECHO_LENGTH).start();

    String answer = exchange("HEAD /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(body(answer)).isEmpty();
  }

  @Test
  void keptAliveConnection_servesASecondRequest() throws IOException {
    server = JdkHttpServer.builder(ECHO_LENGTH).start();
    Socket socket = connect();
    OutputStream out = socket.getOutputStream();

    out.write(post("/x", "ab", false).getBytes(StandardCharsets.US_ASCII));
    String first = readAnswer(socket.getInputStream());
    out.write(post("/x", "abc").getBytes(StandardCharsets.US_ASCII));
    String second = readAnswer(socket.getInputStream());

    assertThat(first).endsWith("{\"bytes\":2}");
    assertThat(second).endsWith("{\"bytes\":3}");
  }

  @Test
  void close_isIdempotent_andFreesThePort() throws IOException {
    server = JdkHttpServer.builder(ECHO_LENGTH).start();
    int port = server.address().getPort();

    server.close();
    server.close();

    try (JdkHttpServer again = JdkHttpServer.builder(ECHO_LENGTH).loopbackPort(port).start()) {
      assertThat(again.address().getPort()).isEqualTo(port);
    }
  }

  private static HttpLimits limits(int maxBody, Duration readTimeout) {
    return new HttpLimits(maxBody, 16 * 1024, 100, readTimeout, Duration.ofSeconds(30));
  }

  private static String post(String path, String body) {
    return post(path, body, true);
  }

  private static String post(String path, String body, boolean close) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: a\r\n"
        + (close ? "Connection: close\r\n" : "")
        + "Content-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(server.address().getAddress(), server.address().getPort());
    socket.setSoTimeout(HANG_GUARD_MILLIS);
    sockets.add(socket);
    return socket;
  }

  /** Sends {@code request} on a new connection and reads until the server closes it. */
  private String exchange(String request) throws IOException {
    Socket socket = connect();
    try {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    } catch (IOException closedEarly) {
      // The server may answer and close before it has read everything.
    }
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) != -1) {
        answer.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer and no close within the hang guard", e);
    } catch (IOException reset) {
      // A reset after the answer: keep what arrived.
    }
    return answer.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads one answer with a Content-Length from a kept-alive connection. */
  private static String readAnswer(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c == -1) {
        break;
      }
      head.append((char) c);
    }
    int length = Integer.parseInt(header(head.toString(), "content-length"));
    return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  private static String header(String answer, String name) {
    for (String line : answer.split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return "";
  }

  private static String body(String answer) {
    int end = answer.indexOf("\r\n\r\n");
    return end < 0 ? "" : answer.substring(end + 4);
  }
}
