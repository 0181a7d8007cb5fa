package dev.scopedtokens.token;

import static dev.scopedtokens.token.Fixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.store.InMemoryTokenStore;
import org.junit.jupiter.api.Test;

/** Raising Argon2id's parameters upgrades each stored hash on its token's next successful use. */
class Argon2RehashTest {
  private final MutableClock clock = MutableClock.at(Fixtures.START);
  private final InMemoryTokenStore store = new InMemoryTokenStore();

  private TokenService serviceWithMemory(int memoryKiB) {
    Argon2idHasher hasher =
        Argon2idHasher.builder().memoryKiB(memoryKiB).iterations(1).parallelism(1).build();
    return Fixtures.service(clock, Plan.FAIR_USE)
        .store(store)
        .hasher(hasher)
        .disableCache()
        .build();
  }

  @Test
  void hashWithOlderParameters_isReplacedOnTheNextSuccessfulVerify() {
    IssuedToken issued =
        serviceWithMemory(1024).create(ALICE, TokenRequest.of("CI", Scope.REPO_READ));
    TokenService upgraded = serviceWithMemory(2048);

    assertThat(upgraded.verify(ALICE, issued.secret()).isVerified()).isTrue();

    String stored = store.find(ALICE, issued.token().id()).orElseThrow().encodedHash();
    assertThat(stored).startsWith("$argon2id$").contains("m=2048");
    assertThat(upgraded.verify(ALICE, issued.secret()).isVerified()).isTrue();
  }
}
