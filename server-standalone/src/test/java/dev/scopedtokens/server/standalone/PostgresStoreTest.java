package dev.scopedtokens.server.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server with {@code store: {url: jdbc:postgresql:...}} against a real PostgreSQL: a
 * token made through the management API still verifies at {@code /token} after a restart, which the
 * in-memory store, run the same way, does not.
 */
class PostgresStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static String aliceHash;
  private static TestPostgres postgres;

  @TempDir Path dir;
  private String schema;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  static void hashOnce() {
    aliceHash = Argon2idHasher.defaults().hash(TokenSecret.of("alice-pw"));
    postgres = TestPostgres.get();
  }

  @BeforeEach
  void keys() throws IOException {
    schema = TestPostgres.freshSchema();
    SigningKey key =
        SigningKey.generate(
            JwtAlgorithm.ES256,
            "test-issuer",
            Instant.now().minusSeconds(60),
            Duration.ofDays(1),
            new SecureRandom());
    Files.writeString(
        dir.resolve("signing.pem"), key.exportPrivateKeyPem() + key.certificateChainPem());
    SigningKey session =
        SigningKey.generate(
            JwtAlgorithm.ES256,
            "sessions",
            Instant.now().minusSeconds(60),
            Duration.ofDays(1),
            new SecureRandom());
    Files.writeString(
        dir.resolve("session.pem"), session.exportPrivateKeyPem() + session.certificateChainPem());
  }

  @AfterEach
  void dropSchema() {
    postgres.dropSchema(schema);
  }

  private Path config(String store) throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(
        file,
        """
        listen: {host: 127.0.0.1, port: 0}
        token:
          realm: http://localhost/token
          service: test-registry
          issuer: test-issuer
          keys: [signing.pem]
        accounts:
          alice: {password: "%s"}
        namespaces:
          - {repositories: "alice/**", owners: [alice]}
        store: %s
        """
            .formatted(aliceHash, store));
    return file;
  }

  private String postgresStore(String schemaMode) {
    return "{url: '"
        + postgres.url
        + "', user: "
        + postgres.user
        + (postgres.hasPassword() ? ", passwordEnv: " + TestPostgres.PASSWORD_VARIABLE : "")
        + ", schema: "
        + schema
        + ", schemaMode: "
        + schemaMode
        + ", maxConnections: 4}";
  }

  private Main.Running start(Path config) {
    return Main.start(
        config, new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC());
  }

  @Test
  void aTokenMadeThroughTheApi_stillVerifies_afterARestart() throws Exception {
    String pat;
    try (Main.Running first = start(config(postgresStore("migrate")))) {
      pat = createToken(first.server().address());
      assertThat(tokenStatus(first.server().address(), pat)).isEqualTo(200);
    }
    // The schema the first start made is the one the second validates.
    try (Main.Running second = start(config(postgresStore("validate")))) {
      InetSocketAddress address = second.server().address();

      assertThat(tokenStatus(address, pat)).isEqualTo(200);
      assertThat(tokenStatus(address, pat + "x")).isEqualTo(401);
    }
    String printed = log.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("store=postgresql:" + postgres.url).doesNotContain(pat);
  }

  /**
   * Two servers on one database, each with its own cache: a token deactivated through A's
   * management API stops working at B's token endpoint although B had just verified (and cached)
   * it. B hears of the change through the store's change feed; without it, B would serve its cached
   * success for the cache's 30 seconds, far past the 10 seconds this test allows.
   */
  @Test
  void aTokenDeactivatedOnOneServer_stopsWorkingOnTheOther() throws Exception {
    try (Main.Running a = start(config(postgresStore("migrate")));
        Main.Running b = start(config(postgresStore("validate")))) {
      InetSocketAddress addressA = a.server().address();
      InetSocketAddress addressB = b.server().address();
      String jwt = login(addressA);
      JsonNode created =
          post(
              addressA,
              "/v2/access-tokens",
              jwt,
              "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}");
      String pat = created.get("token").asText();
      assertThat(tokenStatus(addressB, pat)).as("B before").isEqualTo(200);

      HttpResponse<String> patched =
          HTTP.send(
              HttpRequest.newBuilder(
                      base(addressA).resolve("/v2/access-tokens/" + created.get("uuid").asText()))
                  .header("Authorization", "Bearer " + jwt)
                  .header("Content-Type", "application/json")
                  .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"is_active\":false}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      int status = tokenStatus(addressB, pat);
      while (status == 200 && System.nanoTime() < deadline) {
        status = tokenStatus(addressB, pat);
      }
      assertThat(status).as("B after A deactivated the token").isEqualTo(401);
      assertThat(tokenStatus(addressA, pat)).as("A after").isEqualTo(401);
    }
  }

  /**
   * Behind a load balancer a client's next management call may reach another server: with the same
   * {@code sessions.keyFile} on both, a session A issued is good on B; without it, each server
   * knows only its own sessions.
   */
  @Test
  void aSessionFromOneServer_isGoodOnTheOther_onlyWhenTheyShareTheSessionKey() throws Exception {
    Path shared = config(postgresStore("migrate") + "\nsessions: {keyFile: session.pem}");
    try (Main.Running a = start(shared);
        Main.Running b = start(shared)) {
      String jwt = login(a.server().address());

      assertThat(listStatus(b.server().address(), jwt)).as("B, shared key").isEqualTo(200);
    }
    Path own = config(postgresStore("validate"));
    try (Main.Running a = start(own);
        Main.Running b = start(own)) {
      String jwt = login(a.server().address());

      assertThat(listStatus(a.server().address(), jwt)).as("A, its own session").isEqualTo(200);
      assertThat(listStatus(b.server().address(), jwt)).as("B, a key of its own").isEqualTo(401);
    }
  }

  private static int listStatus(InetSocketAddress address, String jwt) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(base(address).resolve("/v2/access-tokens"))
                .header("Authorization", "Bearer " + jwt)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void inMemory_theSameTokenIsGone_afterARestart() throws Exception {
    String pat;
    try (Main.Running first = start(config("memory"))) {
      pat = createToken(first.server().address());
      assertThat(tokenStatus(first.server().address(), pat)).isEqualTo(200);
    }
    try (Main.Running second = start(config("memory"))) {
      assertThat(tokenStatus(second.server().address(), pat)).isEqualTo(401);
    }
  }

  @Test
  void validate_onAnEmptySchema_refusesToStart_sayingWhatItFound() throws IOException {
    Path file = config(postgresStore("validate"));

    assertThatThrownBy(() -> start(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("store: ")
        .hasMessageContaining(schema);
  }

  @Test
  void anUnreachableDatabase_refusesToStart_namingWhere() throws IOException {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    Path file = config("{url: 'jdbc:postgresql://127.0.0.1:1/tokens', user: tokens}");

    assertThatThrownBy(() -> start(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "store.url: cannot connect to jdbc:postgresql://127.0.0.1:1/tokens");
  }

  @Test
  void aPasswordInTheUrl_isRefused_andNotRepeated() throws IOException {
    Path file =
        config("{url: 'jdbc:postgresql://127.0.0.1:1/tokens?user=t&password=hunter2', user: t}");

    assertThatThrownBy(() -> start(file))
        .hasMessageContaining("store.url: must not carry a password")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aMissingPasswordVariable_isRefused_namingIt() {
    StandaloneConfig.StoreSettings settings =
        new StandaloneConfig.StoreSettings(
            postgres.url,
            java.util.Optional.of(postgres.user),
            java.util.Optional.empty(),
            java.util.Optional.of("NO_SUCH_VARIABLE"),
            schema,
            dev.scopedtokens.store.postgres.PostgresTokenStore.SchemaMode.MIGRATE,
            2);

    assertThatThrownBy(() -> Stores.open(settings, Map.<String, String>of()::get))
        .hasMessage("store.passwordEnv: the environment variable NO_SUCH_VARIABLE is not set");
  }

  @Test
  void aPasswordFile_isReadWithoutItsLineEnd_andKeptOutOfMessages() throws IOException {
    Path secret = dir.resolve("db.pass");
    Files.writeString(secret, "s3cret-pw\n");
    Path file =
        config(
            "{url: 'jdbc:postgresql://127.0.0.1:1/tokens', user: tokens, passwordFile: db.pass}");

    assertThatThrownBy(() -> start(file))
        .hasMessageStartingWith("store.url: cannot connect to")
        .hasMessageNotContaining("s3cret-pw");
  }

  /** Logs in as alice through the management API; the session JWT. */
  private static String login(InetSocketAddress address) throws Exception {
    return post(
            address, "/v2/users/login", null, "{\"username\":\"alice\",\"password\":\"alice-pw\"}")
        .get("token")
        .asText();
  }

  /** Logs in as alice and makes a {@code repo:read} token through the management API. */
  private static String createToken(InetSocketAddress address) throws Exception {
    JsonNode login =
        post(
            address, "/v2/users/login", null, "{\"username\":\"alice\",\"password\":\"alice-pw\"}");
    JsonNode created =
        post(
            address,
            "/v2/access-tokens",
            login.get("token").asText(),
            "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}");
    return created.get("token").asText();
  }

  private static JsonNode post(InetSocketAddress address, String path, String jwt, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base(address).resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (jwt != null) {
      request.header("Authorization", "Bearer " + jwt);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(200, 201);
    return JSON.readTree(response.body());
  }

  /** The status of {@code GET /token} for a pull of alice/app with the token as password. */
  private static int tokenStatus(InetSocketAddress address, String pat) throws Exception {
    String basic =
        Base64.getEncoder().encodeToString(("alice:" + pat).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    base(address)
                        .resolve("/token?service=test-registry&scope=repository:alice/app:pull"))
                .header("Authorization", "Basic " + basic)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 200) {
      assertThat(JSON.readTree(response.body()).has("token")).isTrue();
    }
    return response.statusCode();
  }

  private static URI base(InetSocketAddress address) {
    return URI.create("http://127.0.0.1:" + address.getPort());
  }
}
