package dev.scopedtokens.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Sends one call: attaches the bearer, retries what is safe to retry, renews the JWT once after a
 * 401, and honours the server's rate-limit wait. A response the call does not accept becomes an
 * exception through {@link ResponseErrors}.
 *
 * <p>What is retried: a failure to connect, for every call (nothing reached the server); other
 * transport failures and 502, 503 and 504 for calls that are safe to repeat (GET, PATCH, DELETE and
 * logins, not the POST that creates a token); 429 for every call. Never 400, 401 (apart from the
 * one renewal), 403 or 404.
 *
 * <p>Each attempt, from sending to the last byte of the body, must end within the request timeout:
 * the JDK's own timeout stops at the response headers, so a server that trickles its body would
 * otherwise hold the call for as long as it likes.
 */
final class RequestExecutor {
  private static final System.Logger LOG = System.getLogger("dev.scopedtokens.client");

  private final ClientConfig config;
  private final Redactor redactor;
  private final ResponseErrors errors;

  RequestExecutor(ClientConfig config, Redactor redactor) {
    this.config = config;
    this.redactor = redactor;
    this.errors = new ResponseErrors(redactor, config.clock());
  }

  ResponseErrors errors() {
    return errors;
  }

  /** What one attempt of a call has done so far: requests sent, retries, time waited. */
  private static final class Attempts {
    int sent;
    int retries;
    boolean renewed;
    Duration waited = Duration.ZERO;
  }

  <T> T execute(Call<T> call, Auth auth) {
    RetryPolicy policy = config.retryPolicy();
    Attempts attempts = new Attempts();
    while (true) {
      String bearer = call.authenticated ? auth.bearer() : null;
      HttpRequest request = request(call, bearer);
      attempts.sent++;
      HttpResponse<byte[]> response;
      try {
        response = exchange(request);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HubTransportException(
            call.description + ": interrupted while waiting for the response",
            HubTransportException.Kind.INTERRUPTED,
            attempts.sent,
            e);
      } catch (BoundedBody.MalformedFraming e) {
        throw errors.malformed(call.description, e, attempts.sent);
      } catch (IOException e) {
        HubTransportException failure = transportFailure(call, e, attempts.sent);
        // A failed connect sent nothing, so even a create may try again; a TLS failure will not
        // heal by itself, so nothing retries it.
        boolean retryable =
            !(e instanceof SSLException)
                && (failure.kind() == HubTransportException.Kind.CONNECT || call.repeatable);
        if (!retryable || !mayRetry(policy, attempts)) {
          throw failure;
        }
        waitToRetry(call, attempts, backoff(policy, attempts), failure.kind().name());
        continue;
      }

      Call.Response answer =
          new Call.Response(
              response.statusCode(), response.headers(), response.body(), attempts.sent);
      int status = answer.status();
      if (call.accepts.test(status)) {
        try {
          return call.reader.read(answer);
        } catch (WireException e) {
          throw errors.unreadable(call.description, answer, e);
        }
      }
      if (status == 401
          && call.authenticated
          && !attempts.renewed
          && auth.renewAfterUnauthorized(bearer)) {
        // The JWT may have expired early or been revoked: log in again, once per call.
        attempts.renewed = true;
        continue;
      }
      if (status == 429) {
        Optional<Duration> asked = RetryAfter.from(answer.headers(), config.clock());
        if (!mayRetry(policy, attempts)) {
          throw errors.rateLimited(
              call.description, answer, asked, "the retry policy allows no more attempts");
        }
        Duration left = policy.maxTotalWait().minus(attempts.waited);
        if (asked.isPresent() && asked.get().compareTo(left) > 0) {
          throw errors.rateLimited(
              call.description,
              answer,
              asked,
              "the server asked to wait "
                  + asked.get()
                  + ", more than the "
                  + left
                  + " the retry policy has left");
        }
        waitToRetry(call, attempts, asked.orElseGet(() -> backoff(policy, attempts)), "429");
        continue;
      }
      if ((status == 502 || status == 503 || status == 504)
          && call.repeatable
          && mayRetry(policy, attempts)) {
        waitToRetry(call, attempts, backoff(policy, attempts), String.valueOf(status));
        continue;
      }
      throw errors.error(call.description, call.authenticated, answer, auth);
    }
  }

  /**
   * Sends the request and waits for the whole response, body included, for at most the request
   * timeout; an exchange still running then is cancelled.
   */
  private HttpResponse<byte[]> exchange(HttpRequest request)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<byte[]>> exchange =
        config.http().sendAsync(request, BoundedBody.HANDLER);
    try {
      return exchange.get(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new HttpTimeoutException(
          "no complete response (headers and body) within " + config.requestTimeout());
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      BoundedBody.MalformedFraming malformed = BoundedBody.MalformedFraming.in(cause);
      if (malformed != null) {
        throw malformed;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException("the exchange failed", cause);
    }
  }

  private HttpRequest request(Call<?> call, String bearer) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(call.uri)
            .timeout(config.requestTimeout())
            .header("Accept", "application/json")
            .header("User-Agent", config.userAgent());
    if (call.body.isPresent()) {
      builder.header("Content-Type", "application/json");
      builder.method(call.method, HttpRequest.BodyPublishers.ofByteArray(call.body.get()));
    } else {
      builder.method(call.method, HttpRequest.BodyPublishers.noBody());
    }
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder.build();
  }

  private HubTransportException transportFailure(Call<?> call, IOException e, int attempts) {
    HubTransportException.Kind kind;
    String what;
    if (e instanceof HttpConnectTimeoutException) {
      kind = HubTransportException.Kind.CONNECT;
      what = "connect timed out";
    } else if (e instanceof HttpTimeoutException) {
      kind = HubTransportException.Kind.TIMEOUT;
      what = "no complete response within the request timeout";
    } else if (e instanceof ConnectException) {
      kind = HubTransportException.Kind.CONNECT;
      what = "cannot connect";
    } else if (e instanceof SSLException) {
      kind = HubTransportException.Kind.CONNECT;
      what = "TLS handshake failed";
    } else {
      kind = HubTransportException.Kind.IO;
      what = "connection failed while the request was under way";
    }
    // The JDK's messages may quote what the server sent (a status line, a header): they pass the
    // redactor. Only a failure before any answer (no connection, no answer in time) keeps its
    // original as the cause; any other keeps a stand-in with the cleaned message only.
    boolean nothingFromTheServer =
        e instanceof ConnectException || e instanceof HttpTimeoutException;
    String detail =
        e.getMessage() == null
            ? e.getClass().getSimpleName()
            : e.getClass().getSimpleName() + ": " + redactor.clean(e.getMessage());
    return new HubTransportException(
        call.description
            + ": "
            + what
            + " ("
            + detail
            + ")"
            + ResponseErrors.attemptsNote(attempts),
        kind,
        attempts,
        nothingFromTheServer ? e : new CleanedCause(e, detail));
  }

  private static boolean mayRetry(RetryPolicy policy, Attempts attempts) {
    return attempts.retries + 1 < policy.maxAttempts();
  }

  /** A jittered backoff, cut to what is left of the policy's total wait. */
  private Duration backoff(RetryPolicy policy, Attempts attempts) {
    Duration wait = Backoff.delay(policy, attempts.retries, config.random());
    Duration left = policy.maxTotalWait().minus(attempts.waited);
    if (left.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(left) > 0 ? left : wait;
  }

  /** The one way the loop waits before it tries again: log, sleep, count. */
  private void waitToRetry(Call<?> call, Attempts attempts, Duration wait, String cause) {
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0}: {1}; retry {2} of {3} after {4}",
          call.description,
          cause.toLowerCase(Locale.ROOT),
          attempts.retries + 1,
          config.retryPolicy().maxAttempts() - 1,
          wait);
    }
    try {
      config.sleeper().sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubTransportException(
          call.description + ": interrupted while waiting " + wait + " to retry",
          HubTransportException.Kind.INTERRUPTED,
          attempts.sent,
          e);
    }
    attempts.waited = attempts.waited.plus(wait);
    attempts.retries++;
  }

  /**
   * Stands in for a transport exception whose message may quote the server: the same class name and
   * stack, a cleaned message, and no cause.
   */
  static final class CleanedCause extends IOException {
    private static final long serialVersionUID = 1L;

    CleanedCause(IOException original, String cleanedMessage) {
      super(cleanedMessage);
      setStackTrace(original.getStackTrace());
    }
  }
}
