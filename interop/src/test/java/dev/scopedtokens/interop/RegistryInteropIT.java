package dev.scopedtokens.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scopedtokens.interop.HubCalls.Pat;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11's interop table: Debian's docker-registry 2.8 with {@code auth.token} pointing at the
 * standalone server's jar, both real processes on loopback, driven by the real docker CLI, skopeo
 * and podman, plus raw HTTP replays of what containerd and a blob mount send. Personal access
 * tokens are made through the server's own management API, as a user would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryInteropIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "interop-registry";
  private static final String ISSUER = "interop-issuer";
  private static final String ALICE_PW = "alice-password-" + UUID.randomUUID();
  private static final String BOB_PW = "bob-password-" + UUID.randomUUID();

  private Path work;
  private Standalone standalone;
  private Daemon server;
  private Daemon registry;
  private int serverPort;
  private String registryHost;
  private HubCalls hub;
  private Clients clients;

  @BeforeAll
  void start() throws IOException {
    Processes.requireTools("docker-registry", "skopeo", "podman", "docker");
    standalone = Standalone.locate();
    work = Standalone.workDir("run-");
    serverPort = Daemon.freePort();
    int registryPort = Daemon.freePort();
    registryHost = "localhost:" + registryPort;
    hub = new HubCalls(serverPort, SERVICE);
    clients = new Clients(work, registryHost, "stp-");

    standalone.cli(
        null, "keygen", "--name", ISSUER, "--out", work.resolve("signing.pem").toString());
    standalone.cli(null, "refresh-keygen", "--out", work.resolve("refresh.key").toString());
    String aliceHash = standalone.hashPassword(ALICE_PW);
    String bobHash = standalone.hashPassword(BOB_PW);
    Files.writeString(
        work.resolve("server.yml"),
        """
        listen: {host: 127.0.0.1, port: %d}
        token:
          realm: http://localhost:%d/token
          service: %s
          issuer: %s
          keys: [signing.pem]
          lifetime: 60s
          refreshTokens: {keyFile: refresh.key}
        accounts:
          alice: {password: "%s"}
          bob: {password: "%s", totp: JBSWY3DPEHPK3PXPJBSWY3DP}
        namespaces:
          - {repositories: "alice/public-*", visibility: public, owners: [alice]}
          - {repositories: "alice/**", owners: [alice]}
          - {repositories: "bob/**", owners: [bob], members: {alice: read}}
        """
            .formatted(serverPort, serverPort, SERVICE, ISSUER, aliceHash, bobHash));
    server = standalone.start(work.resolve("server.yml"), work.resolve("server.log"));
    assertThat(server.output())
        .contains("realm: http://localhost:" + serverPort + "/token")
        .contains("rootcertbundle: " + work.resolve("registry-rootcertbundle.pem"));

    registry =
        Daemon.registry(
            work,
            registryPort,
            serverPort,
            SERVICE,
            ISSUER,
            work.resolve("registry-rootcertbundle.pem"));
  }

  @AfterAll
  void stop() {
    Processes.closeAll(registry, server, clients);
  }

  // ---- logins -------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withAGoodPat_succeeds(String client) {
    String pat = hub.createPat("alice", ALICE_PW, "repo:read").token();

    Processes.Result result = clients.login(client, "alice", pat);

    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withAWrongPat_fails(String client) {
    Pat pat = hub.createPat("alice", ALICE_PW, "repo:read");
    String wrong = pat.token().substring(0, pat.token().length() - 4) + "AAAA";

    assertThat(clients.login(client, "alice", wrong).ok()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withADeactivatedPat_fails(String client) {
    Pat pat = hub.createPat("alice", ALICE_PW, "repo:read");
    assertThat(clients.login(client, "alice", pat.token()).ok()).isTrue();

    hub.deactivate(hub.session("alice", ALICE_PW), pat);

    assertThat(clients.login(client, "alice", pat.token()).ok()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withADeletedPat_fails(String client) {
    Pat pat = hub.createPat("alice", ALICE_PW, "repo:read");

    hub.call("DELETE", "/v2/access-tokens/" + pat.id(), hub.session("alice", ALICE_PW), null);

    assertThat(clients.login(client, "alice", pat.token()).ok()).isFalse();
  }

  @Test
  void login_withAnExpiredPat_fails() {
    Pat pat =
        hub.createPat("alice", ALICE_PW, "repo:read", Instant.now().plusSeconds(3).toString());
    assertThat(clients.login("skopeo", "alice", pat.token()).ok()).isTrue();

    // The server runs on the real clock: wait, bounded, until it reports the token expired.
    awaitServer(() -> status(pat).equals("expired"), "the PAT to expire");

    for (String client : List.of("docker", "podman", "skopeo")) {
      assertThat(clients.login(client, "alice", pat.token()).ok()).as(client).isFalse();
    }
  }

  @Test
  void twoFactorAccount_cannotUseItsPassword_onTheTokenEndpoint_butItsPatWorks() {
    HttpResponse<String> password = hub.token("bob", BOB_PW, "");
    Pat pat = createPatWithPat("bob");

    assertThat(password.statusCode()).isEqualTo(401);
    assertThat(clients.login("docker", "bob", BOB_PW).ok()).isFalse();
    assertThat(clients.login("docker", "bob", pat.token()).ok()).isTrue();
  }

  // ---- push, pull, delete -------------------------------------------------------------------

  @Test
  void push_withRepoWrite_works_withRepoRead_isDenied() {
    String image = clients.localImage();
    String write = hub.createPat("alice", ALICE_PW, "repo:write").token();
    String read = hub.createPat("alice", ALICE_PW, "repo:read").token();

    Processes.Result pushed = clients.push(image, "alice/app-push:1", "alice", write);
    Processes.Result denied = clients.push(image, "alice/app-push:2", "alice", read);

    assertThat(pushed.ok()).as(pushed.toString()).isTrue();
    assertThat(denied.ok()).as(denied.toString()).isFalse();
    assertThat(denied.output()).contains("denied");
  }

  @Test
  void pullPrivate_withRepoRead_works_withPublicRead_isDenied() {
    pushAsAdmin("alice/private-app:1");
    String read = hub.createPat("alice", ALICE_PW, "repo:read").token();
    String publicRead = hub.createPat("alice", ALICE_PW, "repo:public_read").token();

    assertThat(clients.pull("alice/private-app:1", "alice", read).ok()).isTrue();
    Processes.Result denied = clients.pull("alice/private-app:1", "alice", publicRead);
    assertThat(denied.ok()).as(denied.toString()).isFalse();
  }

  @Test
  void pullPublic_withPublicRead_works_andAnonymously_works() {
    pushAsAdmin("alice/public-app:1");
    String publicRead = hub.createPat("alice", ALICE_PW, "repo:public_read").token();

    Processes.Result withToken = clients.pull("alice/public-app:1", "alice", publicRead);
    Processes.Result anonymous = clients.pull("alice/public-app:1", null, null);

    assertThat(withToken.ok()).as(withToken.toString()).isTrue();
    assertThat(anonymous.ok()).as(anonymous.toString()).isTrue();
  }

  @Test
  void deleteTag_withRepoAdmin_works_withRepoWrite_isDenied() {
    pushAsAdmin("alice/deletable:1");
    String write = hub.createPat("alice", ALICE_PW, "repo:write").token();
    String admin = hub.createPat("alice", ALICE_PW, "repo:admin").token();

    Processes.Result denied = clients.skopeo("delete", "alice/deletable:1", "alice", write);
    assertThat(denied.ok()).as(denied.toString()).isFalse();
    assertThat(clients.pull("alice/deletable:1", "alice", admin).ok()).isTrue();

    Processes.Result deleted = clients.skopeo("delete", "alice/deletable:1", "alice", admin);
    assertThat(deleted.ok()).as(deleted.toString()).isTrue();
    assertThat(clients.pull("alice/deletable:1", "alice", admin).ok()).isFalse();
  }

  @Test
  void repoAdmin_neverGivesMoreThanTheOwnerHas() {
    // alice may only read bob/**: her admin token cannot push there.
    String admin = hub.createPat("alice", ALICE_PW, "repo:admin").token();

    Processes.Result denied = clients.push(clients.localImage(), "bob/shared:1", "alice", admin);

    assertThat(denied.ok()).as(denied.toString()).isFalse();
  }

  // ---- refresh tokens, deactivation, last use -------------------------------------------------

  @Test
  void dockerLogin_storesAnIdentityToken_thatSkopeoRefreshesByPost_untilThePatIsDeactivated()
      throws IOException {
    pushAsAdmin("alice/refreshed:1");
    Pat pat = hub.createPat("alice", ALICE_PW, "repo:read");
    Path config = work.resolve("docker-refresh");

    Processes.Result login = clients.dockerLogin(config, "alice", pat.token());
    assertThat(login.ok()).as(login.toString()).isTrue();
    JsonNode auth =
        JSON.readTree(config.resolve("config.json").toFile()).path("auths").path(registryHost);
    assertThat(auth.path("identitytoken").asText()).isNotEmpty();

    int postsBefore = server.count("method=POST path=/token status=200");
    Processes.Result refreshed =
        clients.inspect("alice/refreshed:1", config.resolve("config.json"));
    assertThat(refreshed.ok()).as(refreshed.toString()).isTrue();
    // The server writes its log line after the answer: wait for it, bounded, rather than race it.
    server.awaitCount("method=POST path=/token status=200", postsBefore, Duration.ofMinutes(1));

    hub.deactivate(hub.session("alice", ALICE_PW), pat);

    Processes.Result refused = clients.inspect("alice/refreshed:1", config.resolve("config.json"));
    assertThat(refused.ok()).as(refused.toString()).isFalse();
  }

  @Test
  void deactivatingAPat_betweenTwoPulls_failsTheSecond() {
    pushAsAdmin("alice/twice:1");
    Pat pat = hub.createPat("alice", ALICE_PW, "repo:read");

    assertThat(clients.pull("alice/twice:1", "alice", pat.token()).ok()).isTrue();
    hub.deactivate(hub.session("alice", ALICE_PW), pat);

    // Each client run asks the token endpoint afresh, so the registry token it had is gone.
    assertThat(clients.pull("alice/twice:1", "alice", pat.token()).ok()).isFalse();
  }

  @Test
  void aPull_updatesThePatsLastUsedAt() {
    pushAsAdmin("alice/used:1");
    Pat pat = hub.createPat("alice", ALICE_PW, "repo:read");
    assertThat(get(pat).path("last_used").isNull()).isTrue();

    assertThat(clients.pull("alice/used:1", "alice", pat.token()).ok()).isTrue();

    assertThat(get(pat).path("last_used").asText()).isNotEmpty();
  }

  // ---- raw replays ----------------------------------------------------------------------------

  @Test
  void containerdsPostPasswordForm_isAnswered_andABadOneIs401NotA403() throws IOException {
    String pat = hub.createPat("alice", ALICE_PW, "repo:write").token();
    String form =
        "grant_type=password&username=alice&password="
            + pat
            + "&client_id=containerd-client&service="
            + SERVICE
            + "&scope=repository%3Aalice%2Fapp%3Apull%2Cpush";

    HttpResponse<String> good = hub.postForm("/token", form);
    HttpResponse<String> bad = hub.postForm("/token", form.replace(pat, pat + "x"));

    assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(good.body());
    assertThat(body.path("scope").asText()).contains("repository:alice/app:");
    assertThat(access(body.path("access_token").asText()).toString())
        .contains("\"name\":\"alice/app\"")
        .contains("push");
    assertThat(bad.statusCode()).isEqualTo(401);
  }

  @Test
  void aBlobMountsTwoScopes_areGrantedPerRepository() throws IOException {
    String read = hub.createPat("alice", ALICE_PW, "repo:read").token();

    HttpResponse<String> answer =
        hub.token(
            "alice",
            read,
            "&scope=repository%3Aalice%2Fto%3Apull%2Cpush&scope=repository%3Abob%2Ffrom%3Apull");

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode access = access(JSON.readTree(answer.body()).path("token").asText());
    assertThat(access.toString())
        .contains("{\"type\":\"repository\",\"name\":\"alice/to\",\"actions\":[\"pull\"]}")
        .contains("{\"type\":\"repository\",\"name\":\"bob/from\",\"actions\":[\"pull\"]}");
  }

  @Test
  void theServer_stopsWithStatusZero_onSigterm() throws IOException {
    Path config = work.resolve("sigterm.yml");
    Files.writeString(
        config,
        Files.readString(work.resolve("server.yml"))
            .replace("port: " + serverPort + "}", "port: " + Daemon.freePort() + "}"));
    Daemon second = standalone.start(config, work.resolve("sigterm.log"));

    assertThat(second.terminate()).isZero();
    assertThat(second.output()).contains("event=stop");
  }

  @Test
  void noSecretReachesTheLogs() throws IOException {
    String pat = hub.createPat("alice", ALICE_PW, "repo:read").token();
    clients.login("docker", "alice", pat);

    assertThat(server.output())
        .doesNotContain(pat)
        .doesNotContain(ALICE_PW)
        .doesNotContain("argon2");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void pushAsAdmin(String target) {
    String owner = target.substring(0, target.indexOf('/'));
    String admin = hub.createPat(owner, ALICE_PW, "repo:admin").token();
    Processes.Result pushed = clients.push(clients.localImage(), target, owner, admin);
    assertThat(pushed.ok()).as(pushed.toString()).isTrue();
  }

  /** bob has two-factor authentication: his session comes from a password and a TOTP code. */
  private Pat createPatWithPat(String user) {
    HttpResponse<String> first =
        hub.send(
            "POST",
            "/v2/users/login",
            null,
            "{\"username\":\"" + user + "\",\"password\":\"" + BOB_PW + "\"}");
    String handle = HubCalls.json(first.body()).path("login_2fa_token").asText();
    JsonNode second =
        hub.call(
            "POST",
            "/v2/users/2fa-login",
            null,
            "{\"login_2fa_token\":\""
                + handle
                + "\",\"code\":\""
                + Totp.code("JBSWY3DPEHPK3PXPJBSWY3DP")
                + "\"}");
    return hub.createPatInSession(second.path("token").asText(), "repo:read", null);
  }

  private JsonNode get(Pat pat) {
    return hub.call("GET", "/v2/access-tokens/" + pat.id(), hub.session("alice", ALICE_PW), null);
  }

  private String status(Pat pat) {
    JsonNode token = get(pat);
    return token.path("expires_at").isTextual()
            && !Instant.parse(token.path("expires_at").asText()).isAfter(Instant.now())
        ? "expired"
        : "active";
  }

  private static JsonNode access(String jwt) throws IOException {
    String payload = jwt.split("\\.")[1];
    return JSON.readTree(Base64.getUrlDecoder().decode(payload)).path("access");
  }

  /**
   * Waits, bounded, for a change on the server's real clock (a PAT's expiry): the server is a
   * separate process, so its clock cannot be injected, and nothing it sends says the time came.
   */
  private static void awaitServer(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited a minute for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(250_000_000L);
    }
  }
}
