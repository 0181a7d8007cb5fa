package dev.scopedtokens.testkit.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.scopedtokens.client.AccessTokenPage;
import dev.scopedtokens.client.CreatedAccessToken;
import dev.scopedtokens.client.Credentials;
import dev.scopedtokens.client.HubAccessToken;
import dev.scopedtokens.client.HubAuthenticationException;
import dev.scopedtokens.client.HubBadRequestException;
import dev.scopedtokens.client.HubClient;
import dev.scopedtokens.client.HubForbiddenException;
import dev.scopedtokens.client.HubNotFoundException;
import dev.scopedtokens.client.HubPlanLimitException;
import dev.scopedtokens.client.HubServerException;
import dev.scopedtokens.client.HubTransportException;
import dev.scopedtokens.client.RetryPolicy;
import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.testkit.FakeClock;
import dev.scopedtokens.testkit.FakeDockerHub;
import dev.scopedtokens.testkit.FakeHubUser;
import dev.scopedtokens.testkit.Fault;
import dev.scopedtokens.testkit.RecordedRequest;
import dev.scopedtokens.testkit.Totp;
import dev.scopedtokens.token.TokenOrigin;
import dev.scopedtokens.token.TokenRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against the fake Docker Hub over real HTTP on loopback: every call, both logins,
 * paging, JWT renewal, rate limits, injected faults and concurrent use. Client and server share a
 * {@link FakeClock}, and the client's sleeper moves that clock instead of sleeping.
 */
class HubClientEndToEndTest {
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  private final FakeClock clock = FakeClock.at(START);
  private final Totp totp = Totp.random(new SecureRandom(new byte[] {7}));
  private final List<FakeDockerHub> servers = new ArrayList<>();
  private FakeDockerHub hub;

  @BeforeEach
  void start() {
    hub = start(fast());
  }

  @AfterEach
  void stop() {
    servers.forEach(FakeDockerHub::close);
  }

  /** HMAC-SHA-256 for tokens and passwords: the server's own logic, without Argon2's cost. */
  private FakeDockerHub.Builder fast() {
    return FakeDockerHub.builder()
        .clock(clock)
        .fastHashing()
        .user(FakeHubUser.builder("alice", "correct horse").build())
        .user(FakeHubUser.builder("bob", "battery staple").totp(totp).build());
  }

  private FakeDockerHub start(FakeDockerHub.Builder builder) {
    FakeDockerHub server = builder.start();
    servers.add(server);
    return server;
  }

  private HubClient.Builder client(FakeDockerHub server, Credentials credentials) {
    return HubClient.builder()
        .baseUri(server.baseUri())
        .credentials(credentials)
        .clock(clock)
        .sleeper(clock::advance)
        .random(new SplittableRandom(1))
        .requestTimeout(Duration.ofSeconds(30));
  }

  private HubClient alice() {
    return client(hub, Credentials.password("alice", "correct horse")).build();
  }

  private long requests(FakeDockerHub server, String method, String path) {
    return server.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .count();
  }

  // ---------------------------------------------------------------- every call

  @Test
  void everyCall_worksAgainstTheFake() {
    HubClient client = alice();

    CreatedAccessToken created = client.create("ci", Set.of(Scope.REPO_WRITE));
    UUID id = created.token().uuid();
    assertThat(created.secret().reveal()).isNotEmpty();
    assertThat(created.token().knownScopes()).containsExactly(Scope.REPO_WRITE);
    assertThat(created.token().origin()).contains(TokenOrigin.MANUAL);
    assertThat(created.token().expiresAt()).isEmpty();

    assertThat(client.get(id).label()).isEqualTo("ci");
    assertThat(client.rename(id, "deploy").label()).isEqualTo("deploy");
    assertThat(client.deactivate(id).active()).isFalse();
    assertThat(client.activate(id).active()).isTrue();
    AccessTokenPage page = client.listPage(1, 10);
    assertThat(page.count()).isEqualTo(1);
    assertThat(page.activeCount()).isEqualTo(1);
    assertThat(page.tokens()).extracting(HubAccessToken::uuid).containsExactly(id);
    assertThat(client.stream().map(HubAccessToken::label)).containsExactly("deploy");

    client.delete(id);

    assertThat(catchThrowableOfType(HubNotFoundException.class, () -> client.get(id)).status())
        .hasValue(404);
    assertThat(requests(hub, "POST", "/v2/users/login")).isEqualTo(1);
  }

  @Test
  void createWithExpiry_isReadBack() {
    Instant expiry = START.plus(Duration.ofDays(30));

    CreatedAccessToken created = alice().create("short-lived", Set.of(Scope.REPO_READ), expiry);

    assertThat(created.token().expiresAt()).contains(expiry);
  }

  @Test
  void asyncCalls_workAgainstTheFake() throws Exception {
    HubClient client = alice();

    CreatedAccessToken created =
        client.createAsync("async", Set.of(Scope.REPO_READ)).get(30, TimeUnit.SECONDS);
    client.deleteAsync(created.token().uuid()).get(30, TimeUnit.SECONDS);

    assertThat(client.listAllAsync(10).get(30, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void autoGeneratedTokens_areListedWithTheirOrigin() {
    hub.signInFromDesktop("alice");

    assertThat(alice().stream())
        .singleElement()
        .satisfies(t -> assertThat(t.origin()).contains(TokenOrigin.AUTO_GENERATED));
  }

  // ---------------------------------------------------------------- logins

  @Test
  void twoFactorLogin_usesTheCurrentCode() {
    HubClient bob =
        client(hub, Credentials.password("bob", "battery staple", () -> totp.code(clock.instant())))
            .build();

    bob.create("2fa", Set.of(Scope.REPO_READ));

    assertThat(requests(hub, "POST", "/v2/users/2fa-login")).isEqualTo(1);
  }

  @Test
  void twoFactorAccountWithoutCodes_failsSayingSo() {
    HubClient bob = client(hub, Credentials.password("bob", "battery staple")).build();

    HubAuthenticationException e =
        catchThrowableOfType(HubAuthenticationException.class, () -> bob.listPage(1, 10));

    assertThat(e).hasMessageContaining("requires a second factor");
  }

  @Test
  void wrongPassword_isAnAuthenticationFailure() {
    HubClient wrong = client(hub, Credentials.password("alice", "wrong")).build();

    HubAuthenticationException e =
        catchThrowableOfType(HubAuthenticationException.class, () -> wrong.listPage(1, 10));

    assertThat(e)
        .hasMessageStartingWith("POST /v2/users/login: HTTP 401")
        .hasMessageNotContaining("wrong\"");
  }

  @Test
  void passwordThroughAuthToken_canManageTokens() {
    HubClient client = client(hub, Credentials.secret("alice", "correct horse")).build();

    client.create("via auth/token", Set.of(Scope.REPO_READ));

    assertThat(requests(hub, "POST", "/v2/auth/token")).isEqualTo(1);
  }

  @Test
  void patLogin_mayNotManageTokens() {
    CreatedAccessToken pat = alice().create("pat", Set.of(Scope.REPO_ADMIN));
    HubClient withPat = client(hub, Credentials.secret("alice", pat.secret())).build();

    HubForbiddenException e =
        catchThrowableOfType(HubForbiddenException.class, () -> withPat.listPage(1, 10));

    assertThat(e.accessTokenSession()).isTrue();
    assertThat(e).hasMessageContaining("may not manage access tokens");
    assertThat(e.getMessage()).doesNotContain(pat.secret().reveal());
  }

  // ---------------------------------------------------------------- JWT lifetime

  @Test
  void jwt_isRenewedBeforeItExpires() {
    HubClient client = alice();
    client.listPage(1, 10);

    clock.advance(Duration.ofMinutes(11));
    client.listPage(1, 10);

    assertThat(requests(hub, "POST", "/v2/users/login")).isEqualTo(2);
    assertThat(hub.requests())
        .extracting(RecordedRequest::status)
        .noneMatch(s -> s.isPresent() && s.getAsInt() == 401);
  }

  @Test
  void jwtTheServerHasExpired_isRenewedOnceAfterThe401() {
    // The client's own clock stands still, so only the server knows the JWT has expired.
    HubClient client =
        client(hub, Credentials.password("alice", "correct horse"))
            .clock(Clock.fixed(START, ZoneOffset.UTC))
            .build();
    client.listPage(1, 10);

    clock.advance(Duration.ofMinutes(11));
    client.listPage(1, 10);

    assertThat(requests(hub, "POST", "/v2/users/login")).isEqualTo(2);
    assertThat(hub.requests())
        .extracting(RecordedRequest::status)
        .filteredOn(s -> s.isPresent() && s.getAsInt() == 401)
        .hasSize(1);
  }

  // ---------------------------------------------------------------- paging

  @Test
  void paging_walksThrough250Tokens() {
    Set<UUID> created = new HashSet<>();
    for (int i = 0; i < 250; i++) {
      created.add(
          hub.tokens().create("alice", TokenRequest.of("t" + i, Scope.REPO_READ)).token().id());
    }
    HubClient client = alice();

    List<HubAccessToken> all = client.stream().toList();

    assertThat(all)
        .extracting(HubAccessToken::uuid)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(created);
    assertThat(
            hub.requests().stream()
                .filter(r -> r.path().equals("/v2/access-tokens"))
                .map(r -> r.query().orElse("")))
        .containsExactly("page=1&page_size=100", "page=2&page_size=100", "page=3&page_size=100");
  }

  @Test
  void paging_keepsASmallPageSizeOnEveryPage() {
    for (int i = 0; i < 23; i++) {
      hub.tokens().create("alice", TokenRequest.of("t" + i, Scope.REPO_READ));
    }

    List<HubAccessToken> all = new ArrayList<>();
    alice().iterable(7).forEach(all::add);

    assertThat(all).hasSize(23);
    assertThat(
            hub.requests().stream()
                .filter(r -> r.path().equals("/v2/access-tokens"))
                .map(r -> r.query().orElse("")))
        .allSatisfy(q -> assertThat(q).contains("page_size=7"))
        .hasSize(4);
  }

  @Test
  void pageSizeAboveTheServersLimit_isABadRequestNamingTheField() {
    HubBadRequestException e =
        catchThrowableOfType(HubBadRequestException.class, () -> alice().listPage(1, 101));

    assertThat(e.fieldErrors()).containsKey("page_size");
  }

  // ---------------------------------------------------------------- plans

  @Test
  void planLimit_isAPlanLimitException() {
    FakeDockerHub personal = start(fast().plan(Plan.PRO_2021));
    HubClient client = client(personal, Credentials.password("alice", "correct horse")).build();
    for (int i = 0; i < 5; i++) {
      client.create("t" + i, Set.of(Scope.REPO_READ));
    }

    HubPlanLimitException e =
        catchThrowableOfType(
            HubPlanLimitException.class,
            () -> client.create("one too many", Set.of(Scope.REPO_READ)));

    assertThat(e.status()).hasValue(403);
    assertThat(e.planName()).contains("Pro (2021)");
    assertThat(e.limit()).hasValue(5);
    assertThat(e.current()).hasValue(5);
    assertThat(e.attempts()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- rate limits and faults

  @Test
  void rateLimit_isWaitedOutAndRetried() {
    FakeDockerHub limited = start(fast().rateLimitPerMinute(5));
    HubClient client = client(limited, Credentials.password("alice", "correct horse")).build();

    for (int i = 0; i < 12; i++) {
      client.listPage(1, 10);
    }

    assertThat(limited.requests())
        .extracting(RecordedRequest::status)
        .anyMatch(s -> s.isPresent() && s.getAsInt() == 429);
    assertThat(clock.instant()).isAfter(START.plus(Duration.ofMinutes(1)));
  }

  @Test
  void rateLimitedCreate_isRetriedAfterTheAskedWait() {
    HubClient client = alice();
    client.listPage(1, 10);
    hub.injectFault(Fault.status(429, Duration.ofSeconds(7)));

    client.create("after the wait", Set.of(Scope.REPO_READ));

    assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofSeconds(7)));
    assertThat(requests(hub, "POST", "/v2/access-tokens")).isEqualTo(2);
  }

  @Test
  void injected503s_areRetriedForAList() {
    HubClient client = alice();
    client.listPage(1, 10);
    hub.injectFault(Fault.status(503), 2);

    client.listPage(1, 10);

    assertThat(requests(hub, "GET", "/v2/access-tokens")).isEqualTo(4);
  }

  @Test
  void injected503_isNotRetriedForACreate() {
    HubClient client = alice();
    client.listPage(1, 10);
    hub.injectFault(Fault.status(503), 1);

    HubServerException e =
        catchThrowableOfType(
            HubServerException.class, () -> client.create("t", Set.of(Scope.REPO_READ)));

    assertThat(e.attempts()).isEqualTo(1);
    assertThat(alice().listPage(1, 10).count()).isZero();
  }

  @Test
  void droppedConnection_isRetriedForAGet() {
    HubClient client = alice();
    UUID id = client.create("t", Set.of(Scope.REPO_READ)).token().uuid();
    hub.injectFault(Fault.dropConnection(), 1);

    assertThat(client.get(id).uuid()).isEqualTo(id);
  }

  @Test
  void droppedConnection_failsACreateWithoutRepeatingIt() {
    HubClient client = alice();
    client.listPage(1, 10);
    hub.injectFault(Fault.dropConnection(), 1);

    HubTransportException e =
        catchThrowableOfType(
            HubTransportException.class, () -> client.create("t", Set.of(Scope.REPO_READ)));

    assertThat(e.status()).isEmpty();
    assertThat(requests(hub, "POST", "/v2/access-tokens")).isEqualTo(1);
  }

  @Test
  void persistentFailure_reportsEveryAttempt() {
    HubClient client =
        client(hub, Credentials.password("alice", "correct horse"))
            .retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
            .build();
    client.listPage(1, 10);
    hub.injectFault(Fault.status(502), 10);

    HubServerException e =
        catchThrowableOfType(HubServerException.class, () -> client.listPage(1, 10));

    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.status()).hasValue(502);
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  void oneClient_isSafeToShareBetweenThreads() throws Exception {
    HubClient client = alice();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<UUID>> creates = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String label = "thread-" + i;
        creates.add(
            CompletableFuture.supplyAsync(
                () -> client.create(label, Set.of(Scope.REPO_READ)).token().uuid(), pool));
        creates.add(
            CompletableFuture.supplyAsync(
                () -> {
                  client.listPage(1, 5);
                  return null;
                },
                pool));
      }
      CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      Set<UUID> ids =
          creates.stream()
              .map(CompletableFuture::join)
              .filter(Objects::nonNull)
              .collect(Collectors.toSet());
      assertThat(ids).hasSize(40);
      assertThat(client.stream().map(HubAccessToken::uuid).collect(Collectors.toSet()))
          .isEqualTo(ids);
      assertThat(requests(hub, "POST", "/v2/users/login")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
