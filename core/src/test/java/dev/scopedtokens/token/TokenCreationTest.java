package dev.scopedtokens.token;

import static dev.scopedtokens.token.Fixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.TokenFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenCreationTest {
  private static final Plan TWO = Plan.builder("two").manualTokenLimit(2).build();
  private static final Plan WEEK = Plan.builder("week").maxLifetime(Duration.ofDays(7)).build();

  private final MutableClock clock = MutableClock.at(Fixtures.START);
  private final Map<String, Plan> plans = new HashMap<>();
  private final TokenService service =
      Fixtures.service(clock, owner -> plans.getOrDefault(owner, Plan.FAIR_USE)).build();

  @Test
  void manualToken_carriesTheRequestAndTheClock() {
    ClientInfo client = ClientInfo.of("HUB", "203.0.113.7", "curl/8.5");
    Instant expiry = clock.instant().plus(Duration.ofDays(30));

    AccessToken token =
        service
            .create(
                ALICE,
                TokenRequest.of("CI", Scope.REPO_READ, Scope.REPO_WRITE)
                    .expiringAt(expiry)
                    .from(client))
            .token();

    assertThat(token.owner()).isEqualTo(ALICE);
    assertThat(token.label()).isEqualTo("CI");
    assertThat(token.scopes()).containsExactlyInAnyOrder(Scope.REPO_READ, Scope.REPO_WRITE);
    assertThat(token.origin()).isEqualTo(TokenOrigin.MANUAL);
    assertThat(token.active()).isTrue();
    assertThat(token.createdAt()).isEqualTo(clock.instant());
    assertThat(token.lastUsedAt()).isEmpty();
    assertThat(token.expiresAt()).contains(expiry);
    assertThat(token.revokedAt()).isEmpty();
    assertThat(token.client()).isEqualTo(client);
    assertThat(token.status(clock.instant())).isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void createdToken_canBeReadBack() {
    IssuedToken issued = service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ));

    assertThat(service.get(ALICE, issued.token().id())).isEqualTo(issued.token());
  }

  @Test
  void tokenIds_areVersion4UuidsDrawnFromTheInjectedRandom() {
    TokenService again = Fixtures.service(MutableClock.at(Fixtures.START), Plan.FAIR_USE).build();

    AccessToken first = service.create(ALICE, TokenRequest.of("a", Scope.REPO_READ)).token();
    AccessToken replay = again.create(ALICE, TokenRequest.of("a", Scope.REPO_READ)).token();

    assertThat(first.id().version()).isEqualTo(4);
    assertThat(first.id().variant()).isEqualTo(2);
    assertThat(replay.id()).isEqualTo(first.id());
  }

  @Test
  void secret_isWellFormedInTheServiceFormat() {
    TokenFormat acme = TokenFormat.withPrefix("acme_");
    TokenService custom = Fixtures.service(clock, Plan.FAIR_USE).format(acme).build();

    IssuedToken issued = custom.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ));

    assertThat(issued.secret().reveal()).startsWith("acme_");
    assertThat(acme.isWellFormed(issued.secret().reveal())).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty | '' | label: must not be empty; give 1 to 100 characters",
        "too long | 'LONG' | label: 101 characters; at most 100 are allowed",
        "blank | '   ' | label: must not be blank; give at least one character that is not whitespace",
        "control | 'a\tb' | label: has a control character at position 2; only printable characters"
            + " and spaces are allowed",
      })
  void invalidLabel_isRefusedWithAMessageNamingTheRule(String name, String label, String message) {
    String value = label.equals("LONG") ? "x".repeat(101) : label.replace("\\t", "\t");

    assertThatThrownBy(() -> TokenRequest.of(value, Scope.REPO_READ))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(message)
        .extracting(e -> ((InvalidTokenRequestException) e).field())
        .isEqualTo("label");
  }

  @Test
  void labelOfAHundredCharacters_isAccepted_countingCodePoints() {
    String label = "\uD83D\uDC33".repeat(100); // 100 whales, 200 UTF-16 units

    AccessToken token = service.create(ALICE, TokenRequest.of(label, Scope.REPO_READ)).token();

    assertThat(token.label()).isEqualTo(label);
  }

  @Test
  void emptyScopes_areRefused() {
    assertThatThrownBy(() -> TokenRequest.of("CI", Set.of()))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "scopes: must not be empty; give at least one of repo:public_read, repo:read,"
                + " repo:write, repo:admin");
  }

  @Test
  void scopeThePlanDoesNotAllow_isRefused_andNothingIsCreated() {
    plans.put(ALICE, Plan.PERSONAL_2021);

    assertThatThrownBy(() -> service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "scopes: repo:read is not allowed on plan \"Personal (2021)\"; allowed: repo:admin");
    assertThat(service.list(ALICE, PageRequest.first(10)).total()).isZero();
  }

  @ParameterizedTest(name = "{0} seconds from now")
  @CsvSource({"0", "-1"})
  void expiryNotInTheFuture_isRefused(long seconds) {
    Instant expiry = clock.instant().plusSeconds(seconds);

    assertThatThrownBy(
            () -> service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ).expiringAt(expiry)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "expiresAt: "
                + expiry
                + " is not in the future; give an instant after now ("
                + clock.instant()
                + ")");
  }

  @Test
  void expiryBeyondThePlansLongestLifetime_isRefused() {
    plans.put(ALICE, WEEK);
    Instant expiry = clock.instant().plus(Duration.ofDays(7)).plusSeconds(1);

    assertThatThrownBy(
            () -> service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ).expiringAt(expiry)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "expiresAt: 2024-05-08T10:00:01Z is beyond plan \"week\"'s longest lifetime of PT168H;"
                + " give an instant at most 2024-05-08T10:00:00Z");
  }

  @Test
  void expiryAtExactlyThePlansLongestLifetime_isAccepted() {
    plans.put(ALICE, WEEK);
    Instant expiry = clock.instant().plus(Duration.ofDays(7));

    AccessToken token =
        service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ).expiringAt(expiry)).token();

    assertThat(token.expiresAt()).contains(expiry);
  }

  @Test
  void missingExpiry_isRefused_whenThePlanBoundsTheLifetime() {
    plans.put(ALICE, WEEK);

    assertThatThrownBy(() -> service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "expiresAt: required on plan \"week\", which limits a token's lifetime to PT168H;"
                + " give an instant after now and at most 2024-05-08T10:00:00Z");
  }

  @Test
  void expiry_isKeptToMicroseconds() {
    Instant expiry = clock.instant().plusSeconds(60).plusNanos(1_234_567);

    AccessToken token =
        service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ).expiringAt(expiry)).token();

    assertThat(token.expiresAt()).contains(clock.instant().plusSeconds(60).plusNanos(1_234_000));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "blank | '  ' | owner: must not be blank; give the account's name, 1 to 255 characters",
        "too long | LONG | owner: 256 characters; at most 255 are allowed",
        "control | 'al\nice' | owner: has a control character at position 3; only printable"
            + " characters and spaces are allowed",
      })
  void invalidOwner_isRefused_andNothingIsCreated(String name, String owner, String message) {
    String value = owner.equals("LONG") ? "o".repeat(256) : owner;

    assertThatThrownBy(() -> service.create(value, TokenRequest.of("CI", Scope.REPO_READ)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(message);
  }

  @Test
  void creatingBeyondTheManualLimit_throwsWithTheLimitAndCount_andCreatesNothing() {
    plans.put(ALICE, TWO);
    service.create(ALICE, TokenRequest.of("one", Scope.REPO_READ));
    service.create(ALICE, TokenRequest.of("two", Scope.REPO_READ));

    assertThatThrownBy(() -> service.create(ALICE, TokenRequest.of("three", Scope.REPO_READ)))
        .isInstanceOfSatisfying(
            PlanLimitExceededException.class,
            e -> {
              assertThat(e.planName()).isEqualTo("two");
              assertThat(e.limit()).isEqualTo(2);
              assertThat(e.current()).isEqualTo(2);
            })
        .hasMessage(
            "manual tokens: the account holds 2 and plan \"two\" allows at most 2; delete a token"
                + " (inactive, expired and revoked ones count until deleted) or move to a plan with"
                + " a higher limit");
    assertThat(service.list(ALICE, PageRequest.first(10)).total()).isEqualTo(2);
  }

  @Test
  void inactiveExpiredAndRevokedTokens_countTowardTheLimitUntilDeleted() {
    plans.put(ALICE, Plan.builder("three").manualTokenLimit(3).build());
    AccessToken inactive = service.create(ALICE, TokenRequest.of("a", Scope.REPO_READ)).token();
    service.deactivate(ALICE, inactive.id());
    AccessToken revoked = service.create(ALICE, TokenRequest.of("b", Scope.REPO_READ)).token();
    service.revoke(ALICE, revoked.id());
    service.create(
        ALICE, TokenRequest.of("c", Scope.REPO_READ).expiringAt(clock.instant().plusSeconds(5)));
    clock.advance(Duration.ofSeconds(10));

    assertThatThrownBy(() -> service.create(ALICE, TokenRequest.of("d", Scope.REPO_READ)))
        .isInstanceOf(PlanLimitExceededException.class);

    service.delete(ALICE, revoked.id());
    AccessToken created = service.create(ALICE, TokenRequest.of("d", Scope.REPO_READ)).token();

    assertThat(service.list(ALICE, PageRequest.first(10)).tokens())
        .extracting(AccessToken::label)
        .containsExactlyInAnyOrder("a", "c", "d");
    assertThat(service.get(ALICE, created.id()).status(clock.instant()))
        .isEqualTo(TokenStatus.ACTIVE);
    assertThatThrownBy(() -> service.create(ALICE, TokenRequest.of("e", Scope.REPO_READ)))
        .isInstanceOf(PlanLimitExceededException.class);
  }

  @Test
  void loweredLimit_keepsExistingTokens_butRefusesNewOnesUntilUnderIt() {
    AccessToken first = service.create(ALICE, TokenRequest.of("a", Scope.REPO_ADMIN)).token();
    AccessToken second = service.create(ALICE, TokenRequest.of("b", Scope.REPO_ADMIN)).token();
    AccessToken third = service.create(ALICE, TokenRequest.of("c", Scope.REPO_ADMIN)).token();
    plans.put(ALICE, TWO);

    assertThat(service.list(ALICE, PageRequest.first(10)).total()).isEqualTo(3);
    assertThatThrownBy(() -> service.create(ALICE, TokenRequest.of("d", Scope.REPO_ADMIN)))
        .isInstanceOfSatisfying(
            PlanLimitExceededException.class, e -> assertThat(e.current()).isEqualTo(3));
    service.delete(ALICE, first.id());
    assertThatThrownBy(() -> service.create(ALICE, TokenRequest.of("d", Scope.REPO_ADMIN)))
        .isInstanceOf(PlanLimitExceededException.class);
    service.delete(ALICE, second.id());

    assertThat(service.create(ALICE, TokenRequest.of("d", Scope.REPO_ADMIN)).token().label())
        .isEqualTo("d");
    assertThat(service.find(ALICE, third.id())).isPresent();
  }

  @Test
  void autoGeneratedTokens_doNotCountTowardTheManualLimit() {
    plans.put(ALICE, Plan.builder("one").manualTokenLimit(1).build());
    service.issueAutoGenerated(ALICE, ClientInfo.unknown());
    service.issueAutoGenerated(ALICE, ClientInfo.unknown());

    AccessToken manual = service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)).token();

    assertThat(manual.origin()).isEqualTo(TokenOrigin.MANUAL);
  }

  @Test
  void planResolver_isAskedOnEveryOperation_soAPlanChangeAppliesAtOnce() {
    plans.put(ALICE, Plan.PERSONAL_2021);
    assertThatThrownBy(() -> service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)))
        .isInstanceOf(InvalidTokenRequestException.class);

    plans.put(ALICE, Plan.PRO_2021);

    assertThat(service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)).token().scopes())
        .containsExactly(Scope.REPO_READ);
    assertThat(service.planOf(ALICE)).isEqualTo(Plan.PRO_2021);
  }

  @Test
  void accountsAreSeparate_forLimits() {
    plans.put(ALICE, Plan.builder("one").manualTokenLimit(1).build());
    plans.put(Fixtures.BOB, Plan.builder("one").manualTokenLimit(1).build());
    service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ));

    AccessToken bobs = service.create(Fixtures.BOB, TokenRequest.of("CI", Scope.REPO_READ)).token();

    assertThat(bobs.owner()).isEqualTo(Fixtures.BOB);
    assertThat(service.find(ALICE, bobs.id())).isEmpty();
  }

  @Test
  void tokenRequest_copiesKeepEveryOtherPart() {
    ClientInfo client = ClientInfo.of("HUB", "::1", "ua");
    Instant at = Instant.parse("2030-01-01T00:00:00Z");

    TokenRequest request = TokenRequest.of("CI", Scope.REPO_READ).from(client).expiringAt(at);

    assertThat(request)
        .isEqualTo(new TokenRequest("CI", Set.of(Scope.REPO_READ), Optional.of(at), client));
  }

  @Test
  void labelThatContainsAToken_isRefused() {
    String secret = service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)).secret().reveal();

    assertThatThrownBy(
            () -> service.create(ALICE, TokenRequest.of("my " + secret, Scope.REPO_READ)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage("label: looks like an access token; never put a token's secret into the label");
  }

  @Test
  void ownerThatContainsAToken_isRefused() {
    String secret = service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)).secret().reveal();

    assertThatThrownBy(() -> service.list(secret, PageRequest.first(10)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage("owner: looks like an access token; never put a token's secret into the owner");
  }

  @Test
  void createRefusedByTheLimit_costsNoHash() {
    CountingHasher hasher = new CountingHasher();
    TokenService counted = Fixtures.service(clock, TWO).hasher(hasher).build();
    counted.create(ALICE, TokenRequest.of("a", Scope.REPO_READ));
    counted.create(ALICE, TokenRequest.of("b", Scope.REPO_READ));
    int before = hasher.hashes.get();

    assertThatThrownBy(() -> counted.create(ALICE, TokenRequest.of("c", Scope.REPO_READ)))
        .isInstanceOfSatisfying(
            PlanLimitExceededException.class, e -> assertThat(e.current()).isEqualTo(2));
    assertThat(hasher.hashes.get() - before).isZero();
  }

  @Test
  void limitLookBeforeTheHash_countsOnlyManualTokens() {
    CountingHasher hasher = new CountingHasher();
    TokenService counted = Fixtures.service(clock, TWO).hasher(hasher).build();
    counted.issueAutoGenerated(ALICE, ClientInfo.unknown());
    counted.issueAutoGenerated(ALICE, ClientInfo.unknown());
    counted.create(ALICE, TokenRequest.of("a", Scope.REPO_READ));

    counted.create(ALICE, TokenRequest.of("b", Scope.REPO_READ));

    assertThat(counted.list(ALICE, PageRequest.first(10)).total()).isEqualTo(4);
  }

  @Test
  void limitLookBeforeTheHash_readsPastTheFirstPageOfTokens() {
    Plan limited = Plan.builder("limited").manualTokenLimit(150).build();
    CountingHasher hasher = new CountingHasher();
    TokenService counted = Fixtures.service(clock, limited).hasher(hasher).build();
    for (int i = 0; i < 150; i++) {
      counted.create(ALICE, TokenRequest.of("t" + i, Scope.REPO_READ));
    }
    int before = hasher.hashes.get();

    assertThatThrownBy(() -> counted.create(ALICE, TokenRequest.of("one more", Scope.REPO_READ)))
        .isInstanceOfSatisfying(
            PlanLimitExceededException.class, e -> assertThat(e.current()).isEqualTo(150));
    assertThat(hasher.hashes.get() - before).isZero();
  }

  @Test
  void nullExpiry_isRefusedNamingTheField() {
    TokenRequest request = TokenRequest.of("CI", Scope.REPO_READ);

    assertThatThrownBy(() -> request.expiringAt(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("expiresAt");
  }

  @Test
  void nullClientPart_isRefusedNamingThePart() {
    assertThatThrownBy(() -> ClientInfo.of("HUB", null, "curl/8.5"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ip");
  }
}
