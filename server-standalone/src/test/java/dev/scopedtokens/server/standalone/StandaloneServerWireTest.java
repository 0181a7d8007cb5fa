package dev.scopedtokens.server.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.server.http.HttpLimits;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.http.Routes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The standalone transport on the wire, over raw sockets on 127.0.0.1: whatever bytes arrive, the
 * answer is a 4xx with a JSON body, never a 5xx and never silence, and slow clients cannot keep a
 * well-behaved one from being served.
 */
class StandaloneServerWireTest {
  private static final HttpLimits LIMITS =
      new HttpLimits(64 * 1024, 16 * 1024, 100, Duration.ofSeconds(2), Duration.ofSeconds(5));
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static StandaloneServer server;
  private static InetSocketAddress address;

  @BeforeAll
  static void start() {
    Routes routes =
        Routes.builder()
            .route(
                "GET",
                "/token",
                request -> {
                  List<String> scopes = request.query().all("scope");
                  String auth = request.headers().first("Authorization").orElse("");
                  return HttpResponse.json(
                      200, "{\"scopes\":" + scopes.size() + ",\"auth\":" + auth.length() + "}");
                })
            .route(
                "POST",
                "/token",
                request ->
                    HttpResponse.json(200, "{\"form\":" + request.form().names().size() + "}"))
            .build();
    StandaloneServer.Listen listen =
        new StandaloneServer.Listen(
            "127.0.0.1", 0, LIMITS, 8, 64, 1024, java.util.Optional.empty());
    server =
        StandaloneServer.start(
            routes,
            listen,
            new RequestLogLine(
                new PrintStream(LOG, true, StandardCharsets.UTF_8), Clock.systemUTC()));
    address = server.address();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aRequestStillRunningWhenTheGraceEnds_isCutOff_andStopStillSucceeds() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StandaloneServer slow =
        StandaloneServer.start(
            request -> {
              entered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return HttpResponse.json(200, "{}");
            },
            StandaloneServer.Listen.loopback(LIMITS),
            new RequestLogLine(
                new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC()));
    InetSocketAddress slowAddress = slow.address();
    try (Socket client = new Socket(slowAddress.getAddress(), slowAddress.getPort())) {
      client
          .getOutputStream()
          .write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      client.getOutputStream().flush();
      assertThat(entered.await(30, TimeUnit.SECONDS))
          .as("the request reached the endpoint")
          .isTrue();

      slow.stop(Duration.ofMillis(1));

      assertThatThrownBy(() -> new Socket(slowAddress.getAddress(), slowAddress.getPort()).close())
          .as("nothing listens after stop")
          .isInstanceOf(IOException.class);
    } finally {
      release.countDown();
    }
  }

  static Stream<Arguments> hostileRequests() {
    byte[] junk = new byte[4096];
    new Random(42).nextBytes(junk);
    StringBuilder manyHeaders = new StringBuilder("GET /token HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 10_000; i++) {
      manyHeaders.append("X-").append(i).append(": v\r\n");
    }
    manyHeaders.append("\r\n");
    return Stream.of(
        Arguments.of(
            "garbage Basic header",
            ascii(
                "GET /token HTTP/1.1\r\nHost: x\r\nAuthorization: Basic %%%!!!\u00ff\u00fe\r\n\r\n"),
            200),
        Arguments.of(
            "invalid UTF-8 in the query",
            ascii("GET /token?scope=%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n"),
            400),
        Arguments.of(
            "raw bytes over 0x7f in the request target",
            ascii("GET /token?scope=\u00ff\u00c3 HTTP/1.1\r\nHost: x\r\n\r\n"),
            400),
        Arguments.of(
            "a 1 MB scope",
            ascii("GET /token?scope=" + "a".repeat(1 << 20) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
            414),
        Arguments.of(
            "a 1 MB header",
            ascii("GET /token HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n"),
            431),
        Arguments.of("10,000 headers", ascii(manyHeaders.toString()), 431),
        Arguments.of(
            "a chunked body cut short",
            ascii(
                "POST /token HTTP/1.1\r\nHost: x\r\nContent-Type:"
                    + " application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "20\r\ngrant_type=pass"),
            400),
        Arguments.of(
            "a malformed chunk size",
            ascii("POST /token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            400),
        Arguments.of(
            "an unknown Transfer-Encoding",
            ascii("POST /token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc"),
            400),
        Arguments.of(
            "an unsupported HTTP version", ascii("GET /token HTTP/9.9\r\nHost: x\r\n\r\n"), 400),
        Arguments.of("binary junk", junk, 400),
        Arguments.of(
            "a body over the limit",
            ascii(
                "POST /token HTTP/1.1\r\nHost: x\r\nContent-Type:"
                    + " application/x-www-form-urlencoded\r\nContent-Length: 10000000\r\n\r\nab"),
            413),
        Arguments.of(
            "an ambiguous encoded path",
            ascii("GET /a%2F..%2Ftoken HTTP/1.1\r\nHost: x\r\n\r\n"),
            400),
        Arguments.of(
            "a NUL in a header value",
            ascii("GET /token HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"),
            400),
        Arguments.of(
            "Content-Length and chunked together",
            ascii(
                "POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            400),
        Arguments.of(
            "a form body that is not UTF-8",
            ascii(
                "POST /token HTTP/1.1\r\nHost: x\r\nContent-Type:"
                    + " application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nscope=%ff"),
            400));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileRequests")
  void hostileBytes_areAnsweredWithJson_neverA5xxOrSilence(
      String name, byte[] request, int expected) throws IOException {
    RawHttp.Answer answer = RawHttp.exchange(address, request, true);

    assertThat(answer.silent()).as("silent answer to %s", name).isFalse();
    assertThat(answer.status()).as("%s: %s", name, answer).isEqualTo(expected);
    assertThat(answer.headers().get("content-type")).startsWith("application/json");
    assertThat(answer.body()).startsWith("{").endsWith("}");
  }

  @Test
  void bareLineFeeds_areReadOrRefusedWithJson() throws IOException {
    RawHttp.Answer answer =
        RawHttp.exchange(address, ascii("GET /token HTTP/1.1\nHost: x\n\n"), true);

    assertThat(answer.status()).as(answer.toString()).isIn(200, 400);
    assertThat(answer.headers().get("content-type")).startsWith("application/json");
  }

  @Test
  void errorAnswers_nameTheLimit() throws IOException {
    RawHttp.Answer answer =
        RawHttp.exchange(
            address,
            ascii("GET /token HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
            true);

    assertThat(answer.body()).contains("16384 bytes");
  }

  @Test
  void aStalledRequest_isCutOffWithoutAThreadHeld() throws IOException {
    // Headers promise a body that never comes: the read timeout ends the request.
    try (Socket socket = new Socket()) {
      socket.connect(address);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ascii(
              "POST /token HTTP/1.1\r\nHost: x\r\nContent-Type:"
                  + " application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nscope="));
      out.flush();
      RawHttp.Answer answer = RawHttp.read(socket.getInputStream());

      assertThat(answer.status()).as(answer.toString()).isIn(0, 400, 408);
      if (!answer.silent()) {
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
      }
    }
  }

  @Test
  void slowClients_cannotStarveAWellBehavedOne() throws IOException {
    // More slow bodies than the server has threads, each trickling one byte.
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 24; i++) {
        Socket socket = new Socket();
        socket.connect(address);
        socket
            .getOutputStream()
            .write(
                ascii(
                    "POST /token HTTP/1.1\r\nHost: x\r\nContent-Type:"
                        + " application/x-www-form-urlencoded\r\nContent-Length: 50000\r\n\r\na"));
        slow.add(socket);
      }

      RawHttp.Answer answer =
          RawHttp.exchange(address, ascii("GET /token?scope=a HTTP/1.1\r\nHost: x\r\n\r\n"), true);

      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void theRequestLog_holdsNoQueryOrHeader() throws IOException {
    RawHttp.exchange(
        address,
        ascii(
            "GET /token?scope=repository:secret-scope:pull HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Basic c2VjcmV0LXVzZXI6c2VjcmV0LXBhc3M=\r\n\r\n"),
        true);

    String log = LOG.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("method=GET path=/token status=200");
    assertThat(log).doesNotContain("secret").doesNotContain("c2VjcmV0");
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
