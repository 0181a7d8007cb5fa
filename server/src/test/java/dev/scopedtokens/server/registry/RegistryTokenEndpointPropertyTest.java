package dev.scopedtokens.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.scopedtokens.scope.AccessPolicy;
import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RegistryAction;
import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.token.IssuedToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Whatever arrives, the endpoint answers 200 with a token that grants no more than is allowed, or a
 * 4xx with a JSON body; never a 403, never a 5xx (an exception). And the grant for any token, owner
 * and request is exactly requested ∩ allowed, with {@code *} expanded.
 */
class RegistryTokenEndpointPropertyTest {
  private static final String[] REPOSITORIES = {"team/app", "team/base", "public/lib", "gone/none"};
  private static final String[] ACTIONS = {"pull", "push", "delete", "*", "admin"};

  private final RegistryFixture f = new RegistryFixture();
  private final RegistryTokenEndpoint endpoint;
  private final IssuedToken pat;

  RegistryTokenEndpointPropertyTest() {
    f.directory
        .account("alice", "alice-password", false)
        .repository("team/app", RepositoryVisibility.PRIVATE)
        .repository("team/base", RepositoryVisibility.PRIVATE)
        .repository("public/lib", RepositoryVisibility.PUBLIC)
        .access("alice", "team/app", OwnerAccess.WRITE)
        .access("alice", "team/base", OwnerAccess.READ)
        .catalog("alice");
    endpoint =
        f.endpoint()
            .allowCatalog()
            .refreshTokens(RefreshTokenKey.generate(new java.security.SecureRandom()))
            .build();
    pat = f.token("alice", Scope.REPO_WRITE);
  }

  private Gen<String> parameterValues() {
    return arbitrary()
        .pick(
            List.of(
                "registry.test",
                "other",
                "",
                "true",
                "repository:team/app:pull,push",
                "repository%3Ateam%2Fapp%3A*",
                "repository:team/app:pull+repository:public/lib:*",
                "registry:catalog:*",
                "repository:Team/App:pull",
                "repository::pull",
                "repository:team/app:",
                "a:b:c:d:e",
                "%zz",
                "%ff%fe",
                "%00",
                "%C3%A9",
                "x".repeat(300),
                "password",
                "refresh_token",
                "client_credentials",
                "alice",
                "str1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
        .mix(strings().ascii().ofLengthBetween(0, 30).map(s -> s.replace("&", "%26")));
  }

  private Gen<String> encoded() {
    Gen<String> pair =
        arbitrary()
            .pick(
                List.of(
                    "service",
                    "scope",
                    "account",
                    "client_id",
                    "offline_token",
                    "grant_type",
                    "username",
                    "password",
                    "refresh_token",
                    "access_type",
                    "",
                    "=",
                    "%"))
            .zip(parameterValues(), (name, value) -> name + "=" + value);
    return lists().of(pair).ofSizeBetween(0, 8).map(pairs -> String.join("&", pairs));
  }

  private Gen<String> authorizations() {
    return arbitrary()
        .pick(
            List.of(
                "",
                "Basic " + b64("alice:" + pat.secret().reveal()),
                "Basic " + b64("alice:alice-password"),
                "Basic " + b64("alice:wrong"),
                "Basic " + b64("bob:" + pat.secret().reveal()),
                "Basic " + b64(":"),
                "Basic " + b64("no-colon"),
                "Basic !!!!",
                "Basic /w==",
                "Bearer abc.def.ghi",
                "Basic",
                "Digest x"))
        .mix(strings().ascii().ofLengthBetween(0, 40).map(s -> s.replaceAll("[\\r\\n\\x00]", "")));
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anyRequest_getsA200WithABoundedGrant_orA4xxWithJson() {
    Gen<String> methods = arbitrary().pick(List.of("GET", "POST", "HEAD", "PUT", "DELETE"));
    Gen<String> types =
        arbitrary()
            .pick(
                List.of(
                    "application/x-www-form-urlencoded",
                    "application/x-www-form-urlencoded; charset=utf-8",
                    "application/json",
                    ""));
    qt().withExamples(400)
        .forAll(methods, encoded(), authorizations(), types.zip(encoded(), (t, b) -> t + "\n" + b))
        .checkAssert(
            (method, query, authorization, typeAndBody) -> {
              String[] split = typeAndBody.split("\n", 2);
              Map<String, List<String>> headers = new LinkedHashMap<>();
              if (!authorization.isEmpty()) {
                headers.put("Authorization", List.of(authorization));
              }
              if (!split[0].isEmpty()) {
                headers.put("Content-Type", List.of(split[0]));
              }
              HttpRequest request =
                  HttpRequest.builder(method, "/token")
                      .rawQuery(query.isEmpty() ? null : query)
                      .headers(HttpHeaders.of(headers))
                      .body(split[1].getBytes(StandardCharsets.UTF_8))
                      .build();

              HttpResponse response = endpoint.handle(request);

              assertThat(response.status()).isIn(200, 400, 401, 405, 415);
              JsonNode body = RegistryFixture.body(response);
              if (response.status() == 200) {
                for (String granted : RegistryFixture.access(response)) {
                  assertThat(granted).doesNotEndWith(":*").doesNotContain(",*");
                  if (granted.startsWith("repository:team/base:")
                      || granted.startsWith("repository:public/lib:")) {
                    assertThat(granted).endsWith(":pull");
                  }
                }
              } else {
                assertThat(body.get("details").asText()).isNotBlank();
                assertThat(body.toString()).doesNotContain(pat.secret().reveal());
              }
            });
  }

  @Test
  void grant_isRequestedIntersectAllowed_perRepository() {
    Gen<Set<Scope>> scopes =
        lists()
            .of(arbitrary().enumValues(Scope.class))
            .ofSizeBetween(1, 3)
            .map(l -> (Set<Scope>) EnumSet.copyOf(l));
    Gen<List<String>> requests =
        lists()
            .of(
                arbitrary()
                    .pick(List.of(REPOSITORIES))
                    .zip(
                        lists().of(arbitrary().pick(List.of(ACTIONS))).ofSizeBetween(1, 3),
                        (repo, actions) -> "repository:" + repo + ":" + String.join(",", actions)))
            .ofSizeBetween(0, 5);
    Gen<OwnerAccess> access = arbitrary().enumValues(OwnerAccess.class);
    qt().withExamples(150)
        .forAll(scopes, requests, access, access)
        .checkAssert(
            (tokenScopes, requested, appAccess, baseAccess) -> {
              RegistryFixture fixture = new RegistryFixture();
              fixture
                  .directory
                  .repository("team/app", RepositoryVisibility.PRIVATE)
                  .repository("team/base", RepositoryVisibility.PRIVATE)
                  .repository("public/lib", RepositoryVisibility.PUBLIC)
                  .access("bob", "team/app", appAccess)
                  .access("bob", "team/base", baseAccess)
                  .access("bob", "public/lib", appAccess);
              IssuedToken token =
                  fixture.tokens.create(
                      "bob", dev.scopedtokens.token.TokenRequest.of("t", tokenScopes));
              String query =
                  "service=registry.test"
                      + requested.stream().map(s -> "&scope=" + s).collect(Collectors.joining());

              HttpResponse response =
                  fixture
                      .endpoint()
                      .build()
                      .handle(RegistryFixture.get(query, "bob", token.secret().reveal()));

              Map<String, Set<String>> expected = new LinkedHashMap<>();
              for (String scope : requested) {
                String[] parts = scope.split(":");
                RepositoryAccess repo =
                    fixture.directory.repositoryAccess(java.util.Optional.of("bob"), parts[1]);
                Set<RegistryAction> allowed = AccessPolicy.allowedActions(tokenScopes, repo);
                for (String action : parts[2].split(",")) {
                  for (RegistryAction a : allowed) {
                    if (action.equals("*") || action.equals(a.wireValue())) {
                      expected
                          .computeIfAbsent(parts[1], k -> new java.util.TreeSet<>())
                          .add(a.wireValue());
                    }
                  }
                }
                // push is never allowed where pull is not: the registry needs both to push
                if (allowed.contains(RegistryAction.PUSH)) {
                  assertThat(allowed).contains(RegistryAction.PULL);
                }
              }
              Map<String, Set<String>> actual = new LinkedHashMap<>();
              for (String granted : RegistryFixture.access(response)) {
                String[] parts = granted.split(":");
                actual.put(parts[1], new java.util.TreeSet<>(List.of(parts[2].split(","))));
              }
              assertThat(actual).isEqualTo(expected);
            });
  }

  @Test
  void signedTokens_parse_forEveryKeyIdMode() throws Exception {
    List<String> kids = new ArrayList<>();
    for (var mode : dev.scopedtokens.server.jwt.KeyIdMode.values()) {
      RegistryTokenEndpoint withMode = f.endpoint().keyIdMode(mode).build();
      HttpResponse response =
          withMode.handle(RegistryFixture.anonymous("scope=repository:public/lib:pull"));
      SignedJWT jwt = SignedJWT.parse(RegistryFixture.body(response).get("token").asText());
      kids.add(String.valueOf(jwt.getHeader().getKeyID()));
    }
    assertThat(kids.get(0)).isEqualTo("null");
    assertThat(kids.subList(1, kids.size())).doesNotContain("null");
  }
}
