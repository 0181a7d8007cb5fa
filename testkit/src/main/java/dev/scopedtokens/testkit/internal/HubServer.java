package dev.scopedtokens.testkit.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scopedtokens.testkit.FakeDockerHub;
import dev.scopedtokens.testkit.Fault;
import dev.scopedtokens.testkit.RecordedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The HTTP side of the fake Docker Hub: one handler in front of every path that journals the
 * request, plays injected faults, applies the rate limit, routes, and turns every failure into an
 * answer, so that no request can stop the server.
 */
public final class HubServer {
  private static final Logger LOG = Logger.getLogger(HubServer.class.getName());
  private static final String TOKENS_PATH = "/v2/access-tokens";
  private static final Pattern UUID_PATTERN =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final int THREADS = 8;

  private final Clock clock;
  private final Accounts accounts;
  private final TokenEndpoints tokens;
  private final Optional<RateLimiter> rateLimiter;
  private final FakeDockerHub.Sleeper sleeper;
  private final FaultQueue faults = new FaultQueue();
  private final List<RecordedRequest> journal = new ArrayList<>();
  private final int requestedPort;

  private HttpServer server;
  private ExecutorService executor;
  private URI baseUri;

  /**
   * Wires a server; nothing is bound until {@link #start()}.
   *
   * @param rateLimitPerMinute requests per minute per caller, or 0 for no limit
   */
  public HubServer(
      Clock clock,
      Accounts accounts,
      int rateLimitPerMinute,
      FakeDockerHub.Sleeper sleeper,
      int port) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.tokens = new TokenEndpoints(accounts, this::baseUri);
    this.rateLimiter =
        rateLimitPerMinute == 0
            ? Optional.empty()
            : Optional.of(new RateLimiter(rateLimitPerMinute, clock));
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.requestedPort = port;
  }

  /**
   * Binds 127.0.0.1 and starts answering.
   *
   * @throws UncheckedIOException when the port cannot be bound
   * @throws IllegalStateException when already started
   */
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("the fake Docker Hub is already started");
    }
    try {
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      server = HttpServer.create(new InetSocketAddress(loopback, requestedPort), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind 127.0.0.1:" + requestedPort, e);
    }
    executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    baseUri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Stops answering and frees the port; requests in flight are cut off. Idempotent. */
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  /** Returns {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public synchronized URI baseUri() {
    if (baseUri == null) {
      throw new IllegalStateException("the fake Docker Hub is not started: call start() first");
    }
    return baseUri;
  }

  /** Queues a fault for the next {@code times} requests. */
  public void injectFault(Fault fault, int times) {
    faults.add(fault, times);
  }

  /** Forgets every fault not yet played. */
  public void clearFaults() {
    faults.clear();
  }

  /** Returns the journal so far, oldest first. */
  public List<RecordedRequest> journal() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  /** Empties the journal. */
  public void clearJournal() {
    synchronized (journal) {
      journal.clear();
    }
  }

  /** A response to write: status, JSON body (none for 204) and extra headers. */
  record Response(int status, Optional<Object> body, Map<String, String> headers) {
    static Response json(int status, Object body) {
      return new Response(status, Optional.of(body), Map.of());
    }

    static Response noContent() {
      return new Response(204, Optional.empty(), Map.of());
    }

    /** Returns this response with {@code extra} headers added (its own win on a clash). */
    Response withHeaders(Map<String, String> extra) {
      if (extra.isEmpty()) {
        return this;
      }
      Map<String, String> all = new LinkedHashMap<>(extra);
      all.putAll(headers);
      return new Response(status, body, all);
    }
  }

  private void handle(HttpExchange http) {
    Instant receivedAt = clock.instant();
    try {
      Optional<Response> response = respond(http);
      // Journal before answering, so that a test that has its answer also sees the entry.
      record(
          receivedAt,
          http,
          response.map(r -> OptionalInt.of(r.status())).orElse(OptionalInt.empty()));
      if (response.isPresent()) {
        send(http, response.get());
      }
    } catch (IOException | UncheckedIOException e) {
      // The client went away mid-answer: nobody is left to answer.
      LOG.log(Level.FINE, "connection problem", e);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "fake Docker Hub failed to answer " + safePath(http), e);
    } finally {
      http.close();
    }
  }

  /**
   * Works out the answer to one request, or empty to drop the connection. Never throws for anything
   * the client sent: input problems become 4xx answers, and a bug in this server a 500.
   */
  private Optional<Response> respond(HttpExchange http) {
    Map<String, String> rateHeaders = Map.of();
    try {
      Optional<Fault> fault = faults.poll();
      if (fault.isPresent() && fault.get() instanceof Fault.DropConnection) {
        return Optional.empty();
      }
      if (fault.isPresent() && fault.get() instanceof Fault.Delay) {
        sleeper.sleep(((Fault.Delay) fault.get()).delay());
      }
      if (fault.isPresent() && fault.get() instanceof Fault.Status) {
        return Optional.of(faultResponse((Fault.Status) fault.get()));
      }
      Exchange exchange = new Exchange(http);
      if (rateLimiter.isPresent()) {
        RateLimiter.Decision decision = rateLimiter.get().acquire(caller(exchange));
        rateHeaders = rateHeaders(decision);
        if (!decision.allowed()) {
          return Optional.of(rateLimited(decision).withHeaders(rateHeaders));
        }
      }
      Response response;
      try {
        response = route(http.getRequestMethod(), http.getRequestURI().getRawPath(), exchange);
      } catch (HttpError e) {
        response = new Response(e.status(), Optional.of(e.body()), e.headers());
      }
      return Optional.of(response.withHeaders(rateHeaders));
    } catch (InterruptedException e) {
      // The server is stopping while a late answer waits: drop it.
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (UncheckedIOException e) {
      // Reading the body failed: the client is gone.
      LOG.log(Level.FINE, "cannot read the request", e);
      return Optional.empty();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "fake Docker Hub failed on " + safePath(http), e);
      return Optional.of(internalError().withHeaders(rateHeaders));
    }
  }

  private Response route(String method, String rawPath, Exchange exchange) {
    String path =
        rawPath.length() > 1 && rawPath.endsWith("/")
            ? rawPath.substring(0, rawPath.length() - 1)
            : rawPath;
    switch (path) {
      case "/v2/auth/token":
        requireMethod(method, "POST");
        return accounts.authToken(exchange);
      case "/v2/users/login":
        requireMethod(method, "POST");
        return accounts.login(exchange);
      case "/v2/users/2fa-login":
        requireMethod(method, "POST");
        return accounts.twoFactorLogin(exchange);
      case TOKENS_PATH:
        requireMethod(method, "GET", "POST");
        return method.equals("GET") ? tokens.list(exchange) : tokens.create(exchange);
      default:
        break;
    }
    if (path.startsWith(TOKENS_PATH + "/")) {
      String id = path.substring(TOKENS_PATH.length() + 1);
      if (UUID_PATTERN.matcher(id).matches()) {
        requireMethod(method, "GET", "PATCH", "DELETE");
        UUID uuid = UUID.fromString(id);
        switch (method) {
          case "GET":
            return tokens.get(exchange, uuid);
          case "PATCH":
            return tokens.patch(exchange, uuid);
          default:
            return tokens.delete(exchange, uuid);
        }
      }
    }
    throw new HttpError(404, new Wire.ErrorBody("Not found.", "no such path", null));
  }

  private static void requireMethod(String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    String allow = String.join(", ", allowed);
    throw new HttpError(
        405,
        new Wire.ErrorBody("Method not allowed; allowed: " + allow, "method not allowed", null),
        Map.of("Allow", allow));
  }

  /** The rate limit's key: the signed-in account when there is one, else the client's address. */
  private String caller(Exchange exchange) {
    return accounts
        .bearerSubject(exchange)
        .map(subject -> "user:" + subject)
        .orElseGet(() -> "ip:" + exchange.remoteIp());
  }

  private static Map<String, String> rateHeaders(RateLimiter.Decision decision) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-RateLimit-Limit", Integer.toString(decision.limit()));
    headers.put("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
    headers.put("X-RateLimit-Reset", Long.toString(decision.reset().getEpochSecond()));
    return headers;
  }

  private static Response rateLimited(RateLimiter.Decision decision) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Retry-After", Long.toString(decision.retryAfterSeconds()));
    headers.put("X-Retry-After", Long.toString(decision.reset().getEpochSecond()));
    return new Response(
        429, Optional.of(new Wire.RateLimited("Rate limit exceeded", false)), headers);
  }

  private Response faultResponse(Fault.Status fault) {
    Map<String, String> headers = new LinkedHashMap<>();
    fault
        .retryAfter()
        .ifPresent(
            wait -> {
              // Both rounded up, so that a client reading either one waits at least as asked.
              Instant at = clock.instant().plus(wait);
              headers.put("Retry-After", Long.toString(wholeSecondsUp(wait)));
              headers.put(
                  "X-Retry-After", Long.toString(at.getEpochSecond() + (at.getNano() > 0 ? 1 : 0)));
            });
    String text = "injected fault: HTTP " + fault.status();
    return new Response(
        fault.status(), Optional.of(new Wire.ErrorBody(text, text, Map.of())), headers);
  }

  private static long wholeSecondsUp(Duration wait) {
    return wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
  }

  private static Response internalError() {
    return Response.json(
        500, new Wire.ErrorBody("Internal server error", "internal server error", Map.of()));
  }

  private static void send(HttpExchange http, Response response) throws IOException {
    Headers headers = http.getResponseHeaders();
    response.headers().forEach(headers::set);
    if (response.body().isEmpty()) {
      http.sendResponseHeaders(response.status(), -1);
      return;
    }
    byte[] bytes = Json.bytes(response.body().get());
    headers.set("Content-Type", "application/json");
    http.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = http.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void record(Instant receivedAt, HttpExchange http, OptionalInt status) {
    URI uri = http.getRequestURI();
    RecordedRequest request =
        new RecordedRequest(
            receivedAt,
            http.getRequestMethod(),
            uri.getRawPath() == null ? "" : uri.getRawPath(),
            Optional.ofNullable(uri.getRawQuery()),
            Optional.ofNullable(http.getRequestHeaders().getFirst("Authorization"))
                .map(HubServer::mask),
            status);
    synchronized (journal) {
      journal.add(request);
    }
  }

  /** Keeps the scheme of an Authorization header and masks its credentials. */
  static String mask(String authorization) {
    int space = authorization.indexOf(' ');
    return space < 0 ? "***" : authorization.substring(0, space) + " ***";
  }

  private static String safePath(HttpExchange http) {
    String path = http.getRequestURI().getRawPath();
    return path == null ? "" : path.length() > 100 ? path.substring(0, 100) + "..." : path;
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "fake-docker-hub-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
