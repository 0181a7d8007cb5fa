package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.SecretHasher;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.token.TokenRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fake's fixes from the hardening issue (9), each a regression test. */
class FakeDockerHubHardeningTest {
  private static final Totp TOTP = Totp.fromBase32("JBSWY3DPEHPK3PXP");

  private final FakeClock clock = FakeClock.atDefaultStart();

  @RegisterExtension
  final FakeDockerHubExtension extension =
      FakeDockerHubExtension.using(
          () ->
              FakeDockerHub.builder()
                  .clock(clock)
                  .fastHashing()
                  .user(FakeHubUser.builder("alice", "alice-password").build())
                  .user(FakeHubUser.builder("bob", "bob-password").totp(TOTP).build()));

  // Item 6: the journal masks the whole Authorization value, and secrets in the request line.

  @Test
  void journal_masksAuthorizationWhateverItsShape() {
    FakeDockerHub hub = extension.server();
    String pat =
        hub.tokens().create("alice", TokenRequest.of("ci", Scope.REPO_READ)).secret().reveal();
    String jwt = new HubHttp(hub.baseUri()).login("alice", "alice-password");
    HubHttp http = new HubHttp(hub.baseUri());
    for (String authorization :
        List.of(pat + " x", jwt + " Bearer", "alice-password:alice extra", "Bearer " + jwt)) {
      http.send(
          http.request("/v2/access-tokens", null).header("Authorization", authorization).GET());
    }

    String journal = hub.requests().toString();

    assertThat(journal).doesNotContain(pat).doesNotContain(jwt).doesNotContain("alice-password");
    assertThat(hub.requests())
        .filteredOn(r -> r.path().equals("/v2/access-tokens"))
        .extracting(r -> r.authorization().orElseThrow())
        .containsExactly("***", "***", "***", "Bearer ***");
  }

  @Test
  void journal_masksTokensJwtsAndPasswordsInThePathAndQuery() {
    FakeDockerHub hub = extension.server();
    String pat =
        hub.tokens().create("alice", TokenRequest.of("ci", Scope.REPO_READ)).secret().reveal();
    HubHttp http = new HubHttp(hub.baseUri());
    String jwt = http.login("alice", "alice-password");

    http.get("/v2/" + pat + "/x?note=" + jwt + "&p=alice-password&password=typo&page=2", null);

    RecordedRequest last = hub.requests().get(hub.requests().size() - 1);
    assertThat(last.toString())
        .doesNotContain(pat)
        .doesNotContain(jwt)
        .doesNotContain("alice-password")
        .doesNotContain("typo");
    assertThat(last.path()).isEqualTo("/v2/***/x");
    assertThat(last.query()).contains("note=***&p=***&password=***&page=2");
  }

  @Test
  void journal_masksSecretsInTheBody() {
    FakeDockerHub hub = extension.server();
    HubHttp http = new HubHttp(hub.baseUri());

    http.post("/v2/users/login", "{\"username\":\"alice\",\"password\":\"not-her-password\"}");

    RecordedRequest last = hub.requests().get(0);
    assertThat(last.body()).isEqualTo("{\"username\":\"alice\",\"password\":\"***\"}");
    assertThat(last.header("Content-Type")).contains("application/json");
  }

  @Test
  void testkitErrors_neverEchoWhatMayBeASecret() {
    FakeDockerHub hub = extension.server();
    String pat =
        hub.tokens().create("alice", TokenRequest.of("ci", Scope.REPO_READ)).secret().reveal();
    hub.addUser(pat, "x");

    assertThatThrownBy(() -> hub.signInFromDesktop(pat + "a")).hasMessageNotContaining(pat);
    assertThatThrownBy(() -> hub.addUser(pat, "other")).hasMessageNotContaining(pat);
    assertThatThrownBy(() -> FakeHubUser.builder(pat, "")).hasMessageNotContaining(pat);
  }

  // Item 7: every login failure takes the same path, whether the account exists or not.

  @Test
  void loginFailure_ofAKnownAndOfAnUnknownAccount_takesTheSameHashingSteps() {
    List<String> calls = new ArrayList<>();
    try (FakeDockerHub hub =
        FakeDockerHub.builder()
            .clock(clock)
            .tokenHasher(counting("token", calls))
            .passwordHasher(counting("password", calls))
            .user(FakeHubUser.builder("alice", "alice-password").build())
            .start()) {
      // Well formed, checksum and all, but issued to nobody: the core looks it up.
      String wrong = TokenFormat.defaults().generate(new SecureRandom()).reveal();
      HubHttp http = new HubHttp(hub.baseUri());

      List<List<String>> paths = new ArrayList<>();
      for (String user : List.of("alice", "nobody")) {
        for (String secret : List.of(wrong, "wrong-password")) {
          calls.clear();
          assertThat(
                  http.post(
                          "/v2/auth/token",
                          "{\"identifier\":\"" + user + "\",\"secret\":\"" + secret + "\"}")
                      .status())
              .isEqualTo(401);
          paths.add(List.copyOf(calls));
        }
      }

      // Known and unknown accounts alike: the same steps for the same kind of secret.
      assertThat(paths.get(0)).isEqualTo(paths.get(2)).contains("password");
      assertThat(paths.get(1)).isEqualTo(paths.get(3)).contains("password");
    }
  }

  // Item 10: slow neighbours cannot stop the fake.

  @Test
  void eightSlowClients_andEightUnfinishedBodies_doNotStopOtherRequests() throws IOException {
    FakeDockerHub hub = extension.server();
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        slow.add(open(hub, "POST /v2/auth/token HT"));
        slow.add(
            open(
                hub,
                "POST /v2/auth/token HTTP/1.1\r\nHost: a\r\nContent-Length: 500\r\n\r\n{\"ident"));
      }

      assertThat(new HubHttp(hub.baseUri()).login("alice", "alice-password")).isNotEmpty();
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  // Item 11: the journal is bounded, and so is each entry.

  @Test
  void journal_keepsAtMostItsBoundOfEntries_andCutsLongParts() {
    FakeDockerHub hub = extension.server();
    HubHttp http = new HubHttp(hub.baseUri());
    String longQuery = "q=" + "ab-".repeat(3000);

    http.get("/v2/access-tokens?" + longQuery, null);
    byte[] body =
        ("{\"username\":\"" + "x ".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    http.send("POST", "/v2/users/login", body, null);

    RecordedRequest withQuery = hub.requests().get(0);
    RecordedRequest withBody = hub.requests().get(1);
    assertThat(withQuery.query().orElseThrow())
        .hasSizeLessThanOrEqualTo(RecordedRequest.MAX_TARGET_CHARS + 3);
    assertThat(withBody.body()).hasSizeLessThanOrEqualTo(RecordedRequest.MAX_BODY_CHARS + 3);
  }

  @Test
  void requestLineOverTheHeaderLimit_isRefused431_andNotKept() {
    FakeDockerHub hub = extension.server();

    HubHttp.Reply reply =
        new HubHttp(hub.baseUri()).get("/v2/access-tokens?q=" + "a".repeat(300_000), null);

    assertThat(reply.status()).isEqualTo(431);
    assertThat(reply.json().get("detail").asText()).contains("16384 bytes");
    assertThat(hub.requests()).isEmpty();
  }

  // Item 16, in part: what reaches the fake's transport is answered with JSON.

  @Test
  void malformedChunkedBody_is400WithJson() throws IOException {
    FakeDockerHub hub = extension.server();

    String answer =
        exchange(
            hub,
            "POST /v2/auth/token HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json").contains("chunked");
  }

  // Item 27: a 400 names the field once.

  @Test
  void badRequest_namesTheFieldOnce() {
    try (FakeDockerHub hub =
        FakeDockerHub.builder()
            .clock(clock)
            .fastHashing()
            .plan(Plan.PERSONAL_2021)
            .user(FakeHubUser.builder("alice", "pw").build())
            .start()) {
      HubHttp http = new HubHttp(hub.baseUri());
      String jwt = http.login("alice", "pw");

      JsonNode error =
          http.post("/v2/access-tokens", "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}", jwt)
              .json();

      String problem = error.get("fields").get("scopes").get(0).asText();
      assertThat(problem).doesNotStartWith("scopes");
      assertThat(error.get("text").asText())
          .startsWith("scopes: ")
          .doesNotContain("scopes: scopes");
    }
  }

  // Item 30: a TOTP code is good once.

  @Test
  void twoFactorCode_isRefusedWhenReplayed() {
    HubHttp http = new HubHttp(extension.server().baseUri());
    String code = TOTP.code(clock.peek());

    assertThat(twoFactor(http, secondFactorHandle(http), code).status()).isEqualTo(200);
    assertThat(twoFactor(http, secondFactorHandle(http), code).status()).isEqualTo(401);
  }

  @Test
  void twoFactorCode_ofAnEarlierStep_isRefusedOnceALaterOneWasUsed() {
    HubHttp http = new HubHttp(extension.server().baseUri());

    assertThat(twoFactor(http, secondFactorHandle(http), TOTP.code(clock.peek())).status())
        .isEqualTo(200);
    assertThat(
            twoFactor(http, secondFactorHandle(http), TOTP.code(clock.peek().minusSeconds(30)))
                .status())
        .isEqualTo(401);
    assertThat(
            twoFactor(http, secondFactorHandle(http), TOTP.code(clock.peek().plusSeconds(30)))
                .status())
        .isEqualTo(200);
  }

  private static String secondFactorHandle(HubHttp http) {
    return http.post("/v2/users/login", "{\"username\":\"bob\",\"password\":\"bob-password\"}")
        .json()
        .get("login_2fa_token")
        .asText();
  }

  private static HubHttp.Reply twoFactor(HubHttp http, String handle, String code) {
    return http.post(
        "/v2/users/2fa-login",
        "{\"login_2fa_token\":\"" + handle + "\",\"code\":\"" + code + "\"}");
  }

  /** A fast hasher that notes each verification, real or decoy, under {@code name}. */
  private static SecretHasher counting(String name, List<String> calls) {
    SecretHasher hmac = HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256"));
    return new SecretHasher() {
      @Override
      public String hash(TokenSecret secret) {
        return hmac.hash(secret);
      }

      @Override
      public boolean verify(String encodedHash, TokenSecret presented) {
        calls.add(name);
        return hmac.verify(encodedHash, presented);
      }

      @Override
      public void verifyDecoy(TokenSecret presented) {
        calls.add(name);
        hmac.verifyDecoy(presented);
      }

      @Override
      public boolean needsRehash(String encodedHash) {
        return hmac.needsRehash(encodedHash);
      }
    };
  }

  private static Socket open(FakeDockerHub hub, String start) throws IOException {
    Socket socket = new Socket("127.0.0.1", hub.port());
    socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  private static String exchange(FakeDockerHub hub, String request) throws IOException {
    try (Socket socket = open(hub, request)) {
      socket.setSoTimeout(60_000); // a hang guard, not a figure
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
