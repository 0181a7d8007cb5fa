package dev.scopedtokens.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
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

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger counter = new AtomicInteger();
  private Path work;
  private Path podmanDir;
  private Path jar;
  private Daemon server;
  private Daemon registry;
  private int serverPort;
  private String registryHost;
  private List<String> podman;

  @BeforeAll
  void start() throws IOException {
    Processes.requireTools("docker-registry", "skopeo", "podman", "docker");
    jar = Path.of(System.getProperty("scopedtokens.standaloneJar", "missing"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          "the standalone jar " + jar + " is missing; run mvn verify -Pinterop from the root");
    }
    Path base = Path.of(System.getProperty("scopedtokens.workDir", "target/interop-work"));
    Files.createDirectories(base);
    work = Files.createTempDirectory(base.toAbsolutePath(), "run-");
    serverPort = freePort();
    int registryPort = freePort();
    registryHost = "localhost:" + registryPort;
    // podman refuses a run root longer than 50 characters: keep it short, under /tmp.
    podmanDir = Files.createTempDirectory(Path.of("/tmp"), "stp-");
    podman =
        List.of(
            "podman",
            "--root",
            podmanDir.resolve("root").toString(),
            "--runroot",
            podmanDir.resolve("run").toString(),
            "--storage-driver",
            "vfs");

    cli("keygen", "--name", ISSUER, "--out", work.resolve("signing.pem").toString());
    cli("refresh-keygen", "--out", work.resolve("refresh.key").toString());
    String aliceHash = hashPassword(ALICE_PW);
    String bobHash = hashPassword(BOB_PW);
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
    server =
        Daemon.start(
            List.of(
                "java", "-jar", jar.toString(), "--config", work.resolve("server.yml").toString()),
            work.resolve("server.log"),
            "rootcertbundle:");
    assertThat(server.output())
        .contains("realm: http://localhost:" + serverPort + "/token")
        .contains("rootcertbundle: " + work.resolve("registry-rootcertbundle.pem"));

    Files.writeString(
        work.resolve("registry.yml"),
        """
        version: 0.1
        log: {level: info}
        storage:
          filesystem: {rootdirectory: %s}
          delete: {enabled: true}
        http:
          addr: 127.0.0.1:%d
          secret: interop-http-secret
        auth:
          token:
            realm: http://localhost:%d/token
            service: %s
            issuer: %s
            rootcertbundle: %s
        """
            .formatted(
                work.resolve("registry-data"),
                registryPort,
                serverPort,
                SERVICE,
                ISSUER,
                work.resolve("registry-rootcertbundle.pem")));
    registry =
        Daemon.start(
            List.of("docker-registry", "serve", work.resolve("registry.yml").toString()),
            work.resolve("registry.log"),
            "listening on");
  }

  @AfterAll
  void stop() {
    try {
      if (registry != null) {
        registry.close();
      }
      if (server != null) {
        server.close();
      }
    } finally {
      Processes.deleteScratch(podmanDir);
    }
  }

  // ---- logins -------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withAGoodPat_succeeds(String client) {
    String pat = createPat("alice", ALICE_PW, "repo:read").token;

    Processes.Result result = login(client, "alice", pat);

    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withAWrongPat_fails(String client) {
    Pat pat = createPat("alice", ALICE_PW, "repo:read");
    String wrong = pat.token.substring(0, pat.token.length() - 4) + "AAAA";

    assertThat(login(client, "alice", wrong).ok()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withADeactivatedPat_fails(String client) {
    Pat pat = createPat("alice", ALICE_PW, "repo:read");
    assertThat(login(client, "alice", pat.token).ok()).isTrue();

    hub(
        "PATCH",
        "/v2/access-tokens/" + pat.id,
        session("alice", ALICE_PW),
        "{\"is_active\":false}");

    assertThat(login(client, "alice", pat.token).ok()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withADeletedPat_fails(String client) {
    Pat pat = createPat("alice", ALICE_PW, "repo:read");

    hub("DELETE", "/v2/access-tokens/" + pat.id, session("alice", ALICE_PW), null);

    assertThat(login(client, "alice", pat.token).ok()).isFalse();
  }

  @Test
  void login_withAnExpiredPat_fails() {
    Pat pat = createPat("alice", ALICE_PW, "repo:read", Instant.now().plusSeconds(3).toString());
    assertThat(login("skopeo", "alice", pat.token).ok()).isTrue();

    // The server runs on the real clock: wait, bounded, until it reports the token expired.
    awaitServer(() -> status(pat).equals("expired"), "the PAT to expire");

    for (String client : List.of("docker", "podman", "skopeo")) {
      assertThat(login(client, "alice", pat.token).ok()).as(client).isFalse();
    }
  }

  @Test
  void twoFactorAccount_cannotUseItsPassword_onTheTokenEndpoint_butItsPatWorks() {
    HttpResponse<String> password = token("GET", "bob", BOB_PW, "");
    Pat pat = createPatWithPat("bob");

    assertThat(password.statusCode()).isEqualTo(401);
    assertThat(login("docker", "bob", BOB_PW).ok()).isFalse();
    assertThat(login("docker", "bob", pat.token).ok()).isTrue();
  }

  // ---- push, pull, delete -------------------------------------------------------------------

  @Test
  void push_withRepoWrite_works_withRepoRead_isDenied() {
    String image = localImage();
    String write = createPat("alice", ALICE_PW, "repo:write").token;
    String read = createPat("alice", ALICE_PW, "repo:read").token;

    Processes.Result pushed = push(image, "alice/app-push:1", "alice", write);
    Processes.Result denied = push(image, "alice/app-push:2", "alice", read);

    assertThat(pushed.ok()).as(pushed.toString()).isTrue();
    assertThat(denied.ok()).as(denied.toString()).isFalse();
    assertThat(denied.output()).contains("denied");
  }

  @Test
  void pullPrivate_withRepoRead_works_withPublicRead_isDenied() {
    pushAsAdmin("alice/private-app:1");
    String read = createPat("alice", ALICE_PW, "repo:read").token;
    String publicRead = createPat("alice", ALICE_PW, "repo:public_read").token;

    assertThat(pull("alice/private-app:1", "alice", read).ok()).isTrue();
    Processes.Result denied = pull("alice/private-app:1", "alice", publicRead);
    assertThat(denied.ok()).as(denied.toString()).isFalse();
  }

  @Test
  void pullPublic_withPublicRead_works_andAnonymously_works() {
    pushAsAdmin("alice/public-app:1");
    String publicRead = createPat("alice", ALICE_PW, "repo:public_read").token;

    Processes.Result withToken = pull("alice/public-app:1", "alice", publicRead);
    Processes.Result anonymous = pull("alice/public-app:1", null, null);

    assertThat(withToken.ok()).as(withToken.toString()).isTrue();
    assertThat(anonymous.ok()).as(anonymous.toString()).isTrue();
  }

  @Test
  void deleteTag_withRepoAdmin_works_withRepoWrite_isDenied() {
    pushAsAdmin("alice/deletable:1");
    String write = createPat("alice", ALICE_PW, "repo:write").token;
    String admin = createPat("alice", ALICE_PW, "repo:admin").token;

    Processes.Result denied = skopeo("delete", "alice/deletable:1", "alice", write);
    assertThat(denied.ok()).as(denied.toString()).isFalse();
    assertThat(pull("alice/deletable:1", "alice", admin).ok()).isTrue();

    Processes.Result deleted = skopeo("delete", "alice/deletable:1", "alice", admin);
    assertThat(deleted.ok()).as(deleted.toString()).isTrue();
    assertThat(pull("alice/deletable:1", "alice", admin).ok()).isFalse();
  }

  @Test
  void repoAdmin_neverGivesMoreThanTheOwnerHas() {
    // alice may only read bob/**: her admin token cannot push there.
    String admin = createPat("alice", ALICE_PW, "repo:admin").token;

    Processes.Result denied = push(localImage(), "bob/shared:1", "alice", admin);

    assertThat(denied.ok()).as(denied.toString()).isFalse();
  }

  // ---- refresh tokens, deactivation, last use -------------------------------------------------

  @Test
  void dockerLogin_storesAnIdentityToken_thatSkopeoRefreshesByPost_untilThePatIsDeactivated()
      throws IOException {
    pushAsAdmin("alice/refreshed:1");
    Pat pat = createPat("alice", ALICE_PW, "repo:read");
    Path config = work.resolve("docker-refresh-" + counter.incrementAndGet());

    Processes.Result login = dockerLogin(config, "alice", pat.token);
    assertThat(login.ok()).as(login.toString()).isTrue();
    JsonNode auth =
        JSON.readTree(config.resolve("config.json").toFile()).path("auths").path(registryHost);
    assertThat(auth.path("identitytoken").asText()).isNotEmpty();

    int postsBefore = count(server.output(), "method=POST path=/token status=200");
    Processes.Result refreshed = inspect("alice/refreshed:1", config.resolve("config.json"));
    assertThat(refreshed.ok()).as(refreshed.toString()).isTrue();
    // The server writes its log line after the answer: wait for it, bounded, rather than race it.
    awaitServer(
        () -> count(server.output(), "method=POST path=/token status=200") > postsBefore,
        "the server to log skopeo's refresh POST");

    hub(
        "PATCH",
        "/v2/access-tokens/" + pat.id,
        session("alice", ALICE_PW),
        "{\"is_active\":false}");

    Processes.Result refused = inspect("alice/refreshed:1", config.resolve("config.json"));
    assertThat(refused.ok()).as(refused.toString()).isFalse();
  }

  @Test
  void deactivatingAPat_betweenTwoPulls_failsTheSecond() {
    pushAsAdmin("alice/twice:1");
    Pat pat = createPat("alice", ALICE_PW, "repo:read");

    assertThat(pull("alice/twice:1", "alice", pat.token).ok()).isTrue();
    hub(
        "PATCH",
        "/v2/access-tokens/" + pat.id,
        session("alice", ALICE_PW),
        "{\"is_active\":false}");

    // Each client run asks the token endpoint afresh, so the registry token it had is gone.
    assertThat(pull("alice/twice:1", "alice", pat.token).ok()).isFalse();
  }

  @Test
  void aPull_updatesThePatsLastUsedAt() {
    pushAsAdmin("alice/used:1");
    Pat pat = createPat("alice", ALICE_PW, "repo:read");
    assertThat(get(pat).path("last_used").isNull()).isTrue();

    assertThat(pull("alice/used:1", "alice", pat.token).ok()).isTrue();

    assertThat(get(pat).path("last_used").asText()).isNotEmpty();
  }

  // ---- raw replays ----------------------------------------------------------------------------

  @Test
  void containerdsPostPasswordForm_isAnswered_andABadOneIs401NotA403() throws IOException {
    String pat = createPat("alice", ALICE_PW, "repo:write").token;
    String form =
        "grant_type=password&username=alice&password="
            + pat
            + "&client_id=containerd-client&service="
            + SERVICE
            + "&scope=repository%3Aalice%2Fapp%3Apull%2Cpush";

    HttpResponse<String> good = post("/token", form);
    HttpResponse<String> bad = post("/token", form.replace(pat, pat + "x"));

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
    String read = createPat("alice", ALICE_PW, "repo:read").token;

    HttpResponse<String> answer =
        token(
            "GET",
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
            .replace("port: " + serverPort + "}", "port: " + freePort() + "}"));
    Daemon second =
        Daemon.start(
            List.of("java", "-jar", jar.toString(), "--config", config.toString()),
            work.resolve("sigterm.log"),
            "rootcertbundle:");

    assertThat(second.terminate()).isZero();
    assertThat(second.output()).contains("event=stop");
  }

  @Test
  void noSecretReachesTheLogs() throws IOException {
    String pat = createPat("alice", ALICE_PW, "repo:read").token;
    login("docker", "alice", pat);

    assertThat(server.output())
        .doesNotContain(pat)
        .doesNotContain(ALICE_PW)
        .doesNotContain("argon2");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private record Pat(String id, String token) {}

  private Processes.Result login(String client, String user, String secret) {
    Path dir = work.resolve("auth-" + counter.incrementAndGet());
    return switch (client) {
      case "docker" -> dockerLogin(dir, user, secret);
      case "podman" ->
          run(
              concat(
                  podman,
                  "login",
                  "--tls-verify=false",
                  "--authfile",
                  dir + ".json",
                  "-u",
                  user,
                  "--password-stdin",
                  registryHost),
              secret);
      default ->
          run(
              List.of(
                  "skopeo",
                  "login",
                  "--tls-verify=false",
                  "--authfile",
                  dir + ".json",
                  "-u",
                  user,
                  "--password-stdin",
                  registryHost),
              secret);
    };
  }

  private Processes.Result dockerLogin(Path configDir, String user, String secret) {
    return run(
        List.of(
            "docker",
            "--config",
            configDir.toString(),
            "login",
            "-u",
            user,
            "--password-stdin",
            registryHost),
        secret);
  }

  private String localImage() {
    try {
      int n = counter.incrementAndGet();
      Path rootfs = Files.createDirectories(work.resolve("rootfs-" + n));
      Files.writeString(rootfs.resolve("file.txt"), "image " + n + " " + UUID.randomUUID());
      Path tar = work.resolve("rootfs-" + n + ".tar");
      Processes.Result tarred =
          run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."), null);
      assertThat(tarred.ok()).as(tarred.toString()).isTrue();
      String name = "localhost/interop-" + n + ":1";
      Processes.Result imported = run(concat(podman, "import", tar.toString(), name), null);
      assertThat(imported.ok()).as(imported.toString()).isTrue();
      return name;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Processes.Result push(String image, String target, String user, String secret) {
    return run(
        concat(
            podman,
            "push",
            "--tls-verify=false",
            "--creds",
            user + ":" + secret,
            image,
            "docker://" + registryHost + "/" + target),
        null);
  }

  private void pushAsAdmin(String target) {
    String owner = target.substring(0, target.indexOf('/'));
    String admin = createPat(owner, ALICE_PW, "repo:admin").token;
    Processes.Result pushed = push(localImage(), target, owner, admin);
    assertThat(pushed.ok()).as(pushed.toString()).isTrue();
  }

  /** Pulls with skopeo into a fresh OCI layout; anonymous when {@code user} is null. */
  private Processes.Result pull(String source, String user, String secret) {
    List<String> command = new ArrayList<>(List.of("skopeo", "copy", "--src-tls-verify=false"));
    if (user == null) {
      command.add("--src-no-creds");
    } else {
      command.add("--src-creds");
      command.add(user + ":" + secret);
    }
    command.add("docker://" + registryHost + "/" + source);
    command.add("oci:" + work.resolve("pulled-" + counter.incrementAndGet()) + ":1");
    return run(command, null);
  }

  private Processes.Result inspect(String source, Path authFile) {
    return run(
        List.of(
            "skopeo",
            "inspect",
            "--tls-verify=false",
            "--authfile",
            authFile.toString(),
            "docker://" + registryHost + "/" + source),
        null);
  }

  private Processes.Result skopeo(String verb, String target, String user, String secret) {
    return run(
        List.of(
            "skopeo",
            verb,
            "--tls-verify=false",
            "--creds",
            user + ":" + secret,
            "docker://" + registryHost + "/" + target),
        null);
  }

  private Processes.Result run(List<String> command, String stdin) {
    return Processes.run(command, Map.of(), stdin);
  }

  private void cli(String... args) {
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    command.addAll(List.of(args));
    Processes.Result result = run(command, null);
    assertThat(result.ok()).as(result.toString()).isTrue();
  }

  private String hashPassword(String password) {
    Processes.Result result =
        run(List.of("java", "-jar", jar.toString(), "hash-password"), password + "\n");
    assertThat(result.ok()).as(result.toString()).isTrue();
    return result.output().strip();
  }

  private String session(String user, String password) {
    JsonNode body =
        hub(
            "POST",
            "/v2/users/login",
            null,
            "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    return body.path("token").asText();
  }

  private Pat createPat(String user, String password, String scope) {
    return createPat(user, password, scope, null);
  }

  private Pat createPat(String user, String password, String scope, String expiresAt) {
    String label = "interop-" + counter.incrementAndGet();
    String body =
        "{\"token_label\":\""
            + label
            + "\",\"scopes\":[\""
            + scope
            + "\"]"
            + (expiresAt == null ? "" : ",\"expires_at\":\"" + expiresAt + "\"")
            + "}";
    JsonNode created = hub("POST", "/v2/access-tokens", session(user, password), body);
    return new Pat(created.path("uuid").asText(), created.path("token").asText());
  }

  /** bob has two-factor authentication: his session comes from a password and a TOTP code. */
  private Pat createPatWithPat(String user) {
    JsonNode first =
        hubRaw(
            "POST",
            "/v2/users/login",
            null,
            "{\"username\":\"" + user + "\",\"password\":\"" + BOB_PW + "\"}");
    String handle = first.path("login_2fa_token").asText();
    JsonNode second =
        hub(
            "POST",
            "/v2/users/2fa-login",
            null,
            "{\"login_2fa_token\":\""
                + handle
                + "\",\"code\":\""
                + Totp.code("JBSWY3DPEHPK3PXPJBSWY3DP")
                + "\"}");
    String label = "interop-" + counter.incrementAndGet();
    JsonNode created =
        hub(
            "POST",
            "/v2/access-tokens",
            second.path("token").asText(),
            "{\"token_label\":\"" + label + "\",\"scopes\":[\"repo:read\"]}");
    return new Pat(created.path("uuid").asText(), created.path("token").asText());
  }

  private JsonNode get(Pat pat) {
    return hub("GET", "/v2/access-tokens/" + pat.id, session("alice", ALICE_PW), null);
  }

  private String status(Pat pat) {
    JsonNode token = get(pat);
    return token.path("expires_at").isTextual()
            && !Instant.parse(token.path("expires_at").asText()).isAfter(Instant.now())
        ? "expired"
        : "active";
  }

  private JsonNode hub(String method, String path, String bearer, String body) {
    HttpResponse<String> response = send(method, path, bearer, body);
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isBetween(200, 299);
    try {
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private JsonNode hubRaw(String method, String path, String bearer, String body) {
    try {
      return JSON.readTree(send(method, path, bearer, body).body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private HttpResponse<String> send(String method, String path, String bearer, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + serverPort + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return exchange(request.build());
  }

  private HttpResponse<String> token(String method, String user, String secret, String query) {
    String basic =
        Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return exchange(
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + serverPort + "/token?service=" + SERVICE + query))
            .header("Authorization", "Basic " + basic)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private HttpResponse<String> post(String path, String form) {
    return exchange(
        HttpRequest.newBuilder(URI.create("http://localhost:" + serverPort + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri().getPath() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static JsonNode access(String jwt) throws IOException {
    String payload = jwt.split("\\.")[1];
    return JSON.readTree(Base64.getUrlDecoder().decode(payload)).path("access");
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /**
   * Waits, bounded, for a change in a separate process: on the server's real clock (a PAT's
   * expiry), which cannot be injected, or in its log, which it writes after answering.
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

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
