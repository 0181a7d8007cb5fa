package dev.scopedtokens.token;

import static dev.scopedtokens.token.Fixtures.ALICE;
import static dev.scopedtokens.token.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.TokenSecret;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The verify path and the instants it produces hold against hostile or absurd input. */
class VerifyHardeningTest {
  private final MutableClock clock = MutableClock.at(Fixtures.START);
  private final CountingStore store = new CountingStore();
  private final CountingHasher hasher = new CountingHasher();
  private final RecordingListener events = new RecordingListener();

  private TokenService service(Plan plan) {
    return Fixtures.service(clock, plan)
        .store(store)
        .hasher(hasher)
        .cache(Duration.ofSeconds(30), 100)
        .listener(events)
        .build();
  }

  // Item 8 ---------------------------------------------------------------------------------------

  @Test
  void cachedToken_underAnotherAccount_costsTheLookupAndTheHash_ofAnUncachedRejection() {
    TokenService service = service(Plan.FAIR_USE);
    TokenSecret secret = service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)).secret();
    assertThat(service.verify(ALICE, secret).isVerified()).isTrue(); // cached now
    int hashed = hasher.verifies.get() + hasher.decoys.get();
    assertThat(service.verify(ALICE, secret).isVerified()).isTrue();
    assertThat(hasher.verifies.get() + hasher.decoys.get())
        .as("a hit costs no hash")
        .isEqualTo(hashed);

    VerificationResult result = service.verify(BOB, secret);

    // It answered WRONG_OWNER from the cache in microseconds where an unknown token took the time
    // of a hash: a holder learned the token was live without knowing its owner.
    assertThat(result).isEqualTo(new VerificationResult.Rejected(RejectionReason.WRONG_OWNER));
    assertThat(hasher.verifies.get() + hasher.decoys.get()).isEqualTo(hashed + 1);
    assertThat(service.verify(ALICE, secret).isVerified())
        .as("still cached for its owner")
        .isTrue();
  }

  // Items 9 and 23 -------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} characters")
  @ValueSource(ints = {0, 1, 53, 55, 1_000, 10_000_000})
  void anyStringOfAnotherLength_isMalformed_withoutTouchingStoreOrHasher(int length) {
    TokenService service = service(Plan.FAIR_USE);
    TokenSecret presented = TokenSecret.of("s".repeat(length));
    int lookups = store.lookups.get();

    assertThat(service.verify(ALICE, presented))
        .isEqualTo(new VerificationResult.Rejected(RejectionReason.MALFORMED));
    assertThat(service.verify(presented))
        .isEqualTo(new VerificationResult.Rejected(RejectionReason.MALFORMED));
    assertThat(store.lookups.get()).isEqualTo(lookups);
    assertThat(hasher.verifies.get() + hasher.decoys.get()).isZero();
  }

  @Test
  void emptyPassword_asARegistryPassesIt_isARejection_notAnException() {
    TokenService service = service(Plan.FAIR_USE);

    assertThat(service.verify("alice", TokenSecret.of("")))
        .isEqualTo(new VerificationResult.Rejected(RejectionReason.MALFORMED));
  }

  @Test
  void tenMegabytes_areRejectedWithoutBeingCopiedOrDigested() throws Exception {
    TokenService service = service(Plan.FAIR_USE);
    TokenSecret huge = TokenSecret.of("stk_" + "A".repeat(10_000_000));
    service.verify(ALICE, TokenSecret.of("warm up")); // class loading, first-call allocations

    long before = allocatedBytes();
    VerificationResult result = service.verify(ALICE, huge);
    long allocated = allocatedBytes() - before;

    // Digesting it for the cache first copied its 10 MB into a byte array (and took ~15 ms).
    assertThat(result).isEqualTo(new VerificationResult.Rejected(RejectionReason.MALFORMED));
    assertThat(allocated).as("bytes allocated by the verify").isLessThan(100_000);
  }

  /** This thread's allocated bytes, through the platform's MXBean (read by reflection). */
  private static long allocatedBytes() throws Exception {
    Object bean =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Method allocated =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getCurrentThreadAllocatedBytes");
    return (long) allocated.invoke(bean);
  }

  // Item 3 ---------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "hunter2\u202Egnp.exe", // a right-to-left override in a password
        "correct\u2028horse", // a line separator
        "pass\uD800word", // an unpaired surrogate
      })
  void accountNameThatFailsValidation_isNeverEchoed_inTheEventOrTheWarningLog(String typed)
      throws Exception {
    TokenService service =
        Fixtures.service(clock, Plan.FAIR_USE)
            .hasher(hasher)
            .listener(
                event -> {
                  throw new IllegalStateException("listener failure");
                })
            .listener(events)
            .build();
    TokenSecret secret = service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)).secret();
    List<String> logged = new ArrayList<>();

    withWarningsCaptured(
        logged,
        () -> {
          service.verify(typed, secret); // a valid token, under the name typed
          service.verify(typed, TokenSecret.of("x")); // malformed
          service.verify(typed, TokenSecret.of(secret.reveal().replace('A', 'B')));
        });

    List<TokenEvent.Rejected> rejected = events.of(TokenEvent.Rejected.class);
    assertThat(rejected).isNotEmpty();
    assertThat(rejected)
        .allSatisfy(
            e -> {
              // The token's real owner when it was found, else nothing: never the name typed.
              assertThat(e.account()).isIn(Optional.empty(), Optional.of(ALICE));
              assertThat(e.toString()).doesNotContain(typed.substring(0, 4));
            });
    assertThat(logged)
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).doesNotContain(typed.substring(0, 4)));
  }

  /**
   * Runs {@code action} with the service's logger's records collected into {@code lines} and kept
   * from the console. The test module does not read java.logging, so the filter is a proxy.
   */
  private static void withWarningsCaptured(List<String> lines, Runnable action) throws Exception {
    Class<?> loggerClass = Class.forName("java.util.logging.Logger");
    Class<?> filterClass = Class.forName("java.util.logging.Filter");
    Class<?> recordClass = Class.forName("java.util.logging.LogRecord");
    Object logger =
        loggerClass.getMethod("getLogger", String.class).invoke(null, TokenService.class.getName());
    Object previous = loggerClass.getMethod("getFilter").invoke(logger);
    Method getMessage = recordClass.getMethod("getMessage");
    Object filter =
        Proxy.newProxyInstance(
            filterClass.getClassLoader(),
            new Class<?>[] {filterClass},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "isLoggable" -> {
                    synchronized (lines) {
                      lines.add(String.valueOf(getMessage.invoke(args[0])));
                    }
                    yield false;
                  }
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> "capturing filter";
                });
    Method setFilter = loggerClass.getMethod("setFilter", filterClass);
    setFilter.invoke(logger, filter);
    try {
      action.run();
    } finally {
      setFilter.invoke(logger, previous);
    }
  }

  // Items 14, 19, 20 -----------------------------------------------------------------------------

  @Test
  void cacheTtlAndWriteInterval_haveAnUpperBound_checkedAtTheSetter() {
    // Long.MAX_VALUE seconds were accepted, and a verify then threw ArithmeticException after it
    // had sent a Used event.
    assertThatThrownBy(() -> TokenService.builder().cache(Duration.ofSeconds(Long.MAX_VALUE), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cache ttl: 106751991167300 days 15 hours 30 minutes 7 seconds; must be positive and at"
                + " most 1 day (use disableCache() to turn the cache off)");
    assertThatThrownBy(
            () -> TokenService.builder().lastUseWriteInterval(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lastUseWriteInterval: 106751991167300 days 15 hours 30 minutes 7 seconds; must be from"
                + " 0 seconds (write every use) to 1 day");
    assertThat(TokenService.builder().cache(TokenService.Builder.MAX_CACHE_TTL, 1)).isNotNull();
    assertThat(
            TokenService.builder()
                .lastUseWriteInterval(TokenService.Builder.MAX_LAST_USE_WRITE_INTERVAL))
        .isNotNull();
  }

  @Test
  void clockBeyondWhatRfc3339CanWrite_isRefused_beforeAnythingIsSentOrStored() {
    TokenService service =
        TokenService.builder()
            .clock(Clock.fixed(Instant.MAX, ZoneOffset.UTC))
            .hasher(hasher)
            .listener(events)
            .build();

    assertThatThrownBy(() -> service.issueAutoGenerated(ALICE, ClientInfo.of("docker-desktop")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "clock: +1000000000-12-31T23:59:59.999999999Z is outside what RFC 3339");
    assertThatThrownBy(() -> service.verify(ALICE, TokenSecret.of("x")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(events.events()).isEmpty();
    assertThat(hasher.hashes.get()).isZero();
  }

  @Test
  void derivedExpiry_isTruncatedToMicroseconds_andAfterCreation() {
    clock.set(Instant.parse(Fixtures.START).plusNanos(123_456_789));
    TokenService service =
        service(Plan.builder("short").maxLifetime(Duration.ofSeconds(1).plusNanos(999)).build());

    AccessToken token = service.issueAutoGenerated(ALICE, ClientInfo.of("docker-desktop")).token();

    // It was created + lifetime to the nanosecond; with a 1 ns lifetime, expires_at equalled
    // created_at on the wire.
    assertThat(token.createdAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
    assertThat(token.expiresAt()).contains(Instant.parse("2024-05-01T10:00:01.123456Z"));
  }

  @Test
  void derivedExpiry_nearTheEndOfYear9999_staysWithinIt() {
    clock.set(Instant.parse("9999-06-01T00:00:00Z"));
    TokenService service = service(Plan.builder("year").maxLifetime(Duration.ofDays(365)).build());

    AccessToken token = service.issueAutoGenerated(ALICE, ClientInfo.of("docker-desktop")).token();

    assertThat(token.expiresAt()).contains(Instant.parse("9999-12-31T23:59:59.999999Z"));
  }

  @Test
  void planLifetimeInMessages_isWrittenForPeople() {
    TokenService service = service(Plan.builder("month").maxLifetime(Duration.ofDays(30)).build());

    assertThatThrownBy(() -> service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "expiresAt: required on plan \"month\", which limits a token's lifetime to 30 days;"
                + " give an instant after now and at most 2024-05-31T10:00:00Z");
  }

  // Item 1 ---------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"clientId", "ip", "userAgent"})
  void tokenInAnyClientPart_isRefused_andNeverBecomesALabel(String part) {
    TokenService service = service(Plan.FAIR_USE);
    String token = service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ)).secret().reveal();
    String value = "agent " + token;
    ClientInfo client =
        new ClientInfo(
            Optional.of(part.equals("clientId") ? value : "HUB"),
            Optional.of(part.equals("ip") ? value : "203.0.113.7"),
            Optional.of(part.equals("userAgent") ? value : "curl/8.5"));
    long before = service.list(ALICE, PageRequest.first(10)).total();

    assertThatThrownBy(() -> service.issueAutoGenerated(ALICE, client))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "client."
                + part
                + ": looks like an access token; never put a token's secret into the client."
                + part)
        .hasMessageNotContaining(token.substring(4));
    assertThatThrownBy(
            () -> service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ).from(client)))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessageStartingWith("client." + part + ": looks like an access token");
    assertThat(service.list(ALICE, PageRequest.first(10)).total()).isEqualTo(before);
  }
}
