package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a raw socket server on 127.0.0.1 that writes whatever bytes a test gives it:
 * what the JDK's HTTP client lets through is what the client must judge.
 */
class HubClientLoopbackTest {
  private static final UUID ID = UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb");

  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "raw-server");
            t.setDaemon(true);
            return t;
          });
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    threads.shutdownNow();
  }

  /** What the server does with each connection once it has read the request head. */
  @FunctionalInterface
  interface Answer {
    void write(OutputStream out, InputStream in) throws IOException;
  }

  private int serve(Answer answer) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    open.add(server);
    threads.execute(
        () -> {
          while (!server.isClosed()) {
            try {
              Socket socket = server.accept();
              open.add(socket);
              threads.execute(
                  () -> {
                    try (socket) {
                      readHead(socket.getInputStream());
                      requests.incrementAndGet();
                      answer.write(socket.getOutputStream(), socket.getInputStream());
                    } catch (IOException closed) {
                      // The client went away; nothing to answer.
                    }
                  });
            } catch (IOException closed) {
              return;
            }
          }
        });
    return server.getLocalPort();
  }

  private static void readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the request head ended");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private HubClient client(int port, Duration requestTimeout, int maxAttempts) {
    return HubClient.builder()
        .baseUri("http://127.0.0.1:" + port)
        .credentials(bearer())
        .requestTimeout(requestTimeout)
        .retryPolicy(RetryPolicy.builder().maxAttempts(maxAttempts).build())
        .sleeper(new TestSupport.RecordingSleeper())
        .build();
  }

  /** Runs the call on another thread, so that a call with no deadline fails the test, not hangs. */
  private static Throwable failureOf(Runnable call) throws Exception {
    CompletableFuture<Void> running = CompletableFuture.runAsync(call);
    try {
      running.get(2, TimeUnit.MINUTES);
    } catch (TimeoutException hung) {
      throw new AssertionError("the call outlived its request timeout by minutes: no deadline");
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void aServerThatStallsMidBody_cannotHoldACallPastItsRequestTimeout_retriesCounted()
      throws Exception {
    int port =
        serve(
            (out, in) -> {
              write(
                  out,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{");
              // Then nothing more: wait for the client to give up and close.
              while (in.read() >= 0) {
                // drain
              }
            });
    HubClient hub = client(port, Duration.ofMillis(300), 3);

    Throwable failure = failureOf(() -> hub.get(ID));

    assertThat(failure)
        .isInstanceOfSatisfying(
            HubTransportException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(HubTransportException.Kind.TIMEOUT);
              assertThat(e.attempts()).isEqualTo(3);
            });
    assertThat(requests.get()).isEqualTo(3);
  }

  @Test
  void aContentLengthWithASign_isRefused_asTheJdkWouldReadIt() throws Exception {
    String body = TestSupport.tokenJson(ID.toString(), "ci");
    int port =
        serve(
            (out, in) ->
                write(
                    out,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: +"
                        + body.getBytes(StandardCharsets.UTF_8).length
                        + "\r\n\r\n"
                        + body));
    HubClient hub = client(port, Duration.ofSeconds(30), 1);

    Throwable failure = failureOf(() -> hub.get(ID));

    assertThat(failure)
        .isInstanceOf(HubUnexpectedResponseException.class)
        .hasMessageContaining("Content-Length");
    assertThat(((HubException) failure).status()).hasValue(200);
  }

  @Test
  void status999_isReportedAs999_inTheMessageAndTheException() throws Exception {
    int port =
        serve(
            (out, in) ->
                write(
                    out,
                    "HTTP/1.1 999 Odd\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"));
    HubClient hub = client(port, Duration.ofSeconds(30), 1);

    Throwable failure = failureOf(() -> hub.get(ID));

    assertThat(failure)
        .isInstanceOf(HubUnexpectedResponseException.class)
        .hasMessageContaining("HTTP 999 ");
    assertThat(((HubException) failure).status()).hasValue(999);
  }
}
