package dev.scopedtokens.server.registry;

import static dev.scopedtokens.server.registry.RegistryFixture.access;
import static dev.scopedtokens.server.registry.RegistryFixture.body;
import static dev.scopedtokens.server.registry.RegistryFixture.get;
import static dev.scopedtokens.server.registry.RegistryFixture.post;
import static dev.scopedtokens.server.registry.RegistryTokenEndpointTest.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.TokenEvent;
import dev.scopedtokens.token.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshTokenTest {
  private static final String SCOPE = "&scope=repository%3Ateam%2Fapp%3Apull%2Cpush";
  private final RegistryFixture f = new RegistryFixture();
  private final RefreshTokenKey key = RefreshTokenKey.generate(new SecureRandom());
  private RegistryTokenEndpoint endpoint;

  @BeforeEach
  void setUp() {
    f.directory
        .account("alice", "alice-password", false)
        .repository("team/app", RepositoryVisibility.PRIVATE)
        .access("alice", "team/app", OwnerAccess.WRITE);
    endpoint = f.endpoint().refreshTokens(key).build();
  }

  private String login(IssuedToken pat) {
    HttpResponse response =
        endpoint.handle(
            get(
                "service=registry.test&client_id=docker&offline_token=true",
                "alice",
                pat.secret().reveal()));
    assertThat(response.status()).isEqualTo(200);
    return body(response).get("refresh_token").asText();
  }

  private HttpResponse refresh(String refreshToken) {
    return endpoint.handle(
        post(
            "grant_type=refresh_token&client_id=containers%2Fimage&service=registry.test"
                + "&refresh_token="
                + refreshToken
                + SCOPE));
  }

  @Test
  void refresh_grantsTheTokensScopes_andReturnsTheSameRefreshToken() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    String refreshToken = login(pat);

    HttpResponse response = refresh(refreshToken);

    assertThat(access(response)).containsExactly("repository:team/app:pull");
    assertThat(body(response).get("refresh_token").asText()).isEqualTo(refreshToken);
    assertThat(body(response).get("scope").asText()).isEqualTo("repository:team/app:pull");
  }

  @Test
  void refreshToken_doesNotHoldTheAccessTokenInClear() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    String refreshToken = login(pat);
    byte[] raw =
        Base64.getUrlDecoder().decode(refreshToken.substring(RefreshTokens.PREFIX.length()));

    assertThat(refreshToken).doesNotContain(pat.secret().reveal());
    assertThat(new String(raw, StandardCharsets.ISO_8859_1))
        .doesNotContain(pat.secret().reveal())
        .doesNotContain("alice");
  }

  @Test
  void everyRefresh_isAUseOfTheAccessToken() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    String refreshToken = login(pat);
    f.events.clear();

    refresh(refreshToken);

    assertThat(f.events).hasAtLeastOneElementOfType(TokenEvent.Used.class);
  }

  @Test
  void refreshToken_diesWithItsAccessToken() {
    assertDiesWhen(pat -> f.tokens.deactivate("alice", pat.token().id()));
    assertDiesWhen(pat -> f.tokens.revoke("alice", pat.token().id()));
    assertDiesWhen(pat -> f.tokens.delete("alice", pat.token().id()));
  }

  @Test
  void refreshToken_diesWhenItsAccessTokenExpires() {
    IssuedToken pat =
        f.tokens.create(
            "alice",
            TokenRequest.of("short", Scope.REPO_READ)
                .expiringAt(RegistryFixture.START.plus(Duration.ofDays(1))));
    String refreshToken = login(pat);
    assertThat(refresh(refreshToken).status()).isEqualTo(200);

    f.clock.advance(Duration.ofDays(1));

    assertUnauthorized(refresh(refreshToken));
  }

  @Test
  void refreshToken_worksAgainOnceItsAccessTokenIsReactivated() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    String refreshToken = login(pat);
    f.tokens.deactivate("alice", pat.token().id());
    assertUnauthorized(refresh(refreshToken));

    f.tokens.activate("alice", pat.token().id());

    assertThat(refresh(refreshToken).status()).isEqualTo(200);
  }

  private void assertDiesWhen(Consumer<IssuedToken> change) {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    String refreshToken = login(pat);
    assertThat(refresh(refreshToken).status()).isEqualTo(200);

    change.accept(pat);

    assertUnauthorized(refresh(refreshToken));
  }

  @Test
  void tamperedOrForeignRefreshTokens_get401() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    String refreshToken = login(pat);
    char last = refreshToken.charAt(refreshToken.length() - 5);
    String tampered =
        refreshToken.substring(0, refreshToken.length() - 5)
            + (last == 'A' ? 'B' : 'A')
            + refreshToken.substring(refreshToken.length() - 4);
    RegistryTokenEndpoint otherKey =
        f.endpoint().refreshTokens(RefreshTokenKey.generate(new SecureRandom())).build();
    RegistryTokenEndpoint otherService =
        f.endpoint().service("other.registry").refreshTokens(key).build();
    String form = "grant_type=refresh_token&client_id=x&refresh_token=" + refreshToken;

    assertUnauthorized(refresh(tampered));
    assertUnauthorized(refresh("str1.not-base64!"));
    assertUnauthorized(refresh("x".repeat(5000)));
    assertUnauthorized(otherKey.handle(post(form)));
    assertUnauthorized(otherService.handle(post(form)));
  }

  @Test
  void olderKeys_stillOpen_whileTheNewestSeals() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    String sealedWithOld = login(pat);
    endpoint =
        f.endpoint().refreshTokens(RefreshTokenKey.generate(new SecureRandom()), key).build();

    assertThat(refresh(sealedWithOld).status()).isEqualTo(200);
    assertThat(login(pat)).isNotEqualTo(sealedWithOld);
  }

  @Test
  void postPasswordGrant_withOfflineAccess_yieldsARefreshToken_forATokenOnly() {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);

    HttpResponse withToken =
        endpoint.handle(
            post(
                "grant_type=password&client_id=x&access_type=offline&username=alice&password="
                    + pat.secret().reveal()));
    HttpResponse withPassword =
        endpoint.handle(
            post(
                "grant_type=password&client_id=x&access_type=offline&username=alice"
                    + "&password=alice-password"));

    assertThat(body(withToken).get("refresh_token").asText()).startsWith("str1.");
    assertThat(body(withPassword).has("refresh_token")).isFalse();
  }

  @Test
  void passwordLogins_getRefreshTokens_onlyWhenAllowed_andTheyDieWithThePassword() {
    endpoint = f.endpoint().refreshTokens(key).allowPasswordRefreshTokens().build();
    HttpResponse login =
        endpoint.handle(get("service=registry.test&offline_token=true", "alice", "alice-password"));
    String refreshToken = body(login).get("refresh_token").asText();

    assertThat(access(refresh(refreshToken))).containsExactly("repository:team/app:pull,push");

    f.directory.account("alice", "new-password", false);
    assertUnauthorized(refresh(refreshToken));

    f.directory.account("alice", "alice-password", false);
    endpoint = f.endpoint().refreshTokens(key).build();
    assertUnauthorized(refresh(refreshToken));
  }

  @Test
  void toString_saysWhetherRefreshTokensAreOn_andNeverShowsTheKey() {
    assertThat(endpoint.toString()).contains("refreshTokens=tokens");
    assertThat(key.toString()).isEqualTo("RefreshTokenKey[redacted]");
    assertThat(RefreshTokenKey.fromBase64(key.exportBase64()).exportBase64())
        .isEqualTo(key.exportBase64());
  }
}
