package dev.scopedtokens.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.server.accounts.Account;
import dev.scopedtokens.server.accounts.AccountDirectory;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.SigningKey;
import dev.scopedtokens.server.jwt.SigningKeys;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.TokenEvent;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.spec.SecretKeySpec;

/** A token service, a directory of accounts and repositories, keys and a clock, for the tests. */
final class RegistryFixture {
  static final Instant START = Instant.parse("2026-11-29T12:00:00Z");
  static final SigningKey KEY =
      SigningKey.generate(
          JwtAlgorithm.ES256,
          "test-issuer",
          START.minusSeconds(3600),
          Duration.ofDays(30),
          new SecureRandom());
  static final ObjectMapper JSON = new ObjectMapper();

  final MutableClock clock = new MutableClock(START);
  final List<TokenEvent> events = new CopyOnWriteArrayList<>();
  final TokenService tokens =
      TokenService.builder()
          .store(new InMemoryTokenStore())
          .clock(clock)
          .hasher(HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256")))
          .listener(events::add)
          .build();
  final Directory directory = new Directory();

  RegistryTokenEndpoint.Builder endpoint() {
    return RegistryTokenEndpoint.builder()
        .service("registry.test")
        .issuer("test-issuer")
        .verifier(tokens)
        .accounts(directory)
        .signingKeys(SigningKeys.of(KEY))
        .clock(clock);
  }

  IssuedToken token(String owner, Scope... scopes) {
    return tokens.create(owner, TokenRequest.of("ci", scopes));
  }

  static HttpRequest get(String query, Optional<String> basic) {
    HttpRequest.Builder b = HttpRequest.builder("GET", "/token").rawQuery(query);
    basic.ifPresent(
        c ->
            b.headers(
                HttpHeaders.of(
                    Map.of(
                        "Authorization",
                        List.of(
                            "Basic "
                                + Base64.getEncoder()
                                    .encodeToString(c.getBytes(StandardCharsets.UTF_8)))))));
    return b.build();
  }

  static HttpRequest get(String query, String user, String password) {
    return get(query, Optional.of(user + ":" + password));
  }

  static HttpRequest anonymous(String query) {
    return get(query, Optional.empty());
  }

  static HttpRequest post(String form) {
    return HttpRequest.builder("POST", "/token")
        .headers(
            HttpHeaders.of(Map.of("Content-Type", List.of("application/x-www-form-urlencoded"))))
        .body(form.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  static JsonNode body(HttpResponse response) {
    try {
      return JSON.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + new String(response.body(), StandardCharsets.UTF_8));
    }
  }

  /** The token of a 200 answer, its signature checked by nimbus against the x5c leaf. */
  static SignedJWT verifiedToken(HttpResponse response) {
    assertThat(response.status()).as("status").isEqualTo(200);
    JsonNode body = body(response);
    assertThat(body.get("access_token").asText()).isEqualTo(body.get("token").asText());
    try {
      SignedJWT jwt = SignedJWT.parse(body.get("token").asText());
      var leaf = X509CertUtils.parse(jwt.getHeader().getX509CertChain().get(0).decode());
      assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) leaf.getPublicKey()))).isTrue();
      assertThat(jwt.getState()).isEqualTo(JWSObject.State.VERIFIED);
      return jwt;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The access claim as "type:name:actions" strings. */
  static List<String> access(HttpResponse response) {
    SignedJWT jwt = verifiedToken(response);
    List<String> out = new ArrayList<>();
    try {
      Object access = jwt.getJWTClaimsSet().getClaim("access");
      for (Object entry : (List<?>) access) {
        Map<?, ?> map = (Map<?, ?>) entry;
        out.add(
            map.get("type")
                + ":"
                + map.get("name")
                + ":"
                + String.join(
                    ",", ((List<?>) map.get("actions")).stream().map(String::valueOf).toList()));
      }
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  /** Accounts with passwords, repositories with visibility and per-account access. */
  static final class Directory implements AccountDirectory {
    private record Entry(String password, boolean twoFactor) {}

    private final Map<String, Entry> accounts = new ConcurrentHashMap<>();
    private final Map<String, RepositoryVisibility> visibility = new ConcurrentHashMap<>();
    private final Map<String, OwnerAccess> rights = new ConcurrentHashMap<>();
    private final Set<String> catalog = ConcurrentHashMap.newKeySet();

    Directory account(String name, String password, boolean twoFactor) {
      accounts.put(name, new Entry(password, twoFactor));
      return this;
    }

    Directory repository(String name, RepositoryVisibility v) {
      visibility.put(name, v);
      return this;
    }

    Directory access(String account, String repository, OwnerAccess access) {
      rights.put(account + "\0" + repository, access);
      return this;
    }

    Directory catalog(String account) {
      catalog.add(account);
      return this;
    }

    @Override
    public Optional<Account> authenticate(String username, String password) {
      Entry entry = accounts.get(username);
      return entry != null && entry.password.equals(password)
          ? Optional.of(new Account(username, entry.twoFactor))
          : Optional.empty();
    }

    @Override
    public boolean verifySecondFactor(Account account, String code) {
      return false;
    }

    @Override
    public RepositoryAccess repositoryAccess(Optional<String> account, String repository) {
      RepositoryVisibility v = visibility.get(repository);
      if (v == null) {
        return RepositoryAccess.INACCESSIBLE;
      }
      OwnerAccess access =
          account
              .map(a -> rights.getOrDefault(a + "\0" + repository, OwnerAccess.NONE))
              .orElse(OwnerAccess.NONE);
      return RepositoryAccess.of(v, access);
    }

    @Override
    public boolean mayListCatalog(String account) {
      return catalog.contains(account);
    }
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
