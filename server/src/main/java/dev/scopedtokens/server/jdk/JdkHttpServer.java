package dev.scopedtokens.server.jdk;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpLimits;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpRequestException;
import dev.scopedtokens.server.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves one {@link HttpEndpoint} on the JDK's built-in HTTP server ({@code
 * com.sun.net.httpserver}), enforcing {@link HttpLimits} before the endpoint runs.
 *
 * <pre>{@code
 * try (JdkHttpServer server = JdkHttpServer.builder(endpoint).start()) {
 *   URI base = server.baseUri();   // http://127.0.0.1:PORT
 *   ...
 * }
 * }</pre>
 *
 * <h2>What it guarantees</h2>
 *
 * <ul>
 *   <li>A body over {@link HttpLimits#maxBodyBytes()} is answered 413, more header fields than
 *       {@link HttpLimits#maxHeaderCount()} or a request line and header section over {@link
 *       HttpLimits#maxHeaderBytes()} 431, and a chunked body that is malformed or cut short 400;
 *       each with a JSON body, after which the connection is closed.
 *   <li>A request must arrive whole, from its first byte to the end of its body, within {@link
 *       HttpLimits#readTimeout()}, and the answer must be taken by the client within the same time;
 *       a connection that takes longer is closed. Idle kept-alive connections hold no thread.
 *   <li>Each request in progress holds one of {@link Builder#maxConcurrentRequests(int)} threads; a
 *       few slow clients cannot starve the rest, and many can delay the rest by at most the read
 *       timeout. Requests beyond the threads wait in a bounded queue; beyond it, the connection is
 *       closed.
 *   <li>An endpoint that throws {@link HttpRequestException} is answered with its 4xx; one that
 *       throws anything else is answered 500 (a bug, logged without the request's content); one
 *       that throws {@link DropConnectionException} gets its connection closed without an answer.
 * </ul>
 *
 * <h2>What the JDK server decides alone</h2>
 *
 * <p>The JDK parses the request line and the header section before any handler runs, and answers
 * some malformed requests itself: a {@code Transfer-Encoding} other than a single {@code chunked}
 * gets 501 with an HTML body; a request line without two spaces, or a URI it cannot parse, 400 with
 * an HTML body; a request line or header that does not end in CRLF, binary junk, more than 200
 * header fields or a header section over 380 KiB get the connection closed without an answer (its
 * {@code sun.net.httpserver.maxReqHeaders} and {@code maxReqHeaderSize}). None of this can be
 * changed through its API. The standalone server's Jetty transport answers all of these with JSON.
 */
public final class JdkHttpServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(JdkHttpServer.class.getName());

  /**
   * How much of an oversized body is still read and thrown away, so that a client that sends it
   * whole reads the 413 instead of a reset connection; beyond it the connection is simply closed.
   */
  private static final long MAX_DRAIN_BYTES = 16L << 20;

  /** The task running on this thread, so that the handler can move its deadline. */
  private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

  private final HttpEndpoint endpoint;
  private final HttpLimits limits;
  private final Function<HttpRequestException, HttpResponse> errors;
  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final ScheduledThreadPoolExecutor watchdog;
  private final URI baseUri;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdkHttpServer(Builder builder) {
    this.endpoint = builder.endpoint;
    this.limits = builder.limits;
    this.errors = builder.errors;
    String name = builder.threadName;
    this.workers =
        new ThreadPoolExecutor(
            builder.maxConcurrentRequests,
            builder.maxConcurrentRequests,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(builder.maxQueuedRequests),
            daemonThreads(name));
    workers.allowCoreThreadTimeOut(true);
    this.watchdog = new ScheduledThreadPoolExecutor(1, daemonThreads(name + "-deadlines"));
    watchdog.setRemoveOnCancelPolicy(true);
    try {
      this.server = HttpServer.create(builder.address, 0);
    } catch (IOException e) {
      workers.shutdownNow();
      watchdog.shutdownNow();
      throw new UncheckedIOException("cannot bind " + builder.address, e);
    }
    server.setExecutor(exchange -> workers.execute(new Task(exchange)));
    server.createContext("/", this::handle);
    server.start();
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().getHostAddress();
    this.baseUri =
        URI.create(
            "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort());
  }

  /**
   * A builder that will serve {@code endpoint}: on 127.0.0.1, any free port, {@link
   * HttpLimits#DEFAULTS}, 64 concurrent requests.
   */
  public static Builder builder(HttpEndpoint endpoint) {
    return new Builder(endpoint);
  }

  /** {@code http://HOST:PORT} of the bound socket, without a trailing slash. */
  public URI baseUri() {
    return baseUri;
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops answering and frees the port; requests in flight are cut off. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      workers.shutdownNow();
      watchdog.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "JdkHttpServer[" + baseUri + "]";
  }

  private void handle(HttpExchange exchange) {
    Task task = CURRENT.get();
    try {
      Answer answer = answer(exchange, task);
      if (answer.response() == null) {
        return;
      }
      if (task != null) {
        task.arm(); // the client has the read timeout to take the answer, too
      }
      send(exchange, answer);
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.FINE, "connection failed while answering", e);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.WARNING, "failed to answer " + exchange.getRequestMethod(), e);
    } finally {
      exchange.close();
    }
  }

  /** The answer to write, or a null response to close without one; {@code close} ends the link. */
  private record Answer(HttpResponse response, boolean close) {}

  private Answer answer(HttpExchange exchange, Task task) {
    Headers headers = exchange.getRequestHeaders();
    URI uri = exchange.getRequestURI();
    long headerBytes =
        exchange.getRequestMethod().length() + uri.toString().length() + " HTTP/1.1\r\n".length();
    int fields = 0;
    for (Map.Entry<String, List<String>> field : headers.entrySet()) {
      for (String value : field.getValue()) {
        fields++;
        headerBytes += field.getKey().length() + value.length() + 4;
      }
    }
    if (fields > limits.maxHeaderCount()) {
      return closing(
          431, "headers: more than " + limits.maxHeaderCount() + " fields; send at most that many");
    }
    if (headerBytes > limits.maxHeaderBytes()) {
      return closing(
          431,
          "headers: request line and header fields over "
              + limits.maxHeaderBytes()
              + " bytes; send at most that many");
    }
    byte[] body;
    try {
      body = readBody(exchange, headers);
    } catch (BodyTooLarge e) {
      return closing(413, "body: over " + limits.maxBodyBytes() + " bytes; send at most that many");
    } catch (IOException e) {
      if (task != null && task.expired()) {
        return new Answer(null, true); // cut off at the read deadline: the channel is closed
      }
      return closing(400, "body: malformed chunked encoding, or cut short");
    }
    if (task != null) {
      task.disarm(); // the request is in: the endpoint's own time is not the client's
    }
    HttpRequest request;
    try {
      String path = uri.getRawPath();
      if (path == null || !path.startsWith("/")) {
        return closing(400, "request target: must be a path starting with '/'");
      }
      Map<String, List<String>> fieldMap = new LinkedHashMap<>(headers);
      request =
          HttpRequest.builder(exchange.getRequestMethod(), path)
              .rawQuery(uri.getRawQuery())
              .headers(HttpHeaders.of(fieldMap))
              .body(body)
              .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
              .build();
    } catch (IllegalArgumentException e) {
      // The message names the part (method, header) without its content.
      return closing(400, e.getMessage());
    }
    try {
      return new Answer(endpoint.handle(request), false);
    } catch (HttpRequestException e) {
      return new Answer(errors.apply(e), false);
    } catch (DropConnectionException e) {
      return new Answer(null, true);
    } catch (RuntimeException e) {
      // A bug in the endpoint: the request's path is safe to log, its query and body are not.
      LOG.log(Level.WARNING, "endpoint failed on " + request, e);
      return new Answer(
          HttpResponse.error(500, "internal_error", "the server failed; this is a bug"), false);
    }
  }

  private Answer closing(int status, String message) {
    return new Answer(
        errors.apply(new HttpRequestException(status, "invalid_request", message)), true);
  }

  private static final class BodyTooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super(null, null, false, false);
    }
  }

  private byte[] readBody(HttpExchange exchange, Headers headers) throws IOException, BodyTooLarge {
    InputStream in = exchange.getRequestBody();
    String length = headers.getFirst("Content-Length");
    // The JDK has checked the value already: a single whole number, not negative.
    if (length != null && Long.parseLong(length.trim()) > limits.maxBodyBytes()) {
      drain(in);
      throw new BodyTooLarge();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) != -1) {
      if (out.size() + n > limits.maxBodyBytes()) {
        drain(in);
        throw new BodyTooLarge();
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while (total < MAX_DRAIN_BYTES && (n = in.read(buffer)) != -1) {
      total += n;
    }
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    HttpResponse response = answer.response();
    Headers out = exchange.getResponseHeaders();
    response
        .headers()
        .asMap()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              // The server frames the body itself.
              if (!lower.equals("content-length") && !lower.equals("transfer-encoding")) {
                out.put(name, new ArrayList<>(values));
              }
            });
    if (answer.close()) {
      out.set("Connection", "close");
    }
    int status = response.status();
    boolean noBody =
        exchange.getRequestMethod().equals("HEAD")
            || status == 204
            || status == 304
            || status < 200
            || response.bodyLength() == 0;
    if (noBody) {
      // -1 is "no body" to the JDK; 0 would mean a chunked one.
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, response.bodyLength());
    try (OutputStream body = exchange.getResponseBody()) {
      response.writeBody(body);
    }
  }

  /**
   * One exchange on a worker thread, under a deadline: from its first byte until its body is read,
   * and again while its answer is written. At the deadline the thread is interrupted, which closes
   * the connection's channel and ends every blocked read or write on it.
   */
  private final class Task implements Runnable {
    private final Runnable exchange;
    private Thread thread;
    private ScheduledFuture<?> timer;
    private long generation;
    private boolean running;
    private boolean expired;

    Task(Runnable exchange) {
      this.exchange = exchange;
    }

    @Override
    public void run() {
      synchronized (this) {
        thread = Thread.currentThread();
        running = true;
      }
      CURRENT.set(this);
      arm();
      try {
        exchange.run();
      } finally {
        synchronized (this) {
          running = false;
          disarm();
        }
        CURRENT.remove();
        // A deadline that fired as the exchange ended must not reach the next one.
        Thread.interrupted();
      }
    }

    synchronized void arm() {
      disarm();
      long armed = ++generation;
      try {
        timer =
            watchdog.schedule(
                () -> expire(armed), limits.readTimeout().toNanos(), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // The server is closing; shutdownNow interrupts this thread anyway.
      }
    }

    synchronized void disarm() {
      generation++;
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }

    synchronized boolean expired() {
      return expired;
    }

    private synchronized void expire(long armed) {
      if (running && armed == generation) {
        expired = true;
        thread.interrupt();
      }
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Configures a {@link JdkHttpServer}; every setter checks its argument at once. */
  public static final class Builder {
    private final HttpEndpoint endpoint;
    private InetSocketAddress address;
    private HttpLimits limits = HttpLimits.DEFAULTS;
    private Function<HttpRequestException, HttpResponse> errors = HttpRequestException::toResponse;
    private int maxConcurrentRequests = 64;
    private int maxQueuedRequests = 1024;
    private String threadName = "scopedtokens-http";

    private Builder(HttpEndpoint endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      loopbackPort(0);
    }

    /** Listens on {@code address} (default: 127.0.0.1, any free port). */
    public Builder address(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /** Listens on 127.0.0.1 at {@code port} (1 to 65535), or any free port for 0. */
    public Builder loopbackPort(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: " + port + "; must be 0 (any) to 65535");
      }
      try {
        this.address =
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("127.0.0.1 is not an address", e);
      }
      return this;
    }

    /** The limits to enforce (default {@link HttpLimits#DEFAULTS}). */
    public Builder limits(HttpLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * How the server's own 4xx answers (413, 431, 400) and an endpoint's {@link
     * HttpRequestException}s are rendered; the neutral JSON by default.
     */
    public Builder errors(Function<HttpRequestException, HttpResponse> errors) {
      this.errors = Objects.requireNonNull(errors, "errors");
      return this;
    }

    /** The most requests served at once, each on its own thread (1 to 10,000; default 64). */
    public Builder maxConcurrentRequests(int threads) {
      if (threads < 1 || threads > 10_000) {
        throw new IllegalArgumentException(
            "maxConcurrentRequests: " + threads + "; must be 1 to 10000");
      }
      this.maxConcurrentRequests = threads;
      return this;
    }

    /** The most requests that wait for a thread (1 to 100,000; default 1024). */
    public Builder maxQueuedRequests(int requests) {
      if (requests < 1 || requests > 100_000) {
        throw new IllegalArgumentException(
            "maxQueuedRequests: " + requests + "; must be 1 to 100000");
      }
      this.maxQueuedRequests = requests;
      return this;
    }

    /** The name of the worker threads, for thread dumps (default {@code scopedtokens-http}). */
    public Builder threadName(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("threadName: must not be blank");
      }
      this.threadName = name;
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public JdkHttpServer start() {
      return new JdkHttpServer(this);
    }
  }
}
