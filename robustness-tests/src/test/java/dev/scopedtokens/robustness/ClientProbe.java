package dev.scopedtokens.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.client.Credentials;
import dev.scopedtokens.client.HubClient;
import dev.scopedtokens.client.HubException;
import dev.scopedtokens.client.RetryPolicy;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one {@link HubClient} call against a {@link ScriptedHttpClient} and checks what every call
 * must do whatever the server answered: return a result or throw a {@link HubException} (nothing
 * else: no Jackson exception, no {@code NullPointerException}, no {@code IllegalArgumentException}
 * from reading a response), send a bounded number of requests, wait no longer in total than the
 * retry policy allows, and never put its own secret (the password, or the bearer JWT) in a message,
 * even when the server echoes it.
 */
final class ClientProbe {
  /** The password of the {@link Login#PASSWORD} credentials; must never appear in a message. */
  static final String PASSWORD = "correct-horse-battery-staple-7e1f";

  /** A ready bearer JWT that expires in 2100; must never appear in a message. */
  static final String JWT =
      base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")
          + "."
          + base64Url("{\"sub\":\"alice\",\"iat\":1795000000,\"exp\":4102444800}")
          + ".c2lnbmF0dXJlLW5vdC1jaGVja2VkLWJ5LXRoZS1jbGllbnQ";

  /** Every call waits at most this long in total: the default policy's bound. */
  static final Duration MAX_TOTAL_WAIT = RetryPolicy.defaults().maxTotalWait();

  /**
   * The most requests one call may send: every attempt of the call, each possibly preceded by a
   * login with its own attempts, and the one renewal after a 401.
   */
  static final int MAX_REQUESTS = 2 * (RetryPolicy.defaults().maxAttempts() + 1) * 2;

  private static final UUID TOKEN = UUID.fromString("0f0e0d0c-0b0a-4908-8706-050403020100");

  /** The calls a probe can make. */
  enum Operation {
    LIST,
    GET,
    CREATE,
    RENAME,
    ACTIVATE,
    DEACTIVATE,
    DELETE,
    STREAM
  }

  /** How the client authenticates: a ready JWT, or a login whose answer is scripted too. */
  enum Login {
    BEARER,
    PASSWORD,
    SECRET
  }

  private ClientProbe() {}

  /** A scripted answer with one value per header name and a body of raw bytes. */
  static Reply reply(int status, Map<String, String> headers, byte[] body) {
    Map<String, List<String>> multi = new LinkedHashMap<>();
    headers.forEach((name, value) -> multi.put(name, List.of(value)));
    return Reply.of(status, multi, body);
  }

  /**
   * Makes the call and checks the rules above; returns the failure, if the call threw one.
   *
   * @throws AssertionError when a rule is broken, with the unexpected exception as its cause
   */
  static HubException callAndCheck(Operation operation, Login login, List<Reply> script) {
    ScriptedHttpClient http = ScriptedHttpClient.create().otherwise(script.toArray(Reply[]::new));
    AtomicLong sleptNanos = new AtomicLong();
    HubClient client =
        HubClient.builder()
            .baseUri(URI.create("http://127.0.0.1:5555"))
            .credentials(credentials(login))
            .httpClient(http)
            .clock(Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC))
            .sleeper(duration -> sleptNanos.addAndGet(duration.toNanos()))
            .build();
    HubException failure = null;
    try {
      call(client, operation);
    } catch (HubException expected) {
      failure = expected;
      // Only the client's own secret must be kept out: with a bearer JWT the password is just a
      // string the server happens to send.
      String secret = login == Login.BEARER ? JWT : PASSWORD;
      assertThat(expected.getMessage()).doesNotContain(secret);
      assertThat(expected.toString()).doesNotContain(secret);
      assertThat(expected.serverMessage().orElse("")).doesNotContain(secret);
    } catch (RuntimeException | Error unexpected) {
      throw new AssertionError(
          operation
              + " with "
              + login
              + " login threw "
              + unexpected
              + " instead of a HubException",
          unexpected);
    }
    assertThat(http.requestCount()).as("requests sent by %s", operation).isBetween(1, MAX_REQUESTS);
    assertThat(Duration.ofNanos(sleptNanos.get()))
        .as("time waited")
        .isLessThanOrEqualTo(MAX_TOTAL_WAIT);
    return failure;
  }

  private static void call(HubClient client, Operation operation) {
    switch (operation) {
      case LIST -> client.listPage(1, 10);
      case GET -> client.get(TOKEN);
      case CREATE -> client.create("ci", Set.of(Scope.REPO_READ));
      case RENAME -> client.rename(TOKEN, "renamed");
      case ACTIVATE -> client.activate(TOKEN);
      case DEACTIVATE -> client.deactivate(TOKEN);
      case DELETE -> client.delete(TOKEN);
      case STREAM -> {
        // Bounded on our side too: a server may legitimately have many tokens.
        client.stream(10).limit(10_000).count();
      }
    }
  }

  private static Credentials credentials(Login login) {
    return switch (login) {
      case BEARER -> Credentials.bearer(JWT);
      case PASSWORD -> Credentials.password("alice", PASSWORD);
      case SECRET -> Credentials.secret("alice", PASSWORD);
    };
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
