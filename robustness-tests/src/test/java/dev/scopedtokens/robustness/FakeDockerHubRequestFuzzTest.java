package dev.scopedtokens.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.testkit.FakeDockerHub;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the fake Docker Hub's request handling with raw bytes over a socket: the JDK's HTTP parser
 * and every handler behind it. Whatever arrives, every answer is a 2xx or a 4xx (never a 5xx, but
 * for the 501 that HTTP itself prescribes for an unknown {@code Transfer-Encoding}), the server
 * closes or answers rather than hanging, and it keeps serving: a well-formed login afterwards still
 * gets its 200.
 *
 * <p>{@code mvn verify} replays the committed corpus in {@code
 * src/test/resources/dev/scopedtokens/robustness/FakeDockerHubRequestFuzzTestInputs/<method>/}, raw
 * HTTP requests as a client would send them. To fuzz for longer:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m mvn -B -ntp -pl robustness-tests -am test \
 *     -Dtest='FakeDockerHubRequestFuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
class FakeDockerHubRequestFuzzTest {
  static final String USER = "alice";
  static final String PASSWORD = "correct horse battery staple";

  private static FakeDockerHub hub;

  @BeforeAll
  static void startHub() {
    byte[] pepper = new byte[32];
    new SecureRandom().nextBytes(pepper);
    HmacSha256Hasher fast = HmacSha256Hasher.withPepper(new SecretKeySpec(pepper, "HmacSHA256"));
    hub = FakeDockerHub.builder().tokenHasher(fast).passwordHasher(fast).start();
    hub.addUser(USER, PASSWORD);
  }

  @AfterAll
  static void stopHub() {
    hub.close();
  }

  @FuzzTest
  void anyBytes_getA2xxOr4xx_andTheServerKeepsServing(byte[] request) {
    // While fuzzing, Jazzer reports any connection as a possible SSRF; this one is the point.
    SilentCloseable loopback =
        BugDetectors.allowNetworkConnections((host, port) -> port == hub.port());
    try {
      exchange(request);
    } finally {
      loopback.close();
    }
  }

  private static void exchange(byte[] request) {
    RawHttp.Answer answer = RawHttp.exchange(hub.port(), request);
    assertThat(answer.closed()).as("the server closed the connection: %s", answer).isTrue();
    boolean unknownCoding = declaresTransferEncoding(request);
    assertThat(answer.statuses())
        .as("statuses in %s", answer)
        .allSatisfy(
            status ->
                assertThat(
                        status / 100 == 2 || status / 100 == 4 || (status == 501 && unknownCoding))
                    .as("status %d", status)
                    .isTrue());
    assertKeepsServing(hub.port());
  }

  /**
   * The one 5xx allowed: RFC 9112, section 6.1, says a server that receives a transfer coding it
   * does not understand should answer 501, and the JDK's HTTP server does so for anything but
   * {@code chunked} before any handler of the fake sees the request.
   */
  private static boolean declaresTransferEncoding(byte[] request) {
    // Anywhere, not only in the first head: a pipelined request may carry it.
    return new String(request, StandardCharsets.ISO_8859_1)
        .toLowerCase(Locale.ROOT)
        .contains("transfer-encoding");
  }

  /** A well-formed login still gets its 200. */
  static void assertKeepsServing(int port) {
    String body = "{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}";
    String login =
        "POST /v2/users/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: "
            + body.length()
            + "\r\nConnection: close\r\n\r\n"
            + body;
    RawHttp.Answer answer = RawHttp.exchange(port, login.getBytes(StandardCharsets.US_ASCII));
    assertThat(answer.statuses())
        .as("a login after the fuzzed request: %s", answer)
        .containsExactly(200);
  }
}
