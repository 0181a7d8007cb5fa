package dev.scopedtokens.testkit;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An {@link HttpClient} without sockets that answers from a script, for testing code that takes an
 * {@code HttpClient} (such as {@code HubClient.Builder#httpClient}) against any answer at all:
 * error bodies, odd headers, broken JSON, I/O failures, an interrupt.
 *
 * <pre>{@code
 * ScriptedHttpClient http = ScriptedHttpClient.create()
 *     .on("GET", "/v2/access-tokens", Reply.status(503), Reply.json(200, page));
 * HubClient hub = HubClient.builder().httpClient(http).credentials(credentials).build();
 * hub.listPage(1, 10);
 * assertThat(http.requests("GET", "/v2/access-tokens")).hasSize(2);
 * }</pre>
 *
 * <p>Replies are queued by route, a method and a path ({@link #on}); the query string does not take
 * part in routing. Each request takes the next reply of its route, and the last reply of a route
 * answers every request after it. A request with no route takes the replies given to {@link
 * #otherwise} in the same way; with neither, {@code send} throws an {@link AssertionError} naming
 * the method and path, which fails the test. Every request is recorded, body included.
 *
 * <p>Answers pass through the body handler the caller gave, as the JDK's client passes them, so a
 * handler that fails makes {@code send} throw an {@code IOException}. {@code sendAsync} runs the
 * exchange on the calling thread and returns a completed future. The client is thread-safe.
 */
public final class ScriptedHttpClient extends HttpClient {

  /**
   * A request as the code under test sent it.
   *
   * @param method the HTTP method, such as {@code GET}
   * @param uri the whole URI, query included
   * @param headers the headers the request carried
   * @param body the body bytes; empty when there was none
   */
  public record Request(String method, URI uri, HttpHeaders headers, byte[] body) {
    /**
     * Checks the components and copies the body.
     *
     * @param method the HTTP method
     * @param uri the whole URI
     * @param headers the headers
     * @param body the body bytes
     */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(headers, "headers");
      body = Objects.requireNonNull(body, "body").clone();
    }

    /**
     * The raw path, without the query: what routing uses.
     *
     * @return the raw path
     */
    public String path() {
      return uri.getRawPath();
    }

    /**
     * The first value of a header, by name in any case.
     *
     * @param name the header's name
     * @return its first value, or empty when the request did not carry it
     */
    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    /**
     * The body bytes; a copy.
     *
     * @return the body bytes
     */
    @Override
    public byte[] body() {
      return body.clone();
    }

    /**
     * The body decoded as UTF-8.
     *
     * @return the body as text; empty when there was none
     */
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Shows the method and path only: a request may carry credentials in its headers or body. */
    @Override
    public String toString() {
      return "Request[" + method + " " + path() + "]";
    }
  }

  /**
   * One scripted answer: a response with a status, headers and body, or a failure that {@code send}
   * throws instead. Immutable; {@link #header(String, String)} returns a changed copy.
   */
  public static final class Reply {
    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final IOException failure;
    private final boolean interrupt;

    private Reply(
        int status,
        Map<String, List<String>> headers,
        byte[] body,
        IOException failure,
        boolean interrupt) {
      this.status = status;
      this.headers = headers;
      this.body = body;
      this.failure = failure;
      this.interrupt = interrupt;
    }

    /**
     * A response with a status, no headers and no body.
     *
     * @param status any status, even one HTTP does not define: the point is to test the reader
     * @return the reply
     */
    public static Reply status(int status) {
      return new Reply(status, Map.of(), new byte[0], null, false);
    }

    /**
     * A response with a JSON body and {@code Content-Type: application/json}.
     *
     * @param status the status
     * @param json the body, sent as UTF-8 as it is (it need not be valid JSON)
     * @return the reply
     */
    public static Reply json(int status, String json) {
      Objects.requireNonNull(json, "json");
      return of(status, Map.of(), json.getBytes(StandardCharsets.UTF_8))
          .header("Content-Type", "application/json");
    }

    /**
     * A response with any headers and raw body bytes.
     *
     * @param status the status
     * @param headers the headers by name, each with its values in order
     * @param body the body bytes; copied
     * @return the reply
     */
    public static Reply of(int status, Map<String, List<String>> headers, byte[] body) {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      Objects.requireNonNull(headers, "headers").forEach((n, v) -> copy.put(n, List.copyOf(v)));
      return new Reply(
          status,
          Collections.unmodifiableMap(copy),
          Objects.requireNonNull(body, "body").clone(),
          null,
          false);
    }

    /**
     * Makes {@code send} throw this exception, as the JDK's client does when the connection fails
     * or a timeout passes (use {@link java.net.http.HttpTimeoutException} or {@link
     * java.net.ConnectException} for those).
     *
     * @param failure what {@code send} throws
     * @return the reply
     */
    public static Reply failure(IOException failure) {
      return new Reply(0, Map.of(), new byte[0], Objects.requireNonNull(failure, "failure"), false);
    }

    /**
     * Makes {@code send} throw {@link InterruptedException}, as the JDK's client does when the
     * calling thread is interrupted while it waits.
     *
     * @return the reply
     */
    public static Reply interrupted() {
      return new Reply(0, Map.of(), new byte[0], null, true);
    }

    /**
     * A copy of this reply with one more header value.
     *
     * @param name the header's name
     * @param value the value, added after any the header has
     * @return the changed copy
     * @throws IllegalStateException when this reply is a failure, which has no headers
     */
    public Reply header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (failure != null || interrupt) {
        throw new IllegalStateException("header: a failure reply has no headers");
      }
      Map<String, List<String>> copy = new LinkedHashMap<>(headers);
      List<String> values = new ArrayList<>(copy.getOrDefault(name, List.of()));
      values.add(value);
      copy.put(name, List.copyOf(values));
      return new Reply(status, Collections.unmodifiableMap(copy), body, null, false);
    }

    @Override
    public String toString() {
      if (failure != null) {
        return "Reply[failure=" + failure.getClass().getSimpleName() + "]";
      }
      return interrupt
          ? "Reply[interrupted]"
          : "Reply[status=" + status + ", " + body.length + " body bytes]";
    }
  }

  private final Map<String, Deque<Function<Request, Reply>>> routes = new HashMap<>();
  private final Deque<Function<Request, Reply>> otherwise = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private Redirect redirect = Redirect.NEVER;

  private ScriptedHttpClient() {}

  /**
   * Returns a client with no script yet, that never follows redirects.
   *
   * @return the client
   */
  public static ScriptedHttpClient create() {
    return new ScriptedHttpClient();
  }

  /**
   * Queues replies for every request with this method and path; the last one repeats.
   *
   * @param method such as {@code GET}
   * @param path the raw path, without a query, such as {@code /v2/access-tokens}
   * @param replies at least one
   * @return this client
   */
  public synchronized ScriptedHttpClient on(String method, String path, Reply... replies) {
    Deque<Function<Request, Reply>> queue = route(method, path);
    for (Reply reply : requireReplies(replies)) {
      queue.add(request -> reply);
    }
    return this;
  }

  /**
   * Answers every request with this method and path by a function of the request, replacing what
   * was queued for the route.
   *
   * @param method such as {@code GET}
   * @param path the raw path, without a query
   * @param answer makes the reply from the request; called on the sending thread
   * @return this client
   */
  public synchronized ScriptedHttpClient answer(
      String method, String path, Function<Request, Reply> answer) {
    Objects.requireNonNull(answer, "answer");
    Deque<Function<Request, Reply>> queue = route(method, path);
    queue.clear();
    queue.add(answer);
    return this;
  }

  /**
   * Queues replies for every request that no route matches, whatever its method and path; the last
   * one repeats.
   *
   * @param replies at least one
   * @return this client
   */
  public synchronized ScriptedHttpClient otherwise(Reply... replies) {
    for (Reply reply : requireReplies(replies)) {
      otherwise.add(request -> reply);
    }
    return this;
  }

  /**
   * Sets the redirect policy this client reports from {@link #followRedirects()}; default {@link
   * Redirect#NEVER}. The client never follows a redirect itself: it answers from the script.
   *
   * @param redirect the policy to report
   * @return this client
   */
  public synchronized ScriptedHttpClient reportRedirectPolicy(Redirect redirect) {
    this.redirect = Objects.requireNonNull(redirect, "redirect");
    return this;
  }

  /**
   * Every request sent so far, in order.
   *
   * @return a snapshot of the recorded requests
   */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /**
   * The requests sent so far with this method and path, in order.
   *
   * @param method such as {@code GET}
   * @param path the raw path, without a query
   * @return a snapshot of the matching requests
   */
  public synchronized List<Request> requests(String method, String path) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  /**
   * How many requests were sent so far.
   *
   * @return the count
   */
  public synchronized int requestCount() {
    return requests.size();
  }

  private Deque<Function<Request, Reply>> route(String method, String path) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    if (path.contains("?")) {
      throw new IllegalArgumentException("path: routes match the path only; leave out the query");
    }
    return routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
  }

  private static List<Reply> requireReplies(Reply... replies) {
    if (replies.length == 0) {
      throw new IllegalArgumentException("replies: give at least one");
    }
    List<Reply> list = new ArrayList<>();
    for (Reply reply : replies) {
      list.add(Objects.requireNonNull(reply, "replies must not contain null"));
    }
    return list;
  }

  private synchronized Function<Request, Reply> record(Request request) {
    requests.add(request);
    Deque<Function<Request, Reply>> queue = routes.get(request.method() + " " + request.path());
    if (queue == null || queue.isEmpty()) {
      queue = otherwise;
    }
    if (queue.isEmpty()) {
      throw new AssertionError(
          "unscripted request: " + request.method() + " " + request.path() + " has no reply");
    }
    return queue.size() > 1 ? queue.removeFirst() : queue.peekFirst();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    Request recorded =
        new Request(request.method(), request.uri(), request.headers(), body(request));
    Reply reply = Objects.requireNonNull(record(recorded).apply(recorded), "scripted reply");
    if (reply.failure != null) {
      throw reply.failure;
    }
    if (reply.interrupt) {
      throw new InterruptedException("interrupted while waiting for the response");
    }
    HttpHeaders headers = HttpHeaders.of(reply.headers, (name, value) -> true);
    HttpResponse.ResponseInfo info =
        new HttpResponse.ResponseInfo() {
          @Override
          public int statusCode() {
            return reply.status;
          }

          @Override
          public HttpHeaders headers() {
            return headers;
          }

          @Override
          public Version version() {
            return Version.HTTP_1_1;
          }
        };
    HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
    subscriber.onSubscribe(new OneBuffer(subscriber, reply.body));
    T body;
    try {
      body = subscriber.getBody().toCompletableFuture().join();
    } catch (CompletionException e) {
      // The JDK's client reports a body handler's failure as an IOException from send.
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    return new Response<>(request, reply.status, headers, body);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return CompletableFuture.completedFuture(send(request, handler));
    } catch (IOException | InterruptedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    return sendAsync(request, handler);
  }

  /** Delivers the body as one buffer on the first demand, then completes. */
  private static final class OneBuffer implements Flow.Subscription {
    private final Flow.Subscriber<List<ByteBuffer>> subscriber;
    private final byte[] body;
    private boolean done;

    OneBuffer(Flow.Subscriber<List<ByteBuffer>> subscriber, byte[] body) {
      this.subscriber = subscriber;
      this.body = body;
    }

    @Override
    public synchronized void request(long n) {
      if (done) {
        return;
      }
      done = true;
      if (n <= 0) {
        subscriber.onError(new IllegalArgumentException("request: " + n + " is not positive"));
        return;
      }
      if (body.length > 0) {
        subscriber.onNext(List.of(ByteBuffer.wrap(body.clone())));
      }
      subscriber.onComplete();
    }

    @Override
    public synchronized void cancel() {
      done = true;
    }
  }

  private static byte[] body(HttpRequest request) {
    if (request.bodyPublisher().isEmpty()) {
      return new byte[0];
    }
    List<ByteBuffer> parts = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    request
        .bodyPublisher()
        .get()
        .subscribe(
            new Flow.Subscriber<ByteBuffer>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ByteBuffer item) {
                parts.add(item);
              }

              @Override
              public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
              }

              @Override
              public void onComplete() {
                done.complete(null);
              }
            });
    done.join();
    int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
    ByteBuffer all = ByteBuffer.allocate(size);
    parts.forEach(all::put);
    return all.array();
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return Optional.empty();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return Optional.empty();
  }

  @Override
  public synchronized Redirect followRedirects() {
    return redirect;
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return Optional.empty();
  }

  @Override
  public SSLContext sslContext() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default SSLContext", e);
    }
  }

  @Override
  public SSLParameters sslParameters() {
    return new SSLParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return Optional.empty();
  }

  @Override
  public Version version() {
    return Version.HTTP_1_1;
  }

  @Override
  public Optional<Executor> executor() {
    return Optional.empty();
  }

  private record Response<T>(HttpRequest request, int statusCode, HttpHeaders headers, T body)
      implements HttpResponse<T> {
    @Override
    public Optional<HttpResponse<T>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }
  }
}
