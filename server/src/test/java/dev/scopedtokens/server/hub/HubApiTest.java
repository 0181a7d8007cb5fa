package dev.scopedtokens.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.server.accounts.Account;
import dev.scopedtokens.server.accounts.AccountDirectory;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.token.PageRequest;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The management API as an endpoint, over a directory written here: what it asks the SPI, and what
 * it answers. The testkit's fake runs the whole wire against it over HTTP.
 */
class HubApiTest {
  private final TokenService tokens =
      TokenService.builder()
          .hasher(HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256")))
          .build();
  private final AtomicInteger secondFactorChecks = new AtomicInteger();

  /** alice has password "pw"; bob has "pw" and two factors, whose one good code is 123456. */
  private final AccountDirectory directory =
      new AccountDirectory() {
        @Override
        public Optional<Account> authenticate(String username, String password) {
          if (!password.equals("pw")) {
            return Optional.empty();
          }
          return switch (username) {
            case "alice" -> Optional.of(new Account("alice", false));
            case "bob" -> Optional.of(new Account("bob", true));
            default -> Optional.empty();
          };
        }

        @Override
        public boolean verifySecondFactor(Account account, String code) {
          secondFactorChecks.incrementAndGet();
          return account.name().equals("bob") && code.equals("123456");
        }

        @Override
        public RepositoryAccess repositoryAccess(Optional<String> account, String repository) {
          return RepositoryAccess.INACCESSIBLE;
        }
      };

  private final HubApi api = HubApi.builder(tokens, directory).build();

  @Test
  void passwordLogin_givesAnEs256SessionThatManagesTokens() {
    HttpResponse login = post("/v2/users/login", "{\"username\":\"alice\",\"password\":\"pw\"}");
    String jwt = field(login, "token");

    HttpResponse list = api.handle(get("/v2/access-tokens", jwt));

    assertThat(login.status()).isEqualTo(200);
    assertThat(jwt).startsWith("eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.");
    assertThat(list.status()).isEqualTo(200);
    assertThat(text(list)).contains("\"count\":0");
  }

  @Test
  void twoFactorAccount_isAskedForTheCode_andTheDirectoryChecksIt() {
    HttpResponse first = post("/v2/users/login", "{\"username\":\"bob\",\"password\":\"pw\"}");
    String handle = field(first, "login_2fa_token");

    HttpResponse wrong =
        post("/v2/users/2fa-login", "{\"login_2fa_token\":\"" + handle + "\",\"code\":\"000000\"}");
    HttpResponse right =
        post("/v2/users/2fa-login", "{\"login_2fa_token\":\"" + handle + "\",\"code\":\"123456\"}");

    assertThat(first.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(right.status()).isEqualTo(200);
    assertThat(secondFactorChecks).hasValue(2);
  }

  @Test
  void personalAccessToken_signsIn_butItsSessionMayNotManageTokens() {
    String pat = tokens.create("alice", TokenRequest.of("ci", Scope.REPO_READ)).secret().reveal();

    HttpResponse login =
        post("/v2/auth/token", "{\"identifier\":\"alice\",\"secret\":\"" + pat + "\"}");
    HttpResponse list = api.handle(get("/v2/access-tokens", field(login, "access_token")));

    assertThat(login.status()).isEqualTo(200);
    assertThat(list.status()).isEqualTo(403);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "agent\u202Eevil",
        "agent\u200B",
      })
  void aUserAgentTheCoreRefuses_isLeftOutAndTheCreateStillWorks(String agent) {
    HttpResponse created = createAsAliceWithUserAgent(agent);

    assertThat(created.status()).isEqualTo(201);
    assertThat(tokens.list("alice", PageRequest.first(10)).tokens())
        .singleElement()
        .satisfies(t -> assertThat(t.client().userAgent()).isEmpty());
  }

  @Test
  void aTokenPastedIntoTheUserAgent_isRefusedWithoutEchoingIt() {
    String secret =
        tokens.create("bob", TokenRequest.of("other", Scope.REPO_READ)).secret().reveal();

    HttpResponse created = createAsAliceWithUserAgent("curl/8 " + secret);

    assertThat(created.status()).isEqualTo(400);
    assertThat(text(created)).doesNotContain(secret);
    assertThat(tokens.list("alice", PageRequest.first(10)).tokens()).isEmpty();
  }

  @Test
  void anUnknownScope_isQuotedEscapedAndCut_inTheError() {
    String jwt =
        field(post("/v2/users/login", "{\"username\":\"alice\",\"password\":\"pw\"}"), "token");
    String hostile = "repo:\\u000a" + "x".repeat(5_000);

    HttpResponse created =
        api.handle(
            request(
                    "POST",
                    "/v2/access-tokens",
                    "{\"token_label\":\"ci\",\"scopes\":[\"" + hostile + "\"]}")
                .headers(
                    HttpHeaders.of(
                        Map.of(
                            "Authorization", List.of("Bearer " + jwt),
                            "Content-Type", List.of("application/json"))))
                .build());

    assertThat(created.status()).isEqualTo(400);
    assertThat(text(created))
        .contains("Unknown scope \\\"repo:\\\\u000axxx")
        .contains("(5006 characters)")
        .doesNotContain("x".repeat(100));
    assertThat(created.body().length).isLessThan(1_000);
  }

  /** Signs alice in and asks for a {@code repo:read} token with this User-Agent. */
  private HttpResponse createAsAliceWithUserAgent(String agent) {
    String jwt =
        field(post("/v2/users/login", "{\"username\":\"alice\",\"password\":\"pw\"}"), "token");
    return api.handle(
        request("POST", "/v2/access-tokens", "{\"token_label\":\"ci\",\"scopes\":[\"repo:read\"]}")
            .headers(
                HttpHeaders.of(
                    Map.of(
                        "Authorization", List.of("Bearer " + jwt),
                        "Content-Type", List.of("application/json"),
                        "User-Agent", List.of(agent))))
            .build());
  }

  @Test
  void pagingLinks_areAbsoluteOnThePublicBase() {
    HubApi behindProxy =
        HubApi.builder(tokens, directory).publicBaseUri(URI.create("https://hub.example/")).build();
    for (int i = 0; i < 3; i++) {
      tokens.create("alice", TokenRequest.of("t" + i, Scope.REPO_READ));
    }
    String jwt =
        field(
            behindProxy.handle(
                request("POST", "/v2/users/login", "{\"username\":\"alice\",\"password\":\"pw\"}")
                    .build()),
            "token");

    HttpResponse page =
        behindProxy.handle(
            HttpRequest.builder("GET", "/v2/access-tokens")
                .rawQuery("page_size=2")
                .headers(headers("Authorization", "Bearer " + jwt))
                .build());

    assertThat(text(page))
        .contains("\"next\":\"https://hub.example/v2/access-tokens?page=2&page_size=2\"");
  }

  @Test
  void builder_refusesAKeyThatIsNotP256() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));

    assertThatThrownBy(() -> HubApi.builder(tokens, directory).sessionKeys(ec.generateKeyPair()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P-256");
  }

  @Test
  void builder_refusesABaseUriWithAQuery() {
    assertThatThrownBy(
            () -> HubApi.builder(tokens, directory).publicBaseUri(URI.create("https://a/?x=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("publicBaseUri");
  }

  private HttpResponse post(String path, String json) {
    return api.handle(request("POST", path, json).build());
  }

  private static HttpRequest.Builder request(String method, String path, String json) {
    return HttpRequest.builder(method, path)
        .headers(headers("Content-Type", "application/json"))
        .body(json.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpRequest get(String path, String jwt) {
    return HttpRequest.builder("GET", path)
        .headers(
            HttpHeaders.of(
                Map.of("Authorization", List.of("Bearer " + jwt), "Host", List.of("127.0.0.1:1"))))
        .build();
  }

  private static HttpHeaders headers(String name, String value) {
    return HttpHeaders.of(Map.of(name, List.of(value)));
  }

  private static String text(HttpResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** A top-level string field of a JSON answer, read without a JSON library. */
  private static String field(HttpResponse response, String name) {
    String body = text(response);
    String key = "\"" + name + "\":\"";
    int start = body.indexOf(key);
    assertThat(start).as("field %s in %s", name, response).isNotNegative();
    start += key.length();
    return body.substring(start, body.indexOf('"', start));
  }
}
