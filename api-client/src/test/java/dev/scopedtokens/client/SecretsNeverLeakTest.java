package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.NOW;
import static dev.scopedtokens.client.TestSupport.client;
import static dev.scopedtokens.client.TestSupport.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scopedtokens.testkit.ScriptedHttpClient;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Whatever a server echoes back (password, secret, JWT, TOTP code, two-factor token) and however a
 * call fails, no exception message, toString, server message or field error contains a secret.
 */
class SecretsNeverLeakTest {
  private static final UUID ID = UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb");
  private static final String PATH = "/v2/access-tokens/" + ID;
  private static final int[] STATUSES = {400, 401, 403, 404, 409, 429, 500, 503};
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A body that quotes every given secret in every place a client reads text from. */
  private static String echo(List<String> secrets) {
    String all = String.join(" / ", secrets);
    ObjectNode body = JSON.createObjectNode();
    body.put("message", "you sent " + all);
    body.put("detail", all);
    body.put("text", all);
    body.putObject("fields").putArray(all).add("bad value " + all);
    return body.toString();
  }

  private static void assertNoSecret(HubException e, List<String> secrets) {
    List<String> texts =
        new java.util.ArrayList<>(
            List.of(e.getMessage(), e.toString(), e.serverMessage().orElse("")));
    if (e instanceof HubBadRequestException) {
      ((HubBadRequestException) e)
          .fieldErrors()
          .forEach(
              (field, errors) -> {
                texts.add(field);
                texts.addAll(errors);
              });
    }
    for (String text : texts) {
      assertThat(text).doesNotContain("Bearer ");
      for (String secret : secrets) {
        assertThat(text).doesNotContain(secret);
      }
    }
  }

  @Test
  void echoedPasswordAndJwt_neverReachAnException() {
    qt().withExamples(200)
        .forAll(
            strings().basicLatinAlphabet().ofLengthBetween(4, 40),
            integers().between(0, STATUSES.length - 1),
            integers().between(0, 2))
        .checkAssert(
            (random, statusIndex, where) -> {
              String password = "Pw!" + random;
              String jwt =
                  jwt(
                      "{\"sub\":\"alice\",\"nonce\":"
                          + JSON.valueToTree(random)
                          + ",\"exp\":"
                          + NOW.plus(Duration.ofMinutes(10)).getEpochSecond()
                          + "}");
              List<String> secrets = where == 0 ? List.of(password) : List.of(password, jwt);
              int status = STATUSES[statusIndex];
              ScriptedHttpClient http = ScriptedHttpClient.create();
              if (where == 0) {
                // The login itself fails and echoes the password (the JWT was never issued).
                http.on(
                    "POST",
                    "/v2/users/login",
                    Reply.json(status == 429 ? 401 : status, echo(secrets)));
              } else {
                http.on("POST", "/v2/users/login", Reply.json(200, "{\"token\":\"" + jwt + "\"}"));
                http.on(
                    "GET",
                    PATH,
                    where == 1
                        ? Reply.json(status, echo(secrets)).header("Retry-After", "99999")
                        : Reply.failure(
                            new IOException(
                                "connection dropped after " + String.join(" ", secrets))));
              }
              HubClient hub =
                  client(
                          http,
                          Credentials.password("alice", password),
                          new TestSupport.MutableClock(NOW),
                          new TestSupport.RecordingSleeper())
                      .retryPolicy(RetryPolicy.none())
                      .build();

              HubException e = catchThrowableOfType(HubException.class, () -> hub.get(ID));

              assertThat(e).isNotNull();
              assertNoSecret(e, secrets);
            });
  }

  @Test
  void echoedTotpCodeAndTwoFactorToken_neverReachAnException() {
    qt().withExamples(100)
        .forAll(
            integers().between(0, 999_999), strings().basicLatinAlphabet().ofLengthBetween(8, 40))
        .checkAssert(
            (codeNumber, random) -> {
              String code = String.format("%06d", codeNumber);
              String loginToken = "2fa-" + random;
              String password = "Pw!" + random;
              List<String> secrets = List.of(code, loginToken, password);
              ObjectNode challenge = JSON.createObjectNode();
              challenge.put("detail", "Require secondary authentication on MFA enabled account");
              challenge.put("login_2fa_token", loginToken);
              ScriptedHttpClient http = ScriptedHttpClient.create();
              http.on("POST", "/v2/users/login", Reply.json(401, challenge.toString()));
              http.on("POST", "/v2/users/2fa-login", Reply.json(401, echo(secrets)));
              HubClient hub =
                  client(
                          http,
                          Credentials.password("alice", password, () -> code),
                          new TestSupport.MutableClock(NOW),
                          new TestSupport.RecordingSleeper())
                      .build();

              HubAuthenticationException e =
                  catchThrowableOfType(HubAuthenticationException.class, () -> hub.get(ID));

              assertNoSecret(e, secrets);
            });
  }

  @Test
  void echoedIdentifierSecret_neverReachesAnException() {
    qt().withExamples(100)
        .forAll(strings().basicLatinAlphabet().ofLengthBetween(8, 40))
        .checkAssert(
            random -> {
              String secret = "dckr_pat_" + random;
              ScriptedHttpClient http = ScriptedHttpClient.create();
              http.on("POST", "/v2/auth/token", Reply.json(401, echo(List.of(secret))));
              HubClient hub =
                  client(
                          http,
                          Credentials.secret("alice", secret),
                          new TestSupport.MutableClock(NOW),
                          new TestSupport.RecordingSleeper())
                      .build();

              assertNoSecret(
                  catchThrowableOfType(HubAuthenticationException.class, () -> hub.get(ID)),
                  List.of(secret));
            });
  }

  @Test
  void echoedReadyBearer_neverReachesAnException() {
    String given = jwt("{\"sub\":\"alice\",\"n\":\"" + UUID.randomUUID() + "\"}");
    ScriptedHttpClient http = ScriptedHttpClient.create();
    http.on("GET", PATH, Reply.json(401, echo(List.of(given))));
    HubClient hub =
        client(
                http,
                Credentials.bearer(given),
                new TestSupport.MutableClock(NOW),
                new TestSupport.RecordingSleeper())
            .build();

    assertNoSecret(
        catchThrowableOfType(HubAuthenticationException.class, () -> hub.get(ID)), List.of(given));
  }
}
