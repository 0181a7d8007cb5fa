package dev.scopedtokens.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.store.InMemoryTokenStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenServiceBuilderTest {

  @Test
  void defaults_giveAWorkingServiceOnTheFairUsePlan_hashingWithArgon2id() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    TokenService service = TokenService.builder().store(store).build();

    IssuedToken issued = service.create("alice", TokenRequest.of("CI", Scope.REPO_READ));

    assertThat(service.verify("alice", issued.secret()).isVerified()).isTrue();
    assertThat(service.planOf("alice")).isEqualTo(Plan.FAIR_USE);
    assertThat(store.find("alice", issued.token().id()).orElseThrow().encodedHash())
        .startsWith("$argon2id$");
  }

  @Test
  void cacheAndDisabledCache_isAContradiction() {
    TokenService.Builder builder =
        TokenService.builder()
            .hasher(Fixtures.HASHER)
            .cache(Duration.ofSeconds(1), 1)
            .disableCache();

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cache: both cache(ttl, maxEntries) and disableCache() were called; choose one");
  }

  @Test
  void nonPositiveCacheTtl_isRefused() {
    assertThatThrownBy(() -> TokenService.builder().cache(Duration.ZERO, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cache ttl: PT0S; must be positive (use disableCache() to turn the cache off)");
  }

  @Test
  void cacheOfNoEntries_isRefused() {
    assertThatThrownBy(() -> TokenService.builder().cache(Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cache maxEntries: 0; must be 1 or more (use disableCache() to turn the cache off)");
  }

  @Test
  void negativeLastUseWriteInterval_isRefused() {
    assertThatThrownBy(() -> TokenService.builder().lastUseWriteInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lastUseWriteInterval: PT-1S; must be zero or positive");
  }

  @Test
  void planResolverThatReturnsNull_isReportedAsAMisconfiguration() {
    TokenService service = TokenService.builder().hasher(Fixtures.HASHER).plans(a -> null).build();

    assertThatThrownBy(() -> service.create("alice", TokenRequest.of("CI", Scope.REPO_READ)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the plan resolver returned null for an account");
  }

  @Test
  void clock_isTheOnlySourceOfTime() {
    MutableClock clock = MutableClock.at("2024-05-01T10:00:00.123456789Z");

    AccessToken token =
        Fixtures.service(clock, Plan.FAIR_USE)
            .build()
            .create("alice", TokenRequest.of("CI", Scope.REPO_READ))
            .token();

    assertThat(token.createdAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
  }
}
