package dev.scopedtokens.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.server.accounts.Account;
import dev.scopedtokens.server.accounts.AccountDirectory;
import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.SigningKey;
import dev.scopedtokens.server.jwt.SigningKeys;
import dev.scopedtokens.server.registry.RegistryTokenEndpoint;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load on the registry token endpoint over loopback, side by side with a bare handler, and a burst
 * of uncached Argon2id logins.
 *
 * <p><b>Throughput.</b> One JDK {@code HttpServer} on 127.0.0.1 serves two paths: {@code /token},
 * the {@link RegistryTokenEndpoint} (Basic with a personal access token whose verification is
 * cached, one repository scope, grant through the core, ES256 JWT with {@code x5c}), and {@code
 * /bare}, a handler that only parses the Basic header and signs the same claims with the same key
 * through the JDK's {@code Signature}, answering the same JSON shape. A keep-alive client of 16
 * connections (raw sockets, so that the client costs little) runs each side in turn for several
 * rounds; the figures are the median round's throughput, the ratio endpoint/bare per round, and the
 * p50 and p99 latency of all requests of each side. Target: ratio at least 0.7.
 *
 * <p><b>Burst.</b> A second endpoint with the default Argon2id verifier and no cache takes 200
 * logins at once, each with its own token, over 200 connections: all must be answered 200 (none
 * failed for memory: the hasher bounds concurrent hashes); the wall time and the process's peak
 * resident memory are reported.
 *
 * <pre>{@code
 * mvn -q -B -ntp -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.scopedtokens.benchmarks.RegistryTokenLoad
 * }</pre>
 *
 * Optional arguments: seconds per round, rounds, burst size (defaults 5 6 200). Exit status 0 when
 * both targets are met.
 */
public final class RegistryTokenLoad {
  private static final int CONNECTIONS = 16;
  private static final double TARGET_RATIO = 0.7;
  private static final String SCOPE = "repository:team/app:pull";
  private static final String QUERY = "service=registry&scope=repository%3Ateam%2Fapp%3Apull";

  private RegistryTokenLoad() {}

  /**
   * Runs the load.
   *
   * @param args optionally: seconds per round, rounds, burst size
   */
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    int burst = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    System.out.printf(
        Locale.ROOT,
        "RegistryTokenLoad: %d connections, %d rounds of %d s per side, burst of %d; Java %s, %d"
            + " CPUs%n",
        CONNECTIONS,
        rounds,
        seconds,
        burst,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    boolean met = throughput(seconds, rounds);
    met &= burst(burst);
    System.exit(met ? 0 : 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Throughput

  private static boolean throughput(int seconds, int rounds) throws Exception {
    SecureRandom random = new SecureRandom();
    SigningKey key =
        SigningKey.generate(
            JwtAlgorithm.ES256, "issuer", Instant.now(), Duration.ofDays(1), random);
    TokenService tokens =
        TokenService.builder()
            .store(new InMemoryTokenStore())
            .cache(Duration.ofHours(1), 10_000) // "cache warm" for the whole run
            .build();
    IssuedToken pat = tokens.create("alice", TokenRequest.of("load", Scope.REPO_READ));
    RegistryTokenEndpoint endpoint =
        RegistryTokenEndpoint.builder()
            .service("registry")
            .issuer("issuer")
            .verifier(tokens)
            .accounts(new Directory())
            .signingKeys(SigningKeys.of(key))
            .build();
    BareHandler bare = new BareHandler(key, key.certificateChain().get(0).getEncoded());
    ExecutorService executor = Executors.newFixedThreadPool(CONNECTIONS);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(executor);
    server.createContext("/token", exchange -> serve(endpoint, exchange));
    server.createContext("/bare", bare::serve);
    server.start();
    try {
      int port = server.getAddress().getPort();
      String authorization =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      ("alice:" + pat.secret().reveal()).getBytes(StandardCharsets.UTF_8));
      byte[] endpointRequest = request("/token?" + QUERY, authorization);
      byte[] bareRequest = request("/bare?" + QUERY, authorization);
      check(port, endpointRequest, "\"actions\":[\"pull\"]");
      check(port, bareRequest, "\"actions\":[\"pull\"]");

      System.out.println("warm-up: 2 rounds of " + seconds + " s per side");
      for (int i = 0; i < 2; i++) {
        run(port, bareRequest, seconds);
        run(port, endpointRequest, seconds);
      }
      List<Result> bareRounds = new ArrayList<>();
      List<Result> endpointRounds = new ArrayList<>();
      double[] ratios = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        // Alternate which side goes first, so that drift in the machine's load hits both.
        Result b;
        Result e;
        if (i % 2 == 0) {
          b = run(port, bareRequest, seconds);
          e = run(port, endpointRequest, seconds);
        } else {
          e = run(port, endpointRequest, seconds);
          b = run(port, bareRequest, seconds);
        }
        bareRounds.add(b);
        endpointRounds.add(e);
        ratios[i] = e.perSecond() / b.perSecond();
        System.out.printf(
            Locale.ROOT,
            "round %d: bare %,.0f req/s, endpoint %,.0f req/s, ratio %.2f%n",
            i + 1,
            b.perSecond(),
            e.perSecond(),
            ratios[i]);
      }
      Arrays.sort(ratios);
      double ratio = median(ratios);
      Summary bareSummary = Summary.of(bareRounds);
      Summary endpointSummary = Summary.of(endpointRounds);
      System.out.printf(
          Locale.ROOT,
          "bare handler:     %,.0f req/s (median round), p50 %.2f ms, p99 %.2f ms, %d errors%n",
          bareSummary.medianPerSecond,
          bareSummary.p50Millis,
          bareSummary.p99Millis,
          bareSummary.errors);
      System.out.printf(
          Locale.ROOT,
          "token endpoint:   %,.0f req/s (median round), p50 %.2f ms, p99 %.2f ms, %d errors%n",
          endpointSummary.medianPerSecond,
          endpointSummary.p50Millis,
          endpointSummary.p99Millis,
          endpointSummary.errors);
      boolean met = ratio >= TARGET_RATIO && bareSummary.errors == 0 && endpointSummary.errors == 0;
      System.out.printf(
          Locale.ROOT,
          "ratio endpoint/bare: %.2f (median of %d rounds; target >= %.1f): %s%n",
          ratio,
          rounds,
          TARGET_RATIO,
          met ? "met" : "NOT met");
      return met;
    } finally {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  /** The same claims, header and answer as the endpoint, with nothing but the JDK. */
  private static final class BareHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrivateKey privateKey;
    private final String encodedHeader;
    private final SecureRandom random = new SecureRandom();

    BareHandler(SigningKey key, byte[] certificate) throws IOException {
      this.privateKey = privateKeyOf(key);
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("alg", "ES256");
      header.put("typ", "JWT");
      header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate)));
      this.encodedHeader =
          Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(header));
    }

    void serve(HttpExchange exchange) throws IOException {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        String user = decoded.substring(0, decoded.indexOf(':'));
        long now = Instant.now().getEpochSecond();
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "issuer");
        claims.put("sub", user);
        claims.put("aud", "registry");
        claims.put("exp", now + 300);
        claims.put("nbf", now);
        claims.put("iat", now);
        claims.put("jti", Base64.getUrlEncoder().withoutPadding().encodeToString(jti));
        claims.put(
            "access",
            List.of(Map.of("type", "repository", "name", "team/app", "actions", List.of("pull"))));
        String input =
            encodedHeader
                + "."
                + Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
        signature.initSign(privateKey);
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        String jwt =
            input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", jwt);
        body.put("access_token", jwt);
        body.put("expires_in", 300);
        body.put("issued_at", Instant.ofEpochSecond(now).toString());
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
    }

    /** The key through its PEM, as a bare server would load it from a file. */
    private static PrivateKey privateKeyOf(SigningKey key) throws IOException {
      Path file = Files.createTempFile("registry-token-load", ".pem");
      try {
        Files.writeString(file, key.exportPrivateKeyPem());
        String pem = Files.readString(file);
        byte[] der =
            Base64.getMimeDecoder()
                .decode(
                    pem.replace("-----BEGIN PRIVATE KEY-----", "")
                        .replace("-----END PRIVATE KEY-----", ""));
        return java.security.KeyFactory.getInstance("EC")
            .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Burst of uncached Argon2id logins

  private static boolean burst(int size) throws Exception {
    Argon2idHasher hasher = Argon2idHasher.defaults();
    TokenService tokens =
        TokenService.builder()
            .store(new InMemoryTokenStore())
            .hasher(hasher)
            .disableCache()
            .plans(dev.scopedtokens.plan.PlanResolver.fixed(unlimited()))
            .build();
    List<String> authorizations = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      IssuedToken pat = tokens.create("user" + i, TokenRequest.of("burst", Scope.REPO_READ));
      authorizations.add(
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      ("user" + i + ":" + pat.secret().reveal()).getBytes(StandardCharsets.UTF_8)));
    }
    RegistryTokenEndpoint endpoint =
        RegistryTokenEndpoint.builder()
            .service("registry")
            .issuer("issuer")
            .verifier(tokens)
            .accounts(new Directory())
            .signingKeys(
                SigningKeys.of(
                    SigningKey.generate(
                        JwtAlgorithm.ES256,
                        "issuer",
                        Instant.now(),
                        Duration.ofDays(1),
                        new SecureRandom())))
            .build();
    ExecutorService executor = Executors.newFixedThreadPool(CONNECTIONS);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.setExecutor(executor);
    server.createContext("/token", exchange -> serve(endpoint, exchange));
    server.start();
    long rssBefore = residentKiB("VmRSS");
    try {
      int port = server.getAddress().getPort();
      CountDownLatch ready = new CountDownLatch(size);
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger ok = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      List<Thread> clients = new ArrayList<>();
      long[] finished = new long[size];
      for (int i = 0; i < size; i++) {
        int n = i;
        byte[] request = request("/token?" + QUERY, authorizations.get(i));
        Thread client =
            new Thread(
                () -> {
                  try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.setSoTimeout(120_000);
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    ready.countDown();
                    go.await();
                    out.write(request);
                    out.flush();
                    int status = readResponse(in, null);
                    finished[n] = System.nanoTime();
                    (status == 200 ? ok : failed).incrementAndGet();
                  } catch (IOException | InterruptedException e) {
                    failed.incrementAndGet();
                    finished[n] = System.nanoTime();
                  }
                },
                "burst-" + i);
        clients.add(client);
        client.start();
      }
      ready.await();
      long start = System.nanoTime();
      go.countDown();
      for (Thread client : clients) {
        client.join();
      }
      long end = Arrays.stream(finished).max().orElse(start);
      long peak = residentKiB("VmHWM");
      boolean met = ok.get() == size && failed.get() == 0;
      System.out.printf(
          Locale.ROOT,
          "burst: %d uncached Argon2id logins (m=%d KiB, t=%d, at most %d hashes at once) over %d"
              + " connections: %d answered 200, %d failed, in %.2f s; resident memory %,d MiB"
              + " before, peak %,d MiB: %s%n",
          size,
          hasher.memoryKiB(),
          hasher.iterations(),
          hasher.maxConcurrentHashes(),
          size,
          ok.get(),
          failed.get(),
          (end - start) / 1e9,
          rssBefore >> 10,
          peak >> 10,
          met ? "met" : "NOT met");
      return met;
    } finally {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private static dev.scopedtokens.plan.Plan unlimited() {
    return dev.scopedtokens.plan.Plan.preset("business-2021");
  }

  // ---------------------------------------------------------------------------------------------
  // Plumbing

  /** team/app is private and everyone may read it. */
  private static final class Directory implements AccountDirectory {
    @Override
    public Optional<Account> authenticate(String username, String password) {
      return Optional.empty();
    }

    @Override
    public boolean verifySecondFactor(Account account, String code) {
      return false;
    }

    @Override
    public RepositoryAccess repositoryAccess(Optional<String> account, String repository) {
      return repository.equals("team/app") && account.isPresent()
          ? RepositoryAccess.of(RepositoryVisibility.PRIVATE, OwnerAccess.READ)
          : RepositoryAccess.INACCESSIBLE;
    }
  }

  /** A minimal adapter from the JDK server to an {@link HttpEndpoint}, as the tests have. */
  private static void serve(HttpEndpoint endpoint, HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readNBytes(64 * 1024);
      URI uri = exchange.getRequestURI();
      HttpRequest request =
          HttpRequest.builder(exchange.getRequestMethod(), uri.getRawPath())
              .rawQuery(uri.getRawQuery())
              .headers(HttpHeaders.of(Map.copyOf(exchange.getRequestHeaders())))
              .body(body)
              .build();
      HttpResponse response = endpoint.handle(request);
      response
          .headers()
          .asMap()
          .forEach((name, values) -> exchange.getResponseHeaders().put(name, List.copyOf(values)));
      exchange.sendResponseHeaders(
          response.status(), response.bodyLength() == 0 ? -1 : response.bodyLength());
      try (OutputStream out = exchange.getResponseBody()) {
        response.writeBody(out);
      }
    }
  }

  private static byte[] request(String target, String authorization) {
    return ("GET "
            + target
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
            + authorization
            + "\r\nAccept: application/json\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static void check(int port, byte[] request, String expected) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getOutputStream().write(request);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int status = readResponse(new BufferedInputStream(socket.getInputStream()), body);
      String text = body.toString(StandardCharsets.UTF_8);
      String payload = text.split("\"token\":\"", 2)[1].split("\\.", 3)[1];
      String claims = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
      if (status != 200 || !claims.contains(expected)) {
        throw new IllegalStateException("unexpected answer " + status + ": " + claims);
      }
    }
  }

  /** Reads one response; returns the status, and the body into {@code body} if given. */
  private static int readResponse(InputStream in, ByteArrayOutputStream body) throws IOException {
    StringBuilder line = new StringBuilder();
    int status = -1;
    int length = 0;
    boolean chunked = false;
    while (true) {
      line.setLength(0);
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      if (line.length() == 0) {
        break;
      }
      String text = line.toString();
      if (status < 0) {
        status = Integer.parseInt(text.split(" ")[1]);
      } else if (text.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(text.substring(15).trim());
      } else if (text.regionMatches(true, 0, "Transfer-Encoding:", 0, 18)) {
        chunked = true;
      }
    }
    if (chunked) {
      throw new IOException("chunked answers are not expected here");
    }
    byte[] bytes = in.readNBytes(length);
    if (body != null) {
      body.writeBytes(bytes);
    }
    return status;
  }

  private record Result(long count, double seconds, long[] latencies, int errors) {
    double perSecond() {
      return count / seconds;
    }
  }

  private record Summary(double medianPerSecond, double p50Millis, double p99Millis, int errors) {
    static Summary of(List<Result> rounds) {
      double[] rates = rounds.stream().mapToDouble(Result::perSecond).sorted().toArray();
      long[] all =
          rounds.stream().flatMapToLong(r -> Arrays.stream(r.latencies)).sorted().toArray();
      int errors = rounds.stream().mapToInt(Result::errors).sum();
      return new Summary(
          median(rates),
          all[(int) (all.length * 0.50)] / 1e6,
          all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6,
          errors);
    }
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Runs 16 keep-alive connections in closed loops for {@code seconds}. */
  private static Result run(int port, byte[] request, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> perThread = new ArrayList<>();
    int[] counts = new int[CONNECTIONS];
    AtomicInteger errors = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < CONNECTIONS; t++) {
      long[] latencies = new long[2_000_000];
      perThread.add(latencies);
      int n = t;
      Thread thread =
          new Thread(
              () -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                  socket.setTcpNoDelay(true);
                  InputStream in = new BufferedInputStream(socket.getInputStream());
                  OutputStream out = socket.getOutputStream();
                  int count = 0;
                  long now;
                  while ((now = System.nanoTime()) < deadline && count < latencies.length) {
                    out.write(request);
                    out.flush();
                    int status = readResponse(in, null);
                    latencies[count++] = System.nanoTime() - now;
                    if (status != 200) {
                      errors.incrementAndGet();
                    }
                  }
                  counts[n] = count;
                } catch (IOException e) {
                  errors.incrementAndGet();
                }
              },
              "load-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long total = 0;
    long[] merged = new long[Arrays.stream(counts).sum()];
    int at = 0;
    for (int t = 0; t < CONNECTIONS; t++) {
      System.arraycopy(perThread.get(t), 0, merged, at, counts[t]);
      at += counts[t];
      total += counts[t];
    }
    return new Result(total, elapsed, merged, errors.get());
  }

  private static long residentKiB(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: no figure
    }
    return -1;
  }
}
