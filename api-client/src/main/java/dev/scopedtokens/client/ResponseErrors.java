package dev.scopedtokens.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns a response a call does not accept into its typed {@link HubException}. Every piece of text
 * the server chose (its message, field names and errors, plan name) passes {@link
 * Redactor#clean(String)} before it reaches a message, and the status in the message is the status
 * the exception reports.
 */
final class ResponseErrors {
  private final Redactor redactor;
  private final Clock clock;

  ResponseErrors(Redactor redactor, Clock clock) {
    this.redactor = redactor;
    this.clock = clock;
  }

  /**
   * Maps a response a call does not accept to its exception.
   *
   * @param description the call's method and path
   * @param authenticated whether the call carried a bearer JWT
   */
  HubException error(String description, boolean authenticated, Call.Response answer, Auth auth) {
    int status = answer.status();
    WireFormat.ErrorBody body = WireFormat.error(answer.body());
    Optional<String> server = body.message().map(redactor::clean);
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
          errinfo
              .map(e -> e.get("plan"))
              .filter(JsonNode::isTextual)
              .map(p -> redactor.clean(p.asText())),
          wholeNumber(errinfo, "limit"),
          wholeNumber(errinfo, "current"),
          attempts);
    }
    return switch (status) {
      case 400 -> {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        body.fields()
            .forEach(
                (field, errors) ->
                    fields.put(
                        redactor.clean(field), errors.stream().map(redactor::clean).toList()));
        yield new HubBadRequestException(
            message(prefix + " bad request", server.or(() -> describe(fields)), null, attempts),
            server,
            fields,
            attempts);
      }
      case 401 ->
          new HubAuthenticationException(
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
      case 403 -> {
        boolean tokenSession =
            auth.accessTokenSession()
                || server
                    .map(s -> s.toLowerCase(Locale.ROOT).contains("personal access token"))
                    .orElse(false);
        yield new HubForbiddenException(
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
      }
      case 404 ->
          new HubNotFoundException(
              message(prefix + " not found", server, null, attempts), server, attempts);
      case 429 -> rateLimited(description, answer, RetryAfter.from(answer.headers(), clock), null);
      default -> {
        if (status >= 500 && status <= 599) {
          yield new HubServerException(
              message(prefix + " server error", server, null, attempts), status, server, attempts);
        }
        yield unexpected(
            description,
            status,
            server,
            isStatus(status) ? "is not a status this call expects" : null,
            redirectHint(status),
            attempts);
      }
    };
  }

  HubRateLimitException rateLimited(
      String description, Call.Response answer, Optional<Duration> asked, String why) {
    Optional<String> server = WireFormat.error(answer.body()).message().map(redactor::clean);
    String wait = asked.map(d -> "; the server asked to wait " + d).orElse("");
    return new HubRateLimitException(
        message(description + ": HTTP 429 rate limited" + wait, server, why, answer.attempts()),
        server,
        asked,
        answer.attempts());
  }

  /** An accepted status whose body does not fit: the reader's message, cleaned; no cause kept. */
  HubUnexpectedResponseException unreadable(
      String description, Call.Response answer, WireException e) {
    return unexpected(
        description,
        answer.status(),
        Optional.empty(),
        "response cannot be read: " + redactor.clean(e.describe(redactor)),
        null,
        answer.attempts());
  }

  /** A response whose framing the client refuses to read (a malformed Content-Length, say). */
  HubUnexpectedResponseException malformed(
      String description, BoundedBody.MalformedFraming e, int attempts) {
    return unexpected(
        description,
        e.status(),
        Optional.empty(),
        "response refused: " + e.getMessage(),
        null,
        attempts);
  }

  /**
   * A response the client cannot use. A status HTTP can carry (three digits) is reported as sent,
   * in the message and by {@link HubException#status()} alike; anything else is named as no status.
   */
  private static HubUnexpectedResponseException unexpected(
      String description,
      int status,
      Optional<String> server,
      String problem,
      String hint,
      int attempts) {
    String head =
        isStatus(status)
            ? description + ": HTTP " + status + (problem == null ? "" : " " + problem)
            : description
                + ": "
                + status
                + " is not an HTTP status (three digits, 100 to 999)"
                + (problem == null ? "" : "; " + problem);
    return new HubUnexpectedResponseException(
        message(head, server, hint, attempts), isStatus(status) ? status : 0, server, attempts);
  }

  private static boolean isStatus(int status) {
    return status >= 100 && status <= 999;
  }

  /**
   * A plan-limit refusal is told apart from other client errors by its error code ({@code
   * errinfo.code}, or a top-level {@code code}): {@code token_limit_exceeded}, or any code that
   * names a token or plan limit. A 403 without one is an ordinary refusal.
   */
  static boolean isPlanLimit(int status, WireFormat.ErrorBody body) {
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

  /** A whole, non-negative number that fits a long; anything else (1e999999999, 2.5) is absent. */
  private static OptionalLong wholeNumber(Optional<JsonNode> object, String field) {
    return object
        .map(o -> o.get(field))
        .flatMap(WireFormat::boundedDecimal)
        .flatMap(WireFormat::exactLong)
        .filter(n -> n >= 0)
        .map(OptionalLong::of)
        .orElse(OptionalLong.empty());
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

  static String attemptsNote(int attempts) {
    return attempts > 1 ? " after " + attempts + " attempts" : "";
  }
}
