package dev.scopedtokens.client;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A scripted {@link HttpClient}: no sockets. Replies are queued per "METHOD /path" (the query is
 * ignored for routing); the last reply of a queue repeats. Every request is recorded with its body.
 * A request nobody scripted fails the test with an {@link AssertionError}.
 */
public final class StubHttpClient extends HttpClient {

  /** A request as the client sent it. */
  public record Recorded(String method, URI uri, HttpHeaders headers, String body) {
    public String path() {
      return uri.getRawPath();
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  /** What the stub answers: a response, or an I/O failure. */
  public static final class Reply {
    final int status;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final byte[] body;
    final IOException failure;
    final boolean interrupt;

    private Reply(int status, byte[] body, IOException failure) {
      this(status, body, failure, false);
    }

    private Reply(int status, byte[] body, IOException failure, boolean interrupt) {
      this.status = status;
      this.body = body;
      this.failure = failure;
      this.interrupt = interrupt;
    }

    /** Makes send throw InterruptedException, as the JDK does when the caller is interrupted. */
    public static Reply interrupted() {
      return new Reply(0, new byte[0], null, true);
    }

    public static Reply status(int status) {
      return new Reply(status, new byte[0], null);
    }

    public static Reply json(int status, String json) {
      return new Reply(status, json.getBytes(StandardCharsets.UTF_8), null)
          .header("Content-Type", "application/json");
    }

    public static Reply failure(IOException failure) {
      return new Reply(0, new byte[0], failure);
    }

    public Reply header(String name, String value) {
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }
  }

  private final Map<String, Deque<Function<Recorded, Reply>>> routes = new HashMap<>();
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  private final Redirect redirect;

  public StubHttpClient() {
    this(Redirect.NEVER);
  }

  public StubHttpClient(Redirect redirect) {
    this.redirect = redirect;
  }

  /** Queues replies for a route; the last one repeats for every later request. */
  public synchronized StubHttpClient on(String method, String path, Reply... replies) {
    Deque<Function<Recorded, Reply>> queue =
        routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
    for (Reply reply : replies) {
      queue.add(request -> reply);
    }
    return this;
  }

  /** Answers a route with a function of the request, for every request. */
  public synchronized StubHttpClient answer(
      String method, String path, Function<Recorded, Reply> answer) {
    Deque<Function<Recorded, Reply>> queue =
        routes.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
    queue.clear();
    queue.add(answer);
    return this;
  }

  /** Returns every request sent so far, in order. */
  public List<Recorded> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Returns the requests sent to one route. */
  public List<Recorded> requests(String method, String path) {
    return requests().stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  private synchronized Function<Recorded, Reply> next(Recorded request) {
    Deque<Function<Recorded, Reply>> queue = routes.get(request.method() + " " + request.path());
    if (queue == null || queue.isEmpty()) {
      throw new AssertionError("unscripted request: " + request.method() + " " + request.uri());
    }
    return queue.size() > 1 ? queue.removeFirst() : queue.peekFirst();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Recorded recorded =
        new Recorded(request.method(), request.uri(), request.headers(), body(request));
    requests.add(recorded);
    Reply reply = next(recorded).apply(recorded);
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
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
    if (reply.body.length > 0) {
      subscriber.onNext(List.of(ByteBuffer.wrap(reply.body)));
    }
    subscriber.onComplete();
    T body;
    try {
      body = subscriber.getBody().toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof IOException
          ? (IOException) e.getCause()
          : new IOException(e.getCause());
    }
    return new StubResponse<>(request, reply.status, headers, body);
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
      HttpResponse.PushPromiseHandler<T> push) {
    return sendAsync(request, handler);
  }

  private static String body(HttpRequest request) {
    if (request.bodyPublisher().isEmpty()) {
      return "";
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
    StringBuilder text = new StringBuilder();
    for (ByteBuffer part : parts) {
      text.append(StandardCharsets.UTF_8.decode(part));
    }
    return text.toString();
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
  public Redirect followRedirects() {
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
      throw new UncheckedIOException(new IOException(e));
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

  private record StubResponse<T>(HttpRequest request, int statusCode, HttpHeaders headers, T body)
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
