package dev.scopedtokens.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.token.IssuedToken;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP on loopback, with the requests real registry clients send. */
class RegistryTokenLoopbackTest {
  private final RegistryFixture f = new RegistryFixture();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private LoopbackServer server;

  @BeforeEach
  void setUp() throws Exception {
    f.directory
        .account("alice", "alice-password", false)
        .repository("team/app", RepositoryVisibility.PRIVATE)
        .repository("team/base", RepositoryVisibility.PRIVATE)
        .access("alice", "team/app", OwnerAccess.WRITE)
        .access("alice", "team/base", OwnerAccess.READ);
    server =
        new LoopbackServer(
            f.endpoint()
                .refreshTokens(RefreshTokenKey.generate(new java.security.SecureRandom()))
                .build());
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> access(String body) throws Exception {
    JsonNode json = RegistryFixture.JSON.readTree(body);
    SignedJWT jwt = SignedJWT.parse(json.get("token").asText());
    var leaf = X509CertUtils.parse(jwt.getHeader().getX509CertChain().get(0).decode());
    assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) leaf.getPublicKey()))).isTrue();
    return ((List<?>) jwt.getJWTClaimsSet().getClaim("access"))
        .stream()
            .map(e -> (Map<?, ?>) e)
            .map(
                m ->
                    m.get("name")
                        + ":"
                        + String.join(
                            ",",
                            ((List<?>) m.get("actions")).stream().map(String::valueOf).toList()))
            .toList();
  }

  @Test
  void dockerLogin_getWithBasicAndOfflineToken_getsATokenAndARefreshToken() throws Exception {
    IssuedToken pat = f.token("alice", Scope.REPO_WRITE);

    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        server.uri()
                            + "?account=alice&client_id=docker&offline_token=true"
                            + "&service=registry.test"))
                .header("Authorization", basic("alice", pat.secret().reveal()))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(access(response.body())).isEmpty();
    assertThat(RegistryFixture.JSON.readTree(response.body()).get("refresh_token").asText())
        .startsWith("str1.");
  }

  @Test
  void skopeo_blobMount_twoScopes_overGet() throws Exception {
    IssuedToken pat = f.token("alice", Scope.REPO_WRITE);

    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        server.uri()
                            + "?account=alice&service=registry.test"
                            + "&scope=repository%3Ateam%2Fapp%3Apull%2Cpush"
                            + "&scope=repository%3Ateam%2Fbase%3Apull"))
                .header("Authorization", basic("alice", pat.secret().reveal()))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(access(response.body())).containsExactly("team/app:pull,push", "team/base:pull");
  }

  @Test
  void skopeoRefresh_chunkedPost_returnsTheSameRefreshToken() throws Exception {
    IssuedToken pat = f.token("alice", Scope.REPO_READ);
    HttpResponse<String> login =
        send(
            HttpRequest.newBuilder(
                    URI.create(server.uri() + "?offline_token=true&service=registry.test"))
                .header("Authorization", basic("alice", pat.secret().reveal()))
                .build());
    String refresh = RegistryFixture.JSON.readTree(login.body()).get("refresh_token").asText();
    byte[] form =
        ("grant_type=refresh_token&refresh_token="
                + refresh
                + "&client_id=containers%2Fimage&service=registry.test"
                + "&scope=repository%3Ateam%2Fapp%3Apull%2Cpush&scope=repository%3Ateam%2Fbase%3Apull")
            .getBytes(StandardCharsets.UTF_8);

    // An input stream of unknown length makes the JDK client send the body chunked.
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(server.uri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form)))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = RegistryFixture.JSON.readTree(response.body());
    assertThat(body.get("refresh_token").asText()).isEqualTo(refresh);
    assertThat(body.get("scope").asText())
        .isEqualTo("repository:team/app:pull repository:team/base:pull");
    assertThat(access(response.body())).containsExactly("team/app:pull", "team/base:pull");
  }

  @Test
  void containerd_postPassword_badCredentials_get401_never403() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(server.uri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&username=alice&password=wrong"
                            + "&client_id=containerd-client&scope=repository%3Ateam%2Fapp%3Apull"))
                .build());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(RegistryFixture.JSON.readTree(response.body()).get("error").asText())
        .isEqualTo("invalid_grant");
  }
}
