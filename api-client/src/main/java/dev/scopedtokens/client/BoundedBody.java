package dev.scopedtokens.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body into memory up to a limit, so that a misbehaving server cannot exhaust the
 * heap. A page of 100 tokens is about 50 KiB; the limit is far above anything the API sends.
 *
 * <p>Before reading, it checks the framing headers the client can see: a {@code Content-Length}
 * must be one plain decimal number (not {@code +52}, not two different values), and must not come
 * with a {@code Transfer-Encoding}. The JDK reads {@code +52} as 52; a proxy in front may read it
 * otherwise, and two readings of one response are how responses get smuggled.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  static final int LIMIT = 8 * 1024 * 1024;

  static final HttpResponse.BodyHandler<byte[]> HANDLER =
      info -> {
        BoundedBody body = new BoundedBody(LIMIT);
        String problem = framingProblem(info.headers());
        if (problem != null) {
          body.result.completeExceptionally(new MalformedFraming(info.statusCode(), problem));
        }
        return body;
      };

  /** Returns what is wrong with the response's framing headers, or null when nothing is. */
  static String framingProblem(HttpHeaders headers) {
    List<String> lengths = headers.allValues("Content-Length");
    if (lengths.isEmpty()) {
      return null;
    }
    for (String length : lengths) {
      if (length.isEmpty()
          || length.length() > 18
          || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
        // The value is not echoed: a server chose it.
        return "its Content-Length is not one plain decimal number of at most 18 digits";
      }
    }
    if (lengths.stream().map(Long::parseLong).distinct().count() > 1) {
      return "it has " + lengths.size() + " Content-Length headers that disagree";
    }
    if (headers.firstValue("Transfer-Encoding").isPresent()) {
      return "it has both a Content-Length and a Transfer-Encoding";
    }
    return null;
  }

  /**
   * A response whose framing the client refuses to read. Carries the status, so that the failure
   * reports the status the server sent.
   */
  static final class MalformedFraming extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    MalformedFraming(int status, String problem) {
      super(problem);
      this.status = status;
    }

    int status() {
      return status;
    }

    /** Returns the refusal in a chain of causes (the JDK wraps what a body handler throws). */
    static MalformedFraming in(Throwable failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof MalformedFraming malformed) {
          return malformed;
        }
      }
      return null;
    }
  }

  private final int limit;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  BoundedBody(int limit) {
    this.limit = limit;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (result.isDone()) {
      subscription.cancel();
      return;
    }
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      if (buffer.size() + item.remaining() > limit) {
        subscription.cancel();
        result.completeExceptionally(
            new IOException("response body exceeds " + limit + " bytes; refusing to read more"));
        return;
      }
      byte[] bytes = new byte[item.remaining()];
      item.get(bytes);
      buffer.write(bytes, 0, bytes.length);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }
}
