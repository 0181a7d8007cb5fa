package dev.scopedtokens.server.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.server.accounts.Account;
import dev.scopedtokens.server.accounts.AccountDirectory;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.token.TokenService;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every management call checks its bearer session with the server's one JWT verifier: whatever is
 * wrong with the JWT, the answer is the same 401 in JSON, and the JWT is not echoed.
 */
class SessionBearerTest {
  private final TestClock clock = TestClock.atDefaultStart();
  private final SecureRandom random = new SecureRandom();
  private final KeyPair keys = SessionJwt.generateKeyPair(random);
  private final HubEndpoints api =
      new HubEndpoints(
          TokenService.builder()
              .hasher(HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256")))
              .clock(clock)
              .build(),
          new AccountDirectory() {
            @Override
            public Optional<Account> authenticate(String username, String password) {
              return username.equals("alice") && password.equals("pw")
                  ? Optional.of(new Account("alice", false))
                  : Optional.empty();
            }

            @Override
            public boolean verifySecondFactor(Account account, String code) {
              return false;
            }

            @Override
            public RepositoryAccess repositoryAccess(Optional<String> account, String repository) {
              return RepositoryAccess.INACCESSIBLE;
            }
          },
          keys,
          "scopedtokens",
          clock,
          random,
          Optional.empty(),
          0);

  /** Ways a bearer JWT goes wrong, each made from a good session of this server. */
  enum Forgery {
    WRONG_ALGORITHM(
        t -> header("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + t.substring(t.indexOf('.'))),
    ALG_NONE(t -> header("{\"alg\":\"none\",\"typ\":\"JWT\"}") + segmentsAfterHeader(t) + "."),
    HS256(SessionBearerTest::hs256),
    BAD_SIGNATURE(SessionBearerTest::otherSubject),
    MALFORMED_BASE64(
        t -> t.substring(0, t.lastIndexOf('.') + 1) + "***" + t.substring(t.length() - 3)),
    NOT_THREE_SEGMENTS(t -> t + ".e30"),
    HUGE(t -> t + "A".repeat(200_000)),
    RAW_PERSONAL_ACCESS_TOKEN(t -> "dckr_pat_" + "x".repeat(27));

    private final Function<String, String> forge;

    Forgery(Function<String, String> forge) {
      this.forge = forge;
    }
  }

  @Test
  void goodSession_managesTokens() {
    assertThat(list(login()).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Forgery.class)
  void forgedBearer_is401InJson_withoutEchoingIt(Forgery forgery) {
    String forged = forgery.forge.apply(login());

    assertRefusedWithoutEcho(list(forged), forged);
  }

  @Test
  void expiredSession_is401_atExactlyTenMinutes() {
    String session = login();

    clock.advance(Duration.ofSeconds(599));
    assertThat(list(session).status()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    assertRefusedWithoutEcho(list(session), session);
  }

  @Test
  void sessionIssuedAfterTheServersClockBeyondTheSkew_is401() {
    TestClock ahead = new TestClock(clock.peek().plus(SessionJwt.CLOCK_SKEW).plusSeconds(1));
    String early = new SessionJwt(keys, "scopedtokens", ahead, random).issueForPassword("alice");

    assertRefusedWithoutEcho(list(early), early);
  }

  @Test
  void sessionOfAnotherKey_is401() {
    String other =
        new SessionJwt(SessionJwt.generateKeyPair(random), "scopedtokens", clock, random)
            .issueForPassword("alice");

    assertRefusedWithoutEcho(list(other), other);
  }

  private static void assertRefusedWithoutEcho(HttpResponse response, String bearer) {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.headers().first("Content-Type")).contains("application/json");
    assertThat(response.headers().first("WWW-Authenticate")).isPresent();
    assertThat(body).isEqualTo("{\"message\":\"unauthorized\",\"errinfo\":{}}");
    for (String segment : bearer.split("\\.")) {
      if (segment.length() >= 8) {
        assertThat(body).doesNotContain(segment.substring(0, 8));
      }
    }
  }

  private String login() {
    HttpResponse login =
        api.handle(
            HttpRequest.builder("POST", "/v2/users/login")
                .headers(HttpHeaders.of(Map.of("Content-Type", List.of("application/json"))))
                .body(
                    "{\"username\":\"alice\",\"password\":\"pw\"}".getBytes(StandardCharsets.UTF_8))
                .build());
    String body = new String(login.body(), StandardCharsets.UTF_8);
    assertThat(login.status()).as(body).isEqualTo(200);
    int start = body.indexOf("\"token\":\"") + 9;
    return body.substring(start, body.indexOf('"', start));
  }

  private HttpResponse list(String bearer) {
    return api.handle(
        HttpRequest.builder("GET", "/v2/access-tokens")
            .headers(
                HttpHeaders.of(
                    Map.of(
                        "Authorization", List.of("Bearer " + bearer),
                        "Host", List.of("127.0.0.1:1"))))
            .build());
  }

  private static String header(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String segmentsAfterHeader(String token) {
    return token.substring(token.indexOf('.'), token.lastIndexOf('.'));
  }

  private static String hs256(String token) {
    String signingInput =
        header("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + segmentsAfterHeader(token);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      return signingInput
          + "."
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String otherSubject(String token) {
    String[] parts = token.split("\\.");
    String claims =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("\"alice\"", "\"mallory\"");
    return parts[0] + "." + header(claims) + "." + parts[2];
  }
}
