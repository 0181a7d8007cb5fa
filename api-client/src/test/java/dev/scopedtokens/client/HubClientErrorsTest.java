package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.NOW;
import static dev.scopedtokens.client.TestSupport.bearer;
import static dev.scopedtokens.client.TestSupport.client;
import static dev.scopedtokens.client.TestSupport.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every status maps to its own exception, carrying status, server message and attempts. */
class HubClientErrorsTest {
  private static final UUID ID = UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb");
  private static final String PATH = "/v2/access-tokens/" + ID;

  private final ScriptedHttpClient http = ScriptedHttpClient.create();
  private final HubClient hub =
      client(http, bearer(), Clock.fixed(NOW, ZoneOffset.UTC), new TestSupport.RecordingSleeper())
          .retryPolicy(RetryPolicy.none())
          .build();

  private HubException getFails(Reply reply) {
    http.on("GET", PATH, reply);
    return catchThrowableOfType(HubException.class, () -> hub.get(ID));
  }

  @Test
  void badRequest_carriesTheFieldErrors() {
    http.on("PATCH", PATH, Reply.json(400, example("error-value-error.json")));

    HubBadRequestException e =
        catchThrowableOfType(HubBadRequestException.class, () -> hub.rename(ID, "x"));

    assertThat(e.status()).hasValue(400);
    assertThat(e.fieldErrors())
        .containsEntry(
            "token_label", List.of("Ensure this field has no more than 100 characters."));
    assertThat(e.serverMessage()).contains("Ensure this field has no more than 100 characters.");
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e)
        .hasMessageStartingWith("PATCH " + PATH + ": HTTP 400 bad request: \"Ensure this field");
  }

  @Test
  void badRequestWithFieldsOnly_describesTheFieldsInTheMessage() {
    http.on("PATCH", PATH, Reply.json(400, "{\"fields\":{\"token_label\":[\"too long\"]}}"));

    HubBadRequestException e =
        catchThrowableOfType(HubBadRequestException.class, () -> hub.rename(ID, "x"));

    assertThat(e).hasMessageContaining("token_label: too long");
    assertThat(e.serverMessage()).isEmpty();
  }

  @Test
  void unauthorized_isAnAuthenticationException() {
    HubException e = getFails(Reply.json(401, example("error-unauthorized-observed.json")));

    assertThat(e).isInstanceOf(HubAuthenticationException.class);
    assertThat(e.status()).hasValue(401);
    assertThat(e.serverMessage()).contains("unauthorized");
  }

  @Test
  void forbidden_isAForbiddenException() {
    HubException e = getFails(Reply.json(403, "{\"detail\":\"You do not have permission.\"}"));

    assertThat(e)
        .isInstanceOfSatisfying(
            HubForbiddenException.class, f -> assertThat(f.accessTokenSession()).isFalse());
    assertThat(e.serverMessage()).contains("You do not have permission.");
  }

  @Test
  void forbiddenForAPatSession_saysSoInTheMessage() {
    HubException e = getFails(Reply.json(403, example("error-pat-forbidden-observed.json")));

    assertThat(e)
        .isInstanceOfSatisfying(
            HubForbiddenException.class, f -> assertThat(f.accessTokenSession()).isTrue());
    assertThat(e)
        .hasMessageContaining("may not manage access tokens")
        .hasMessageContaining("Credentials.password");
  }

  @Test
  void notFound_isANotFoundException() {
    HubException e = getFails(Reply.json(404, example("error-error.json")));

    assertThat(e).isInstanceOf(HubNotFoundException.class);
    assertThat(e.serverMessage()).contains("Token not found");
    assertThat(e).hasMessage("GET " + PATH + ": HTTP 404 not found: \"Token not found\"");
  }

  @Test
  void tooManyRequests_isARateLimitExceptionWithTheWait() {
    HubException e =
        getFails(Reply.json(429, example("error-rate-limit.json")).header("Retry-After", "7"));

    assertThat(e)
        .isInstanceOfSatisfying(
            HubRateLimitException.class,
            r -> assertThat(r.retryAfter()).contains(Duration.ofSeconds(7)));
    assertThat(e.serverMessage()).contains("Rate limit exceeded");
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 501, 502, 503, 504, 599})
  void serverErrors_areServerExceptions(int status) {
    HubException e = getFails(Reply.json(status, "{\"message\":\"boom\"}"));

    assertThat(e).isInstanceOf(HubServerException.class);
    assertThat(e.status()).hasValue(status);
    assertThat(e.serverMessage()).contains("boom");
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 307, 308, 405, 409, 418, 422})
  void otherStatuses_areUnexpected(int status) {
    HubException e =
        getFails(Reply.status(status).header("Location", "https://elsewhere.example.test/"));

    assertThat(e).isInstanceOf(HubUnexpectedResponseException.class);
    assertThat(e.status()).hasValue(status);
  }

  @Test
  void redirect_isNotFollowedAndSaysWhy() {
    HubException e =
        getFails(Reply.status(302).header("Location", "https://elsewhere.example.test/"));

    assertThat(e).hasMessageContaining("does not follow redirects");
    assertThat(http.requests()).hasSize(1);
  }

  @Test
  void unreadableSuccessBody_isUnexpected() {
    HubException e = getFails(Reply.json(200, "<html>hello</html>"));

    assertThat(e).isInstanceOf(HubUnexpectedResponseException.class);
    assertThat(e.status()).hasValue(200);
    assertThat(e).hasMessageContaining("response cannot be read");
  }

  @Test
  void serverMessage_isTakenFromMessageThenDetailThenText() {
    assertThat(
            getFails(Reply.json(404, "{\"text\":\"t\",\"detail\":\"d\",\"message\":\"m\"}"))
                .serverMessage())
        .contains("m");
  }

  @Test
  void serverMessage_fallsBackToDetailThenText() {
    assertThat(getFails(Reply.json(404, "{\"text\":\"t\",\"detail\":\"d\"}")).serverMessage())
        .contains("d");
  }

  @Test
  void serverMessage_fallsBackToText() {
    assertThat(getFails(Reply.json(404, "{\"text\":\"t\"}")).serverMessage()).contains("t");
  }

  @Test
  void nonJsonErrorBody_leavesNoServerMessage() {
    HubException e = getFails(Reply.status(503));

    assertThat(e.serverMessage()).isEmpty();
    assertThat(e).hasMessage("GET " + PATH + ": HTTP 503 server error");
  }

  @Test
  void longServerMessage_isCut() {
    HubException e = getFails(Reply.json(404, "{\"message\":\"" + "x".repeat(5000) + "\"}"));

    assertThat(e.serverMessage())
        .hasValueSatisfying(m -> assertThat(m).hasSize(303).endsWith("..."));
  }

  @Test
  void controlCharactersInServerMessage_areReplaced() {
    HubException e = getFails(Reply.json(404, "{\"message\":\"line1\\nFAKE LOG LINE\"}"));

    assertThat(e.getMessage()).doesNotContain("\n");
  }

  @Test
  void connectFailure_isATransportException() {
    HubException e = getFails(Reply.failure(new ConnectException("Connection refused")));

    assertThat(e)
        .isInstanceOfSatisfying(
            HubTransportException.class,
            t -> assertThat(t.kind()).isEqualTo(HubTransportException.Kind.CONNECT));
    assertThat(e.status()).isEmpty();
    assertThat(e.getCause()).isInstanceOf(ConnectException.class);
  }

  @Test
  void connectTimeout_isAConnectFailure() {
    HubException e = getFails(Reply.failure(new HttpConnectTimeoutException("timed out")));

    assertThat(((HubTransportException) e).kind()).isEqualTo(HubTransportException.Kind.CONNECT);
  }

  @Test
  void requestTimeout_isATimeout() {
    HubException e = getFails(Reply.failure(new HttpTimeoutException("request timed out")));

    assertThat(((HubTransportException) e).kind()).isEqualTo(HubTransportException.Kind.TIMEOUT);
  }

  @Test
  void brokenConnection_isAnIoFailure() {
    HubException e = getFails(Reply.failure(new IOException("Connection reset")));

    assertThat(((HubTransportException) e).kind()).isEqualTo(HubTransportException.Kind.IO);
  }

  @Test
  void tlsFailure_isAConnectFailure() {
    HubException e =
        getFails(Reply.failure(new SSLHandshakeException("PKIX path building failed")));

    assertThat(((HubTransportException) e).kind()).isEqualTo(HubTransportException.Kind.CONNECT);
  }

  @Test
  void planLimitRefusal_isAPlanLimitExceptionWithThePlan() {
    http.on(
        "POST",
        "/v2/access-tokens",
        Reply.json(
            403,
            "{\"detail\":\"access token limit reached: plan Personal allows 1\","
                + "\"message\":\"access token limit reached: plan Personal allows 1\","
                + "\"errinfo\":{\"code\":\"token_limit_exceeded\",\"plan\":\"Personal\","
                + "\"limit\":1,\"current\":1}}"));

    HubPlanLimitException e =
        catchThrowableOfType(
            HubPlanLimitException.class, () -> hub.create("t", Set.of(Scope.REPO_READ)));

    assertThat(e.status()).hasValue(403);
    assertThat(e.serverMessage()).contains("access token limit reached: plan Personal allows 1");
    assertThat(e.planName()).contains("Personal");
    assertThat(e.limit()).hasValue(1);
    assertThat(e.current()).hasValue(1);
    assertThat(e).hasMessageContaining("plan limit reached");
  }

  @Test
  void planLimitWithoutDetails_leavesThemEmpty() {
    http.on("POST", "/v2/access-tokens", Reply.json(403, "{\"code\":\"plan_limit_exceeded\"}"));

    HubPlanLimitException e =
        catchThrowableOfType(
            HubPlanLimitException.class, () -> hub.create("t", Set.of(Scope.REPO_READ)));

    assertThat(e.planName()).isEmpty();
    assertThat(e.limit()).isEmpty();
  }

  @Test
  void forbiddenWithAnotherCode_isNotAPlanLimit() {
    http.on(
        "POST", "/v2/access-tokens", Reply.json(403, "{\"errinfo\":{\"code\":\"sso_enforced\"}}"));

    assertThat(
            catchThrowableOfType(
                HubException.class, () -> hub.create("t", Set.of(Scope.REPO_READ))))
        .isInstanceOf(HubForbiddenException.class);
  }

  @Test
  void interruptedSend_restoresTheInterruptFlag() {
    http.on("GET", PATH, Reply.interrupted());
    HubClient client = hub;

    try {
      HubTransportException e =
          catchThrowableOfType(HubTransportException.class, () -> client.get(ID));

      assertThat(e.kind()).isEqualTo(HubTransportException.Kind.INTERRUPTED);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void interruptedRetryWait_restoresTheInterruptFlag() {
    http.on("GET", PATH, Reply.status(503));
    HubClient client =
        client(
                http,
                bearer(),
                Clock.fixed(NOW, ZoneOffset.UTC),
                d -> {
                  throw new InterruptedException("stop");
                })
            .build();

    try {
      HubTransportException e =
          catchThrowableOfType(HubTransportException.class, () -> client.get(ID));

      assertThat(e.kind()).isEqualTo(HubTransportException.Kind.INTERRUPTED);
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
