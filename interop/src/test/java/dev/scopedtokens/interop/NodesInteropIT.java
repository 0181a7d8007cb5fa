package dev.scopedtokens.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scopedtokens.interop.HubCalls.Pat;
import dev.scopedtokens.store.postgres.PostgresTokenStore;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.TokenStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
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

  private static final String SERVICE = "nodes-registry";
  private static final String ISSUER = "nodes-issuer";
  private static final String ALICE_PW = "alice-password-" + UUID.randomUUID();

  private Path work;
  private Standalone standalone;
  private InteropPostgres postgres;
  private Daemon serverA;
  private Daemon serverB;
  private Daemon registry;
  private HubCalls hubA;
  private HubCalls hubB;
  private Clients clients;
  private TokenService tokens;

  @BeforeAll
  void start() throws IOException {
    Processes.requireTools("docker-registry", "skopeo", "podman", "docker");
    standalone = Standalone.locate();
    postgres = InteropPostgres.start();
    work = Standalone.workDir("nodes-");
    int portA = Daemon.freePort();
    int portB = Daemon.freePort();
    int registryPort = Daemon.freePort();
    hubA = new HubCalls(portA, SERVICE);
    hubB = new HubCalls(portB, SERVICE);
    clients = new Clients(work, "localhost:" + registryPort, "stn-");

    // One signing key for both nodes, so the registry trusts a token from either.
    Path key = work.resolve("signing.pem");
    standalone.cli(null, "keygen", "--name", ISSUER, "--out", key.toString());
    String aliceHash = standalone.hashPassword(ALICE_PW);
    // A creates the schema, as the first node of a deployment does; B only checks it.
    serverA = startServer("a", portA, key, aliceHash, "migrate");
    serverB = startServer("b", portB, key, aliceHash, "validate");

    registry =
        Daemon.registry(
            work,
            registryPort,
            portB,
            SERVICE,
            ISSUER,
            work.resolve("b").resolve("registry-rootcertbundle.pem"));

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
    Daemon server = standalone.start(dir.resolve("server.yml"), dir.resolve("server.log"));
    assertThat(server.output()).contains("store=postgresql:");
    return server;
  }

  @AfterAll
  void stop() {
    Processes.closeAll(registry, serverB, serverA, tokens, postgres, clients);
  }

  // ---- issue 11: a revoked PAT ------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"docker", "podman", "skopeo"})
  void login_withARevokedPat_fails(String client) {
    Pat pat = hubA.createPat("alice", ALICE_PW, "repo:read");
    Processes.Result before = clients.login(client, "alice", pat.token());
    assertThat(before.ok()).as(before.toString()).isTrue();

    AccessToken revoked = tokens.revoke("alice", UUID.fromString(pat.id()));

    assertThat(revoked.status(Instant.now())).isEqualTo(TokenStatus.REVOKED);
    awaitRefusedOnB(pat, "revoked through the core");
    Processes.Result after = clients.login(client, "alice", pat.token());
    assertThat(after.ok()).as(after.toString()).isFalse();
  }

  // ---- issue 13: two servers on one PostgreSQL --------------------------------------------

  @Test
  void aPatDeactivatedThroughA_isRefusedByB_withinTheBound_andDockerLoginAgainstBFails() {
    Pat pat = hubA.createPat("alice", ALICE_PW, "repo:read");
    // B verifies the PAT and caches the success; docker login's token request is served from it.
    assertThat(tokenStatus(hubB, pat)).as("B's /token before").isEqualTo(200);
    int servedByB = serverB.count("path=/token status=200");
    Processes.Result before = clients.login("docker", "alice", pat.token());
    assertThat(before.ok()).as(before.toString()).isTrue();
    serverB.awaitCount("path=/token status=200", servedByB, Duration.ofSeconds(10));

    hubA.deactivate(session(), pat);

    awaitRefusedOnB(pat, "deactivated through A's management API");
    assertThat(tokenStatus(hubA, pat)).as("A's /token after").isEqualTo(401);
    Processes.Result after = clients.login("docker", "alice", pat.token());
    assertThat(after.ok()).as(after.toString()).isFalse();
  }

  @Test
  void aLoginServedByB_isTheLastUseThatALists() {
    Pat pat = hubA.createPat("alice", ALICE_PW, "repo:read");
    assertThat(listedOnA(pat).path("last_used").isNull()).as("before any use").isTrue();
    // The API shows microseconds; the use cannot be earlier than this.
    Instant beforeLogin = Instant.now().truncatedTo(ChronoUnit.MICROS);

    int servedByB = serverB.count("path=/token status=200");
    Processes.Result login = clients.login("docker", "alice", pat.token());
    assertThat(login.ok()).as(login.toString()).isTrue();
    serverB.awaitCount("path=/token status=200", servedByB, Duration.ofSeconds(10));

    // B wrote the first use as it verified the PAT, before it answered the login.
    JsonNode listed = listedOnA(pat);
    assertThat(listed.path("last_used").isTextual()).as(listed.toString()).isTrue();
    assertThat(Instant.parse(listed.path("last_used").asText()))
        .isBetween(beforeLogin, Instant.now());
  }

  // ---- helpers ----------------------------------------------------------------------------

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
      int status = tokenStatus(hubB, pat);
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
    }
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** The PAT as A's listing of alice's tokens shows it. */
  private JsonNode listedOnA(Pat pat) {
    JsonNode page = hubA.call("GET", "/v2/access-tokens?page=1&page_size=100", session(), null);
    for (JsonNode token : page.path("results")) {
      if (token.path("uuid").asText().equals(pat.id())) {
        return token;
      }
    }
    throw new AssertionError("A does not list " + pat.id() + ": " + page);
  }

  private String session() {
    return hubA.session("alice", ALICE_PW);
  }

  /** The status of a pull token request for alice/app with the PAT as her password. */
  private static int tokenStatus(HubCalls node, Pat pat) {
    return node.token("alice", pat.token(), "&scope=repository:alice/app:pull").statusCode();
  }
}
