package dev.scopedtokens.proofs;

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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * An {@link HttpClient} without sockets that answers every request, whatever its method and path,
 * with the next of a list of scripted responses (the last one repeats), through the body handler
 * the caller passed, as the JDK's client would. It is the client's documented seam ({@code
 * HubClient.Builder#httpClient}), so a test can hand the client any response at all.
 */
final class ScriptedHttpClient extends HttpClient {
  /** One scripted answer: a status, headers and raw body bytes. */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    Response {
      headers = Map.copyOf(headers);
      body = body.clone();
    }

    /** Returns a response with one header per name and a body of raw bytes. */
    static Response of(int status, Map<String, String> headers, byte[] body) {
      Map<String, List<String>> multi = new LinkedHashMap<>();
      headers.forEach((name, value) -> multi.put(name, List.of(value)));
      return new Response(status, multi, body);
    }
  }

  private final List<Response> script;
  private int sent;

  ScriptedHttpClient(List<Response> script) {
    if (script.isEmpty()) {
      throw new IllegalArgumentException("script: needs at least one response");
    }
    this.script = List.copyOf(script);
  }

  /** Returns how many requests the client sent. */
  synchronized int sent() {
    return sent;
  }

  private synchronized Response next() {
    Response response = script.get(Math.min(sent, script.size() - 1));
    sent++;
    return response;
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    Response response = next();
    HttpHeaders headers = HttpHeaders.of(response.headers(), (name, value) -> true);
    HttpResponse.ResponseInfo info =
        new HttpResponse.ResponseInfo() {
          @Override
          public int statusCode() {
            return response.status();
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
    if (response.body().length > 0) {
      subscriber.onNext(List.of(ByteBuffer.wrap(response.body())));
    }
    subscriber.onComplete();
    T body;
    try {
      body = subscriber.getBody().toCompletableFuture().join();
    } catch (CompletionException e) {
      // The JDK's client reports a body handler's failure as an IOException from send.
      throw e.getCause() instanceof IOException
          ? (IOException) e.getCause()
          : new IOException(e.getCause());
    }
    return new ScriptedResponse<>(request, response.status(), headers, body);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return CompletableFuture.completedFuture(send(request, handler));
    } catch (IOException e) {
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
    return Redirect.NEVER;
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return Optional.empty();
  }

  @Override
  public SSLContext sslContext() {
    throw new UnsupportedOperationException("no TLS without sockets");
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

  private static final class ScriptedResponse<T> implements HttpResponse<T> {
    private final HttpRequest request;
    private final int status;
    private final HttpHeaders headers;
    private final T body;

    ScriptedResponse(HttpRequest request, int status, HttpHeaders headers, T body) {
      this.request = request;
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    @Override
    public int statusCode() {
      return status;
    }

    @Override
    public HttpRequest request() {
      return request;
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return headers;
    }

    @Override
    public T body() {
      return body;
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
