package dev.scopedtokens.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scopedtokens.store.postgres.PostgresTokenStore;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.TokenStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13's real processes, and issue 11's revoked token: two standalone servers, A and B, on one
 * PostgreSQL, each with its own cache of verified tokens, signing with the same key; Debian's
 * docker-registry sends its clients to B. Tokens are made and deactivated through A's management
 * API; a revoke, which Docker Hub's API does not have, goes through a core {@link TokenService}
 * over the same database, as an application embedding the SDK would do it.
 *
 * <p>B learns of a change made elsewhere only through the store's change feed: its cache keeps a
 * verified token for 30 seconds otherwise. So every "fails on B" here waits, bounded by {@link
 * #PROPAGATION_BOUND}, for B's {@code /token} to refuse the token, prints how long that took, and
 * then runs the real client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodesInteropIT {
  /**
   * How long B may go on accepting a token changed elsewhere: the feed's worst detection of a
   * silently dead connection (3 s) plus {@code maxCacheAgeWhileFeedDown} (1 s), plus 1 s for a
   * loaded machine. A healthy feed takes milliseconds; B's cache TTL, which a B without the feed
   * would fall back on, is 30 s, so a B that missed the change fails here.
   */
  private static final Duration PROPAGATION_BOUND = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "nodes-registry";
  private static final String ISSUER = "nodes-issuer";
  private static final String ALICE_PW = "alice-password-" + UUID.randomUUID();

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger counter = new AtomicInteger();
  private Path work;
  private Path podmanDir;
  private Path jar;
  private InteropPostgres postgres;
  private Daemon serverA;
  private Daemon serverB;
  private Daemon registry;
  private int portA;
  private int portB;
  private String registryHost;
  private List<String> podman;
  private TokenService tokens;

  @BeforeAll
  void start() throws IOException {
    Processes.requireTools("docker-registry", "skopeo", "podman", "docker");
    jar = Path.of(System.getProperty("scopedtokens.standaloneJar", "missing"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          "the standalone jar " + jar + " is missing; run mvn verify -Pinterop from the root");
    }
    postgres = InteropPostgres.start();
    Path base = Path.of(System.getProperty("scopedtokens.workDir", "target/interop-work"));
    Files.createDirectories(base);
    work = Files.createTempDirectory(base.toAbsolutePath(), "nodes-");
    portA = freePort();
    portB = freePort();
    int registryPort = freePort();
    registryHost = "localhost:" + registryPort;
    podmanDir = Files.createTempDirectory(Path.of("/tmp"), "stn-");
    podman =
        List.of(
            "podman",
            "--root",
            podmanDir.resolve("root").toString(),
            "--runroot",
            podmanDir.resolve("run").toString(),
            "--storage-driver",
            "vfs");

    // One signing key for both nodes, so the registry trusts a token from either.
    Path key = work.resolve("signing.pem");
    cli(null, "keygen", "--name", ISSUER, "--out", key.toString());
    String aliceHash = cli(ALICE_PW + "\n", "hash-password").strip();
    // A creates the schema, as the first node of a deployment does; B only checks it.
    serverA = startServer("a", portA, key, aliceHash, "migrate");
    serverB = startServer("b", portB, key, aliceHash, "validate");

    Files.writeString(
        work.resolve("registry.yml"),
        """
        version: 0.1
        log: {level: info}
        storage:
          filesystem: {rootdirectory: %s}
        http:
          addr: 127.0.0.1:%d
          secret: nodes-http-secret
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
                portB,
                SERVICE,
                ISSUER,
                work.resolve("b").resolve("registry-rootcertbundle.pem")));
    registry =
        Daemon.start(
            List.of("docker-registry", "serve", work.resolve("registry.yml").toString()),
            work.resolve("registry.log"),
            "listening on");

    // The test's own node, built as the servers build theirs (the default Argon2id hasher, no
    // pepper) over the same schema. Its store publishes every change on the feed, as theirs do:
    // without changeFeed(...) a PostgreSQL store tells no other node. It only changes tokens, so
    // it follows nothing itself.
    tokens =
        TokenService.builder()
            .store(
                PostgresTokenStore.builder(postgres.dataSource())
                    .schema(postgres.schema())
                    .changeFeed(postgres.dataSource())
                    .build())
            .ignoreChangeFeed()
            .build();
  }

  private Daemon startServer(String name, int port, Path key, String aliceHash, String schemaMode)
      throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.writeString(
        dir.resolve("server.yml"),
        """
        listen: {host: 127.0.0.1, port: %d}
        token:
          realm: http://localhost:%d/token
          service: %s
          issuer: %s
          keys: [%s]
          lifetime: 60s
        store: %s
        accounts:
          alice: {password: "%s"}
        namespaces:
          - {repositories: "alice/**", owners: [alice]}
        """
            .formatted(
                port, port, SERVICE, ISSUER, key, postgres.storeYaml(schemaMode), aliceHash));
    Daemon server =
        Daemon.start(
            List.of(
                "java", "-jar", jar.toString(), "--config", dir.resolve("server.yml").toString()),
            dir.resolve("server.log"),
            "rootcertbundle:");
    assertThat(server.output()).contains("store=postgresql:");
    return server;
  }

  @AfterAll
  void stop() {
    try {
      for (Daemon daemon : new Daemon[] {registry, serverB, serverA}) {
        if (daemon != null) {
          daemon.close();
        }
      }
      if (tokens != null) {
        tokens.close();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
      Processes.deleteScratch(podmanDir);
    }
  }

  // ---- issue 11: a revoked PAT ------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withARevokedPat_fails(String client) {
    Pat pat = createPat();
    Processes.Result before = login(client, pat.token);
    assertThat(before.ok()).as(before.toString()).isTrue();

    AccessToken revoked = tokens.revoke("alice", UUID.fromString(pat.id));

    assertThat(revoked.status(Instant.now())).isEqualTo(TokenStatus.REVOKED);
    awaitRefusedOnB(pat, "revoked through the core");
    Processes.Result after = login(client, pat.token);
    assertThat(after.ok()).as(after.toString()).isFalse();
  }

  // ---- issue 13: two servers on one PostgreSQL --------------------------------------------

  @Test
  void aPatDeactivatedThroughA_isRefusedByB_withinTheBound_andDockerLoginAgainstBFails() {
    Pat pat = createPat();
    // B verifies the PAT and caches the success; docker login's token request is served from it.
    assertThat(tokenStatus(portB, pat.token)).as("B's /token before").isEqualTo(200);
    int servedByB = count(serverB.output(), "path=/token status=200");
    Processes.Result before = login("docker", pat.token);
    assertThat(before.ok()).as(before.toString()).isTrue();
    awaitLoggedByB("path=/token status=200", servedByB);

    hub(portA, "PATCH", "/v2/access-tokens/" + pat.id, session(), "{\"is_active\":false}");

    awaitRefusedOnB(pat, "deactivated through A's management API");
    assertThat(tokenStatus(portA, pat.token)).as("A's /token after").isEqualTo(401);
    Processes.Result after = login("docker", pat.token);
    assertThat(after.ok()).as(after.toString()).isFalse();
  }

  @Test
  void aLoginServedByB_isTheLastUseThatALists() {
    Pat pat = createPat();
    assertThat(listedOnA(pat).path("last_used").isNull()).as("before any use").isTrue();
    // The API shows microseconds; the use cannot be earlier than this.
    Instant beforeLogin = Instant.now().truncatedTo(ChronoUnit.MICROS);

    int servedByB = count(serverB.output(), "path=/token status=200");
    Processes.Result login = login("docker", pat.token);
    assertThat(login.ok()).as(login.toString()).isTrue();
    awaitLoggedByB("path=/token status=200", servedByB);

    // B wrote the first use as it verified the PAT, before it answered the login.
    JsonNode listed = listedOnA(pat);
    assertThat(listed.path("last_used").isTextual()).as(listed.toString()).isTrue();
    assertThat(Instant.parse(listed.path("last_used").asText()))
        .isBetween(beforeLogin, Instant.now());
  }

  // ---- helpers ----------------------------------------------------------------------------

  private record Pat(String id, String token) {}

  /**
   * Asks B's {@code /token} with the PAT until it answers 401, failing when a request sent past
   * {@link #PROPAGATION_BOUND} is still accepted, and prints when, after the change returned, the
   * last accepted and the first refused requests were sent: the change reached B between the two.
   * (A refusal is answered after B's Argon2id check, so its answer comes later than its sending.)
   */
  private void awaitRefusedOnB(Pat pat, String change) {
    long changed = System.nanoTime();
    long lastAccepted = -1;
    int requests = 0;
    while (true) {
      long sent = System.nanoTime();
      int status = tokenStatus(portB, pat.token);
      requests++;
      if (status == 401) {
        System.out.printf(
            "propagation to B, a PAT %s: refused by the token request sent %.1f ms after the"
                + " change returned (answered at %.1f ms); %s; %d request%s; bound %d ms%n",
            change,
            millis(sent - changed),
            millis(System.nanoTime() - changed),
            lastAccepted < 0
                ? "none accepted after it"
                : "the last accepted was sent at %.1f ms".formatted(millis(lastAccepted - changed)),
            requests,
            requests == 1 ? "" : "s",
            PROPAGATION_BOUND.toMillis());
        return;
      }
      assertThat(status).as("B's /token while the change propagates").isEqualTo(200);
      if (sent - changed > PROPAGATION_BOUND.toNanos()) {
        throw new AssertionError(
            "B still accepted a PAT %s %.0f ms after the change returned; the bound is %d ms"
                .formatted(change, millis(sent - changed), PROPAGATION_BOUND.toMillis()));
      }
      lastAccepted = sent;
      LockSupport.parkNanos(5_000_000L);
    }
  }

  /**
   * Waits, bounded, until B has logged more lines containing {@code needle} than {@code before}: B
   * logs a request after answering it, so the line may trail the client's exit by a moment.
   */
  private void awaitLoggedByB(String needle, int before) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (count(serverB.output(), needle) <= before) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("B logged no new \"" + needle + "\" line within 10 s");
      }
      LockSupport.parkNanos(10_000_000L);
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private Processes.Result login(String client, String secret) {
    String authFile = work.resolve("auth-" + counter.incrementAndGet()).toString();
    List<String> command =
        switch (client) {
          case "docker" -> List.of("docker", "--config", authFile, "login");
          case "podman" -> concat(podman, "login", "--tls-verify=false", "--authfile", authFile);
          default -> List.of("skopeo", "login", "--tls-verify=false", "--authfile", authFile);
        };
    return Processes.run(
        concat(command, "-u", "alice", "--password-stdin", registryHost), Map.of(), secret);
  }

  private Pat createPat() {
    JsonNode created =
        hub(
            portA,
            "POST",
            "/v2/access-tokens",
            session(),
            "{\"token_label\":\"nodes-"
                + counter.incrementAndGet()
                + "\",\"scopes\":[\"repo:read\"]}");
    return new Pat(created.path("uuid").asText(), created.path("token").asText());
  }

  /** The PAT as A's listing of alice's tokens shows it. */
  private JsonNode listedOnA(Pat pat) {
    JsonNode page = hub(portA, "GET", "/v2/access-tokens?page=1&page_size=100", session(), null);
    for (JsonNode token : page.path("results")) {
      if (token.path("uuid").asText().equals(pat.id)) {
        return token;
      }
    }
    throw new AssertionError("A does not list " + pat.id + ": " + page);
  }

  private String session() {
    return hub(
            portA,
            "POST",
            "/v2/users/login",
            null,
            "{\"username\":\"alice\",\"password\":\"" + ALICE_PW + "\"}")
        .path("token")
        .asText();
  }

  private JsonNode hub(int port, String method, String path, String bearer, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
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
    HttpResponse<String> response = exchange(request.build());
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isBetween(200, 299);
    try {
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The status of a pull token request for alice/app with the PAT as her password. */
  private int tokenStatus(int port, String pat) {
    String basic =
        Base64.getEncoder().encodeToString(("alice:" + pat).getBytes(StandardCharsets.UTF_8));
    return exchange(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://localhost:"
                            + port
                            + "/token?service="
                            + SERVICE
                            + "&scope=repository:alice/app:pull"))
                .header("Authorization", "Basic " + basic)
                .build())
        .statusCode();
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

  /** Runs the standalone jar's command line, feeding it {@code stdin} (may be null). */
  private String cli(String stdin, String... args) {
    Processes.Result result =
        Processes.run(concat(List.of("java", "-jar", jar.toString()), args), Map.of(), stdin);
    assertThat(result.ok()).as(result.toString()).isTrue();
    return result.output();
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
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
