package dev.scopedtokens.robustness;

import static dev.scopedtokens.robustness.JsonGenerators.TOKEN_FIELDS;
import static dev.scopedtokens.robustness.JsonGenerators.UNSAFE_STRINGS;
import static dev.scopedtokens.robustness.JsonGenerators.json;
import static dev.scopedtokens.robustness.JsonGenerators.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.scopedtokens.client.HubException;
import dev.scopedtokens.client.HubUnexpectedResponseException;
import dev.scopedtokens.robustness.ClientProbe.Login;
import dev.scopedtokens.robustness.ClientProbe.Operation;
import dev.scopedtokens.testkit.ScriptedHttpClient.Reply;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

/**
 * Whatever a server answers, the client returns a result or throws one of its typed exceptions:
 * never a raw Jackson exception, a {@code NullPointerException}, an {@code
 * IllegalArgumentException} or a hang (checked by {@link ClientProbe}: bounded requests and bounded
 * waits, through a sleeper that does not sleep).
 *
 * <p>Where {@link HubClientResponseFuzzTest} mutates bytes, this property generates answers that
 * are nearly right: the wire's own field names with values of every JSON type (right, wrong, null
 * or absent), statuses the client treats specially and any other, and the headers it reads. Strings
 * that cannot go into a header (a NUL, a lone surrogate, a line break) get their own property,
 * logins included: the client must refuse such a login token with a typed exception.
 */
class HubClientResponsePropertyTest {
  private static final String[] PAGE_FIELDS = {
    "count", "next", "previous", "active_count", "results"
  };
  private static final String[] ERROR_FIELDS = {
    "message", "detail", "text", "fields", "errinfo", "login_2fa_token"
  };
  private static final String[] LOGIN_FIELDS = {
    "token", "access_token", "login_2fa_token", "detail"
  };
  private static final int[] STATUSES = {
    200, 200, 200, 201, 204, 301, 302, 400, 401, 403, 404, 405, 409, 413, 418, 429, 500, 502, 503,
    504
  };

  @Test
  void anyNearlyRightAnswer_givesAResultOrATypedException() {
    qt().withExamples(2_000)
        .forAll(
            arbitrary().enumValues(Operation.class),
            arbitrary().enumValues(Login.class),
            lists().of(response()).ofSizeBetween(1, 6))
        .checkAssert(ClientProbe::callAndCheck);
  }

  @Test
  void anyAnswerWithStringsUnfitForAHeader_givesAResultOrATypedException() {
    // Logins included: a token a login answers with such a string must be refused, typed.
    Gen<Reply> unsafe =
        status()
            .zip(
                integers()
                    .between(0, 2)
                    .flatMap(
                        kind ->
                            kind == 0
                                ? object(TOKEN_FIELDS, json(1, UNSAFE_STRINGS))
                                : kind == 1
                                    ? object(LOGIN_FIELDS, json(0, UNSAFE_STRINGS))
                                    : json(3, UNSAFE_STRINGS)),
                (s, body) ->
                    ClientProbe.reply(
                        s,
                        Map.of("Content-Type", "application/json"),
                        body.getBytes(StandardCharsets.UTF_8)));
    qt().withExamples(500)
        .forAll(
            arbitrary().enumValues(Operation.class),
            arbitrary().enumValues(Login.class),
            lists().of(unsafe).ofSizeBetween(1, 4))
        .checkAssert(ClientProbe::callAndCheck);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"token\":\"\\u0000\"}",
        "{\"token\":\"\\ud800\"}",
        "{\"access_token\":\"x\\ny\"}"
      })
  void loginAnswerWhoseTokenCannotBeAHeader_givesATypedException(String loginAnswer) {
    Login login = loginAnswer.contains("access_token") ? Login.SECRET : Login.PASSWORD;
    HubException failure =
        ClientProbe.callAndCheck(
            Operation.LIST,
            login,
            List.of(
                ClientProbe.reply(
                    200,
                    Map.of("Content-Type", "application/json"),
                    loginAnswer.getBytes(StandardCharsets.UTF_8))));
    assertThat(failure).isInstanceOf(HubUnexpectedResponseException.class);
  }

  @Test
  void everyTypedFailure_carriesTheStatusItWasGiven() {
    qt().withExamples(500)
        .forAll(arbitrary().enumValues(Operation.class), status(), json(2))
        .checkAssert(
            (operation, status, body) -> {
              HubException failure =
                  ClientProbe.callAndCheck(
                      operation,
                      Login.BEARER,
                      List.of(
                          ClientProbe.reply(
                              status,
                              Map.of("Content-Type", "application/json"),
                              body.getBytes(StandardCharsets.UTF_8))));
              // Every example is judged: a call ends in a result only on a 2xx, and every typed
              // failure reports the very status the server sent.
              if (failure == null) {
                assertThat(status).as("status of a call that returned").isBetween(200, 299);
              } else {
                assertThat(failure.status()).as("status of %s", failure).hasValue(status);
              }
            });
  }

  private static Gen<Integer> status() {
    return integers()
        .between(0, STATUSES.length * 2 - 1)
        .zip(
            integers().between(100, 999),
            (pick, any) -> pick < STATUSES.length ? STATUSES[pick] : any);
  }

  private static Gen<Reply> response() {
    Gen<String> body =
        integers()
            .between(0, 4)
            .flatMap(
                kind -> {
                  return switch (kind) {
                    case 0 -> object(TOKEN_FIELDS, json(1));
                    case 1 -> page();
                    case 2 -> object(ERROR_FIELDS, json(2));
                    case 3 -> object(LOGIN_FIELDS, json(1));
                    default -> json(3);
                  };
                });
    Gen<Map<String, String>> headers =
        lists()
            .of(header())
            .ofSizeBetween(0, 3)
            .map(
                list -> {
                  Map<String, String> map = new LinkedHashMap<>();
                  map.put("Content-Type", "application/json");
                  list.forEach(h -> map.put(h[0], h[1]));
                  return map;
                });
    return status()
        .zip(
            headers,
            body,
            (s, h, b) -> ClientProbe.reply(s, h, b.getBytes(StandardCharsets.UTF_8)));
  }

  private static Gen<String[]> header() {
    Gen<String> name =
        arbitrary().pick("Retry-After", "X-Retry-After", "Date", "Location", "Content-Type");
    Gen<String> value =
        arbitrary()
            .pick(
                "0",
                "2",
                "-1",
                "86400",
                "99999999999999999999",
                "1.5",
                "soon",
                "Mon, 23 Nov 2026 12:00:05 GMT",
                "Sun, 06 Nov 1994 08:49:37 GMT",
                "1795000000",
                "4102444800",
                "text/html",
                "https://evil.example/");
    return name.zip(value, (n, v) -> new String[] {n, v});
  }

  private static Gen<String> page() {
    Gen<String> results =
        lists()
            .of(object(TOKEN_FIELDS, json(1)))
            .ofSizeBetween(0, 4)
            .map(list -> "[" + String.join(",", list) + "]");
    return object(PAGE_FIELDS, json(1))
        .zip(
            results,
            integers().between(0, 1),
            (page, tokens, withTokens) ->
                withTokens == 1 && page.length() > 2
                    ? "{\"results\":" + tokens + "," + page.substring(1)
                    : page);
  }
}
