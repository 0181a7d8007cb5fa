package dev.scopedtokens.server.registry;

import static dev.scopedtokens.server.registry.RegistryFixture.access;
import static dev.scopedtokens.server.registry.RegistryFixture.anonymous;
import static dev.scopedtokens.server.registry.RegistryFixture.body;
import static dev.scopedtokens.server.registry.RegistryFixture.get;
import static dev.scopedtokens.server.registry.RegistryFixture.post;
import static dev.scopedtokens.server.registry.RegistryFixture.verifiedToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.TokenEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryTokenEndpointTest {
  private final RegistryFixture f = new RegistryFixture();
  private RegistryTokenEndpoint endpoint;

  @BeforeEach
  void setUp() {
    f.directory
        .account("alice", "alice-password", false)
        .account("carol", "carol-password", true)
        .repository("team/app", RepositoryVisibility.PRIVATE)
        .repository("team/readonly", RepositoryVisibility.PRIVATE)
        .repository("alice/own", RepositoryVisibility.PRIVATE)
        .repository("public/lib", RepositoryVisibility.PUBLIC)
        .access("alice", "team/app", OwnerAccess.WRITE)
        .access("alice", "team/readonly", OwnerAccess.READ)
        .access("alice", "alice/own", OwnerAccess.ADMIN)
        .access("carol", "team/app", OwnerAccess.ADMIN);
    endpoint = f.endpoint().build();
  }

  private HttpResponse withToken(IssuedToken token, String query) {
    return endpoint.handle(get(query, token.token().owner(), token.secret().reveal()));
  }

  @Test
  void dockerLogin_withGoodToken_andNoScope_gets200WithEmptyAccess() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);

    HttpResponse response =
        withToken(pat, "account=alice&client_id=docker&offline_token=true&service=registry.test");

    assertThat(access(response)).isEmpty();
    assertThat(body(response).has("refresh_token")).isFalse();
  }

  @Test
  void readToken_askingPullPush_getsPullOnly() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);

    HttpResponse response =
        withToken(pat, "service=registry.test&scope=repository:team/app:pull,push");

    assertThat(access(response)).containsExactly("repository:team/app:pull");
  }

  @Test
  void claims_areWhatRegistriesDemand() throws Exception {
    IssuedToken pat = f.token("alice", Scope.REPO_WRITE);

    HttpResponse response =
        withToken(pat, "service=registry.test&scope=repository:team/app:push,pull");
    SignedJWT jwt = verifiedToken(response);
    JWTClaimsSet claims = jwt.getJWTClaimsSet();

    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    assertThat(jwt.getSignature().decode()).hasSize(64);
    assertThat(claims.getIssuer()).isEqualTo("test-issuer");
    assertThat(claims.getSubject()).isEqualTo("alice");
    Map<String, Object> raw = jwt.getPayload().toJSONObject();
    assertThat(raw.get("aud")).isEqualTo("registry.test"); // a string, never an array
    long iat = RegistryFixture.START.getEpochSecond();
    assertThat(raw)
        .containsEntry("iat", iat)
        .containsEntry("nbf", iat)
        .containsEntry("exp", iat + 300);
    assertThat(claims.getJWTID()).isNotBlank();
    JsonNode body = body(response);
    assertThat(body.get("expires_in").asLong()).isEqualTo(300);
    assertThat(body.get("issued_at").asText()).isEqualTo("2026-11-29T12:00:00Z");
    assertThat(access(response)).containsExactly("repository:team/app:pull,push");
    assertThat(response.headers().first("Cache-Control")).contains("no-store");
  }

  @Test
  void everyToken_hasItsOwnId() throws Exception {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      ids.add(verifiedToken(withToken(pat, "service=registry.test")).getJWTClaimsSet().getJWTID());
    }
    assertThat(ids).hasSize(20);
  }

  @Test
  void wildcard_isExpandedToWhatIsAllowed_neverCopied() {
    IssuedToken pat = f.token("alice", Scope.REPO_ADMIN);

    HttpResponse response = withToken(pat, "service=registry.test&scope=repository:team/app:*");

    assertThat(access(response)).containsExactly("repository:team/app:pull,push");
  }

  @Test
  void token_neverGetsMoreThanItsOwner() {
    IssuedToken pat = f.token("alice", Scope.REPO_ADMIN);

    HttpResponse response =
        withToken(pat, "service=registry.test&scope=repository:team/readonly:pull,push,delete");

    assertThat(access(response)).containsExactly("repository:team/readonly:pull");
  }

  @Test
  void publicReadToken_pullsPublic_notPrivate() {
    IssuedToken pat = f.token("alice", Scope.REPO_PUBLIC_READ);

    HttpResponse response =
        withToken(
            pat,
            "service=registry.test&scope=repository:public/lib:pull&scope=repository:team/app:pull");

    assertThat(access(response)).containsExactly("repository:public/lib:pull");
  }

  @Test
  void scopes_repeatedAndSpaceSeparated_areBothRead() {
    IssuedToken pat = f.token("alice", Scope.REPO_WRITE);

    HttpResponse response =
        withToken(
            pat,
            "service=registry.test&scope=repository:team/app:pull+repository:public/lib:pull"
                + "&scope=repository:alice/own:push");

    assertThat(access(response))
        .containsExactly(
            "repository:team/app:pull", "repository:public/lib:pull", "repository:alice/own:push");
  }

  @Test
  void nothingGranted_is200WithEmptyAccess_never403() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);

    HttpResponse response =
        withToken(pat, "service=registry.test&scope=repository:secret/elsewhere:pull,push");

    assertThat(access(response)).isEmpty();
  }

  @Test
  void anonymous_pullsPublicRepositoriesOnly() throws Exception {
    HttpResponse response =
        endpoint.handle(
            anonymous(
                "service=registry.test&scope=repository:public/lib:pull,push"
                    + "&scope=repository:team/app:pull"));

    assertThat(access(response)).containsExactly("repository:public/lib:pull");
    assertThat(verifiedToken(response).getJWTClaimsSet().getSubject()).isEmpty();
  }

  @Test
  void password_getsTheAccountsOwnRights() {
    HttpResponse response =
        endpoint.handle(
            get(
                "service=registry.test&scope=repository:alice/own:pull,push,delete"
                    + "&scope=repository:team/app:*",
                "alice",
                "alice-password"));

    assertThat(access(response))
        .containsExactly("repository:alice/own:pull,push,delete", "repository:team/app:pull,push");
  }

  @Test
  void password_ofTwoFactorAccount_isRefused() {
    HttpResponse response =
        endpoint.handle(get("service=registry.test", "carol", "carol-password"));

    assertThat(response.status()).isEqualTo(401);
    assertThat(body(response).get("details").asText()).contains("two-factor");
  }

  @Test
  void token_ofTwoFactorAccount_works() {
    IssuedToken pat = f.token("carol", Scope.REPO_ADMIN);

    assertThat(access(withToken(pat, "service=registry.test&scope=repository:team/app:delete")))
        .containsExactly("repository:team/app:delete");
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice:wrong-password", "nobody:alice-password", "alice:", ":x"})
  void badCredentials_get401WithChallengeAndJsonError(String credentials) {
    HttpResponse response = endpoint.handle(get("service=registry.test", Optional.of(credentials)));

    assertUnauthorized(response);
  }

  @Test
  void wrongToken_get401() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    String secret = pat.secret().reveal();
    String wrong = secret.substring(0, secret.length() - 1) + (secret.endsWith("a") ? "b" : "a");

    assertUnauthorized(endpoint.handle(get("service=registry.test", "alice", wrong)));
  }

  @Test
  void tokenOfAnotherAccount_get401() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);

    assertUnauthorized(
        endpoint.handle(get("service=registry.test", "carol", pat.secret().reveal())));
  }

  @Test
  void deactivatedRevokedExpiredAndDeletedTokens_get401() {
    IssuedToken deactivated = f.token("alice", Scope.REPO_READ);
    IssuedToken revoked = f.token("alice", Scope.REPO_READ);
    IssuedToken deleted = f.token("alice", Scope.REPO_READ);
    IssuedToken expiring =
        f.tokens.create(
            "alice",
            dev.scopedtokens.token.TokenRequest.of("short", Scope.REPO_READ)
                .expiringAt(RegistryFixture.START.plusSeconds(86_400)));
    f.tokens.deactivate("alice", deactivated.token().id());
    f.tokens.revoke("alice", revoked.token().id());
    f.tokens.delete("alice", deleted.token().id());
    f.clock.advance(java.time.Duration.ofDays(2));

    for (IssuedToken pat : List.of(deactivated, revoked, deleted, expiring)) {
      assertUnauthorized(withToken(pat, "service=registry.test"));
    }
  }

  @Test
  void tokenUse_goesThroughTheVerifier_soItIsRecorded() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);

    withToken(pat, "service=registry.test&scope=repository:team/app:pull");

    assertThat(f.events)
        .anySatisfy(
            e -> {
              assertThat(e).isInstanceOf(TokenEvent.Used.class);
              assertThat(((TokenEvent.Used) e).token().id()).isEqualTo(pat.token().id());
            });
    assertThat(f.tokens.get("alice", pat.token().id()).lastUsedAt()).isPresent();
  }

  @Test
  void catalog_isNotGranted_unlessConfiguredAndAllowed() {
    f.directory.catalog("alice");
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    String query = "service=registry.test&scope=registry:catalog:*";

    assertThat(access(withToken(pat, query))).isEmpty();

    endpoint = f.endpoint().allowCatalog().build();
    assertThat(access(withToken(pat, query))).containsExactly("registry:catalog:*");
    assertThat(access(withToken(f.token("alice", Scope.REPO_PUBLIC_READ), query))).isEmpty();
    assertThat(access(endpoint.handle(anonymous(query)))).isEmpty();
    assertThat(access(withToken(f.token("carol", Scope.REPO_ADMIN), query))).isEmpty();
  }

  @Test
  void wrongService_is400WithJsonError() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);

    HttpResponse response = withToken(pat, "service=other-registry");

    assertThat(response.status()).isEqualTo(400);
    assertThat(body(response).get("details").asText()).contains("registry.test");
  }

  @Test
  void tooManyScopes_is400NamingTheCap() {
    StringBuilder query = new StringBuilder("service=registry.test");
    for (int i = 0; i < 33; i++) {
      query.append("&scope=repository:team/app").append(i).append(":pull");
    }

    HttpResponse response = endpoint.handle(anonymous(query.toString()));

    assertThat(response.status()).isEqualTo(400);
    assertThat(body(response).get("error").asText()).isEqualTo("invalid_scope");
    assertThat(body(response).get("details").asText()).contains("at most 32");
  }

  @Test
  void tooManyScopeBytes_is400NamingTheCap() {
    String longName = "a".repeat(250);
    StringBuilder query = new StringBuilder("service=registry.test&scope=");
    for (int i = 0; i < 31; i++) { // 31 scopes, each 268 bytes: within the count, over the bytes
      query.append("repository:").append(longName).append(i % 10).append(":pull+");
    }

    HttpResponse response = endpoint.handle(anonymous(query.toString()));

    assertThat(response.status()).isEqualTo(400);
    assertThat(body(response).get("details").asText()).contains("at most 8192 bytes");
  }

  @Test
  void malformedScope_is400_withoutEchoingIt() {
    HttpResponse response =
        endpoint.handle(anonymous("service=registry.test&scope=repository:Secret_Value:pull"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("Secret_Value");
  }

  @Test
  void accountOtherThanTheUser_is400() {
    HttpResponse response =
        endpoint.handle(get("service=registry.test&account=bob", "alice", "alice-password"));

    assertThat(response.status()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer abc", "Basic !!!", "Basic", "Basic " + "dXNlcg==", "Basic /w=="})
  void malformedAuthorization_is400WithJson(String header) {
    HttpResponse response =
        endpoint.handle(
            HttpRequest.builder("GET", "/token")
                .rawQuery("service=registry.test")
                .headers(HttpHeaders.of(Map.of("Authorization", List.of(header))))
                .build());

    assertThat(response.status()).isEqualTo(400);
    assertThat(body(response).has("details")).isTrue();
  }

  @Test
  void otherMethods_are405WithAllow() {
    HttpResponse response = endpoint.handle(HttpRequest.builder("PUT", "/token").build());

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.headers().first("Allow")).contains("GET, POST");
  }

  @Test
  void postPassword_likeContainerd_isGrantedWithScopeInTheAnswer() {
    HttpResponse response =
        endpoint.handle(
            post(
                "grant_type=password&username=alice&password=alice-password"
                    + "&client_id=containerd-client&service=registry.test"
                    + "&scope=repository%3Ateam%2Fapp%3Apull%2Cpush+repository%3Apublic%2Flib%3Apull"));

    assertThat(access(response))
        .containsExactly("repository:team/app:pull,push", "repository:public/lib:pull");
    assertThat(body(response).get("scope").asText())
        .isEqualTo("repository:team/app:pull,push repository:public/lib:pull");
  }

  @Test
  void postPassword_withToken_isGranted() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);

    HttpResponse response =
        endpoint.handle(
            post(
                "grant_type=password&username=alice&password="
                    + pat.secret().reveal()
                    + "&client_id=containerd-client&scope=repository:team/app:pull,push"));

    assertThat(access(response)).containsExactly("repository:team/app:pull");
  }

  @Test
  void postWithoutClientId_is400() {
    HttpResponse response =
        endpoint.handle(post("grant_type=password&username=alice&password=alice-password"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(body(response).get("details").asText()).contains("client_id");
  }

  @Test
  void postBadPassword_is401() {
    assertUnauthorized(
        endpoint.handle(
            post("grant_type=password&username=alice&password=nope&client_id=containerd-client")));
  }

  @Test
  void postUnknownGrantType_is400() {
    HttpResponse response = endpoint.handle(post("grant_type=client_credentials&client_id=x"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(body(response).get("error").asText()).isEqualTo("unsupported_grant_type");
  }

  @Test
  void postThatIsNotAForm_is415() {
    HttpResponse response =
        endpoint.handle(
            HttpRequest.builder("POST", "/token")
                .headers(HttpHeaders.of(Map.of("Content-Type", List.of("application/json"))))
                .body("{}".getBytes(StandardCharsets.UTF_8))
                .build());

    assertThat(response.status()).isEqualTo(415);
    assertThat(body(response).has("details")).isTrue();
  }

  @Test
  void refreshTokens_areOffByDefault() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);

    assertThat(
            body(withToken(pat, "service=registry.test&offline_token=true")).has("refresh_token"))
        .isFalse();
    assertUnauthorized(
        endpoint.handle(post("grant_type=refresh_token&refresh_token=str1.AAAA&client_id=x")));
  }

  static void assertUnauthorized(HttpResponse response) {
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.headers().first("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
    JsonNode body = body(response);
    assertThat(body.get("errors").get(0).get("code").asText()).isEqualTo("UNAUTHORIZED");
    assertThat(body.get("error").asText()).isEqualTo("invalid_grant");
    assertThat(body.has("token")).isFalse();
  }
}
