package dev.scopedtokens.benchmarks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.scopedtokens.client.AccessTokenPage;
import dev.scopedtokens.client.Credentials;
import dev.scopedtokens.client.HubClient;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.testkit.FakeDockerHub;
import dev.scopedtokens.token.TokenRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One page of 100 tokens from the fake Docker Hub on loopback: through {@link HubClient#listPage}
 * against the same request made with a bare {@link HttpClient} and Jackson, reading the page into
 * records typed as the client's results are (UUIDs and instants, via Jackson's JSR-310 module).
 * Both sides use an {@code HttpClient} built the same way (no redirects, 10 s connect timeout) and
 * a JWT obtained before the measurement. Target: {@code client} at most 1.3 times {@code
 * bareHttpClientJackson}.
 *
 * <p>The server's work (authenticating the JWT, listing and writing 100 tokens) is in both; the
 * difference is what the client adds: building the request, its retry and session bookkeeping, and
 * mapping the wire to typed results (UUIDs, instants, scopes).
 *
 * <p>Run: {@code mvn -q -B -ntp -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar ClientListBenchmark}
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Without TCP_NODELAY the JDK's HTTP server sends a response's headers and body in two writes,
// and the second waits for the client's delayed ACK: about 40 ms a request on Linux, which would
// swamp both sides alike.
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
public class ClientListBenchmark {
  private static final String USER = "alice";
  private static final String PASSWORD = "correct horse battery staple";
  private static final int TOKENS = 100;

  private FakeDockerHub hub;
  private HubClient client;
  private HttpClient bare;
  private HttpRequest bareRequest;
  private ObjectMapper mapper;

  /** The bare side's reading of a page: the fields a caller would use. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BarePage(
      @JsonProperty("count") long count,
      @JsonProperty("next") String next,
      @JsonProperty("results") List<BareToken> results) {}

  /**
   * The bare side's reading of a token, typed as the client's result is (a UUID, instants), so that
   * both sides do the same work on each token.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BareToken(
      @JsonProperty("uuid") UUID uuid,
      @JsonProperty("token_label") String label,
      @JsonProperty("scopes") List<String> scopes,
      @JsonProperty("is_active") boolean active,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("last_used") Instant lastUsed,
      @JsonProperty("expires_at") Instant expiresAt,
      @JsonProperty("generated_by") String generatedBy,
      @JsonProperty("client_id") String clientId,
      @JsonProperty("creator_ip") String creatorIp,
      @JsonProperty("creator_ua") String creatorUa) {}

  /** Starts the fake with 100 tokens, signs both sides in, and checks they read the same page. */
  @Setup
  public void setUp() throws IOException, InterruptedException {
    HmacSha256Hasher fast = HmacSha256Hasher.withPepper(Fixtures.pepper());
    hub = FakeDockerHub.builder().tokenHasher(fast).passwordHasher(fast).start();
    hub.addUser(USER, PASSWORD);
    for (int i = 0; i < TOKENS; i++) {
      hub.tokens().create(USER, TokenRequest.of("token " + i, Scope.REPO_WRITE));
    }
    client =
        HubClient.builder()
            .baseUri(hub.baseUri())
            .credentials(Credentials.password(USER, PASSWORD))
            .httpClient(newHttpClient())
            .build();
    mapper = new ObjectMapper().registerModule(new JavaTimeModule());
    bare = newHttpClient();
    String login = mapper.writeValueAsString(Map.of("username", USER, "password", PASSWORD));
    HttpResponse<byte[]> loggedIn =
        bare.send(
            HttpRequest.newBuilder(URI.create(hub.baseUri() + "/v2/users/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(login, StandardCharsets.UTF_8))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    String jwt = mapper.readTree(loggedIn.body()).get("token").asText();
    bareRequest =
        HttpRequest.newBuilder(
                URI.create(hub.baseUri() + "/v2/access-tokens?page=1&page_size=" + TOKENS))
            .header("Authorization", "Bearer " + jwt)
            .header("Accept", "application/json")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    if (client().tokens().size() != TOKENS || bareHttpClientJackson().results().size() != TOKENS) {
      throw new IllegalStateException("both sides must read a full page of " + TOKENS);
    }
  }

  /** Stops the fake. */
  @TearDown
  public void tearDown() {
    hub.close();
  }

  /** The SDK: {@code listPage(1, 100)}, typed results. */
  @Benchmark
  public AccessTokenPage client() {
    return client.listPage(1, TOKENS);
  }

  /** The building blocks: the same GET with {@code HttpClient}, read with Jackson into records. */
  @Benchmark
  public BarePage bareHttpClientJackson() throws IOException, InterruptedException {
    HttpResponse<byte[]> response = bare.send(bareRequest, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("status " + response.statusCode());
    }
    return mapper.readValue(response.body(), BarePage.class);
  }

  private static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }
}
