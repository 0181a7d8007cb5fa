package dev.scopedtokens.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scopedtokens.client.HubAuthenticationException;
import dev.scopedtokens.client.HubBadRequestException;
import dev.scopedtokens.client.HubException;
import dev.scopedtokens.client.HubForbiddenException;
import dev.scopedtokens.client.HubNotFoundException;
import dev.scopedtokens.client.HubPlanLimitException;
import dev.scopedtokens.client.HubRateLimitException;
import dev.scopedtokens.client.HubServerException;
import dev.scopedtokens.client.HubTransportException;
import dev.scopedtokens.client.HubUnexpectedResponseException;
import dev.scopedtokens.client.RetryPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.SSLException;

/**
 * Sends one call: attaches the bearer, retries what is safe to retry, renews the JWT once after a
 * 401, honours the server's rate-limit wait, and turns every failure into a typed {@link
 * HubException} whose message holds no secret.
 *
 * <p>What is retried: a failure to connect, for every call (nothing reached the server); other
 * transport failures and 502, 503 and 504 for calls that are safe to repeat (GET, PATCH, DELETE and
 * logins, not the POST that creates a token); 429 for every call. Never 400, 401 (apart from the
 * one renewal), 403 or 404.
 */
final class RequestExecutor {
  private static final System.Logger LOG = System.getLogger("dev.scopedtokens.client");

  /** Server messages are cut to this length in exception messages. */
  private static final int MESSAGE_LIMIT = 300;

  private final ClientConfig config;
  private final Redactor redactor;

  RequestExecutor(ClientConfig config, Redactor redactor) {
    this.config = config;
    this.redactor = redactor;
  }

  <T> T execute(Call<T> call, Auth auth) {
    RetryPolicy policy = config.retryPolicy();
    int attempts = 0;
    int retries = 0;
    boolean renewed = false;
    Duration waited = Duration.ZERO;
    while (true) {
      String bearer = call.authenticated ? auth.bearer() : null;
      HttpRequest request = request(call, bearer);
      attempts++;
      HttpResponse<byte[]> response;
      try {
        response = config.http().send(request, BoundedBody.HANDLER);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HubTransportException(
            call.description + ": interrupted while waiting for the response",
            HubTransportException.Kind.INTERRUPTED,
            attempts,
            e);
      } catch (IOException e) {
        HubTransportException failure = transportFailure(call, e, attempts);
        // A failed connect sent nothing, so even a create may try again; a TLS failure will not
        // heal by itself, so nothing retries it.
        boolean retryable =
            !(e instanceof SSLException)
                && (failure.kind() == HubTransportException.Kind.CONNECT || call.repeatable);
        if (!retryable || !mayRetry(policy, retries)) {
          throw failure;
        }
        Duration wait = backoff(policy, retries, waited);
        log(call, failure.kind().name().toLowerCase(Locale.ROOT) + " failure", retries, wait);
        sleep(call, wait, attempts);
        waited = waited.plus(wait);
        retries++;
        continue;
      }

      Call.Response answer =
          new Call.Response(response.statusCode(), response.headers(), response.body(), attempts);
      int status = answer.status();
      if (call.accepts.test(status)) {
        try {
          return call.reader.read(answer);
        } catch (WireException e) {
          throw new HubUnexpectedResponseException(
              call.description
                  + ": HTTP "
                  + status
                  + " response cannot be read: "
                  + redactor.redact(e.getMessage()),
              status,
              attempts,
              e);
        }
      }
      if (status == 401 && call.authenticated && !renewed && auth.renewAfterUnauthorized(bearer)) {
        // The JWT may have expired early or been revoked: log in again, once per call.
        renewed = true;
        continue;
      }
      if (status == 429) {
        Optional<Duration> asked = RetryAfter.from(answer.headers(), config.clock());
        if (!mayRetry(policy, retries)) {
          throw rateLimited(
              call.description, answer, asked, "the retry policy allows no more attempts");
        }
        Duration left = policy.maxTotalWait().minus(waited);
        if (asked.isPresent() && asked.get().compareTo(left) > 0) {
          throw rateLimited(
              call.description,
              answer,
              asked,
              "the server asked to wait "
                  + asked.get()
                  + ", more than the "
                  + left
                  + " the retry policy has left");
        }
        Duration wait = asked.isPresent() ? asked.get() : backoff(policy, retries, waited);
        log(call, "429", retries, wait);
        sleep(call, wait, attempts);
        waited = waited.plus(wait);
        retries++;
        continue;
      }
      if ((status == 502 || status == 503 || status == 504)
          && call.repeatable
          && mayRetry(policy, retries)) {
        Duration wait = backoff(policy, retries, waited);
        log(call, String.valueOf(status), retries, wait);
        sleep(call, wait, attempts);
        waited = waited.plus(wait);
        retries++;
        continue;
      }
      throw error(call.description, call.authenticated, answer, auth);
    }
  }

  /**
   * Maps a response a call does not accept to its exception.
   *
   * @param description the call's method and path
   * @param authenticated whether the call carried a bearer JWT
   */
  HubException error(String description, boolean authenticated, Call.Response answer, Auth auth) {
    int status = answer.status();
    Wire.ErrorBody body = Wire.error(answer.body());
    Optional<String> server = body.message().map(this::clean);
    String prefix = description + ": HTTP " + status;
    int attempts = answer.attempts();
    if (isPlanLimit(status, body)) {
      Optional<JsonNode> errinfo =
          body.json().map(j -> j.get("errinfo")).filter(JsonNode::isObject);
      return new HubPlanLimitException(
          message(
              prefix + " plan limit reached",
              server,
              "delete tokens the account no longer needs, or move to a plan with a higher limit",
              attempts),
          status,
          server,
          errinfo.map(e -> e.get("plan")).filter(JsonNode::isTextual).map(p -> clean(p.asText())),
          wholeNumber(errinfo, "limit"),
          wholeNumber(errinfo, "current"),
          attempts);
    }
    switch (status) {
      case 400:
        Map<String, List<String>> fields = new LinkedHashMap<>();
        body.fields()
            .forEach(
                (field, errors) ->
                    fields.put(clean(field), errors.stream().map(this::clean).toList()));
        return new HubBadRequestException(
            message(prefix + " bad request", server.or(() -> describe(fields)), null, attempts),
            server,
            fields,
            attempts);
      case 401:
        return new HubAuthenticationException(
            message(
                prefix + " unauthorized",
                server,
                authenticated
                    ? "the server refused the bearer JWT even after the client logged in again"
                        + " (or the JWT was given as is and cannot be renewed)"
                    : "the server refused the credentials",
                attempts),
            server,
            attempts);
      case 403:
        boolean tokenSession =
            auth.accessTokenSession()
                || server
                    .map(s -> s.toLowerCase(Locale.ROOT).contains("personal access token"))
                    .orElse(false);
        return new HubForbiddenException(
            message(
                prefix + " forbidden",
                server,
                tokenSession
                    ? "this session was opened with a personal access token, and a session opened"
                        + " with a personal access token may not manage access tokens; log in with"
                        + " the account's password (Credentials.password) instead"
                    : null,
                attempts),
            server,
            tokenSession,
            attempts);
      case 404:
        return new HubNotFoundException(
            message(prefix + " not found", server, null, attempts), server, attempts);
      case 429:
        return rateLimited(
            description, answer, RetryAfter.from(answer.headers(), config.clock()), null);
      default:
        if (status >= 500 && status <= 599) {
          return new HubServerException(
              message(prefix + " server error", server, null, attempts), status, server, attempts);
        }
        return new HubUnexpectedResponseException(
            message(
                prefix + " is not a status this call expects",
                server,
                redirectHint(status),
                attempts),
            Math.max(100, Math.min(status, 599)),
            server,
            attempts);
    }
  }

  private HubRateLimitException rateLimited(
      String description, Call.Response answer, Optional<Duration> asked, String why) {
    Optional<String> server = Wire.error(answer.body()).message().map(this::clean);
    String wait = asked.map(d -> "; the server asked to wait " + d).orElse("");
    return new HubRateLimitException(
        message(description + ": HTTP 429 rate limited" + wait, server, why, answer.attempts()),
        server,
        asked,
        answer.attempts());
  }

  /**
   * A plan-limit refusal is told apart from other client errors by its error code ({@code
   * errinfo.code}, or a top-level {@code code}): {@code token_limit_exceeded}, or any code that
   * names a token or plan limit. A 403 without one is an ordinary refusal.
   */
  static boolean isPlanLimit(int status, Wire.ErrorBody body) {
    if (status < 400 || status > 499 || status == 401 || status == 404 || status == 429) {
      return false;
    }
    Optional<JsonNode> json = body.json();
    Optional<String> code =
        json.map(j -> j.get("errinfo"))
            .filter(JsonNode::isObject)
            .map(e -> e.get("code"))
            .filter(JsonNode::isTextual)
            .or(() -> json.map(j -> j.get("code")).filter(JsonNode::isTextual))
            .map(c -> c.asText().toLowerCase(Locale.ROOT));
    return code.filter(c -> c.contains("token_limit") || c.contains("plan_limit")).isPresent();
  }

  private static OptionalLong wholeNumber(Optional<JsonNode> object, String field) {
    return object
        .map(o -> o.get(field))
        .filter(
            n ->
                n.isIntegralNumber()
                    || (n.isNumber() && n.decimalValue().stripTrailingZeros().scale() <= 0))
        .filter(n -> n.canConvertToLong() && n.asLong() >= 0)
        .map(n -> OptionalLong.of(n.asLong()))
        .orElse(OptionalLong.empty());
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
      what = "no response within the request timeout";
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
    // The JDK's messages name hosts and ports at most; redact anyway, a custom HttpClient may
    // differ.
    String detail =
        e.getMessage() == null
            ? e.getClass().getSimpleName()
            : e.getClass().getSimpleName() + ": " + clean(e.getMessage());
    return new HubTransportException(
        call.description + ": " + what + " (" + detail + ")" + attemptsNote(attempts),
        kind,
        attempts,
        e);
  }

  private static boolean mayRetry(RetryPolicy policy, int retries) {
    return retries + 1 < policy.maxAttempts();
  }

  /** A jittered backoff, cut to what is left of the policy's total wait. */
  private Duration backoff(RetryPolicy policy, int retries, Duration waited) {
    Duration wait = Backoff.delay(policy, retries, config.random());
    Duration left = policy.maxTotalWait().minus(waited);
    if (left.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(left) > 0 ? left : wait;
  }

  private void sleep(Call<?> call, Duration wait, int attempts) {
    try {
      config.sleeper().sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubTransportException(
          call.description + ": interrupted while waiting " + wait + " to retry",
          HubTransportException.Kind.INTERRUPTED,
          attempts,
          e);
    }
  }

  private void log(Call<?> call, String cause, int retries, Duration wait) {
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0}: {1}; retry {2} of {3} after {4}",
          call.description,
          cause,
          retries + 1,
          config.retryPolicy().maxAttempts() - 1,
          wait);
    }
  }

  /** Redacts, bounds and strips control characters from text that came from the server. */
  private String clean(String text) {
    String redacted = redactor.redact(text);
    StringBuilder out = new StringBuilder();
    redacted
        .codePoints()
        .limit(MESSAGE_LIMIT)
        .forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    if (redacted.codePointCount(0, redacted.length()) > MESSAGE_LIMIT) {
      out.append("...");
    }
    return out.toString();
  }

  private static Optional<String> describe(Map<String, List<String>> fields) {
    if (fields.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    fields.forEach(
        (field, errors) ->
            text.append(text.length() == 0 ? "" : "; ")
                .append(field)
                .append(": ")
                .append(String.join(", ", errors)));
    return Optional.of(text.toString());
  }

  private static String redirectHint(int status) {
    return status >= 300 && status < 400
        ? "the client does not follow redirects, so that credentials never reach another host;"
            + " point the base URI at the server itself"
        : null;
  }

  private static String message(String head, Optional<String> server, String hint, int attempts) {
    StringBuilder text = new StringBuilder(head);
    server.ifPresent(s -> text.append(": \"").append(s).append('"'));
    if (hint != null) {
      text.append(" (").append(hint).append(')');
    }
    return text.append(attemptsNote(attempts)).toString();
  }

  private static String attemptsNote(int attempts) {
    return attempts > 1 ? " after " + attempts + " attempts" : "";
  }
}
