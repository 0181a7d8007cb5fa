package dev.scopedtokens.token;

import static dev.scopedtokens.token.Fixtures.ALICE;
import static dev.scopedtokens.token.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerificationTest {
  private final MutableClock clock = MutableClock.at(Fixtures.START);
  private final CountingStore store = new CountingStore();
  private final CountingHasher hasher = new CountingHasher();
  private final RecordingListener events = new RecordingListener();
  private final TokenService service =
      Fixtures.service(clock, Plan.FAIR_USE)
          .store(store)
          .hasher(hasher)
          .disableCache()
          .listener(events)
          .build();

  private IssuedToken create() {
    return service.create(ALICE, TokenRequest.of("CI", Scope.REPO_READ, Scope.REPO_WRITE));
  }

  private static VerificationResult rejected(RejectionReason reason) {
    return new VerificationResult.Rejected(reason);
  }

  @Test
  void rightSecret_isVerified_withTheTokenAndItsEffectiveScope() {
    IssuedToken issued = create();
    clock.advance(Duration.ofMinutes(1));

    VerificationResult result = service.verify(ALICE, issued.secret());

    assertThat(result.isVerified()).isTrue();
    VerificationResult.Verified verified = (VerificationResult.Verified) result;
    assertThat(verified.effectiveScope()).isEqualTo(Scope.REPO_WRITE);
    assertThat(verified.token().id()).isEqualTo(issued.token().id());
    assertThat(verified.token().lastUsedAt()).contains(clock.instant());
  }

  @Test
  void rightSecret_isVerified_withoutAnAccountName() {
    IssuedToken issued = create();

    assertThat(service.verify(issued.secret()).isVerified()).isTrue();
  }

  @Test
  void malformedToken_isRejected_withoutLookupOrHashing() {
    create();
    int hashesBefore = hasher.hashes.get();

    VerificationResult result = service.verify(ALICE, TokenSecret.of("stk_typo"));

    assertThat(result).isEqualTo(rejected(RejectionReason.MALFORMED));
    assertThat(store.lookups).hasValue(0);
    assertThat(hasher.verifies).hasValue(0);
    assertThat(hasher.decoys).hasValue(0);
    assertThat(hasher.hashes).hasValue(hashesBefore);
  }

  @Test
  void tokenOfAnotherFormat_isMalformed() {
    IssuedToken foreign =
        Fixtures.service(clock, Plan.FAIR_USE)
            .format(TokenFormat.withPrefix("other_"))
            .build()
            .create(ALICE, TokenRequest.of("CI", Scope.REPO_READ));

    assertThat(service.verify(foreign.secret())).isEqualTo(rejected(RejectionReason.MALFORMED));
  }

  @Test
  void unknownToken_isRejected_afterTheSameHashingWorkOnADecoy() {
    TokenSecret unknown = TokenFormat.defaults().generate(Fixtures.seeded(99));

    VerificationResult result = service.verify(ALICE, unknown);

    assertThat(result).isEqualTo(rejected(RejectionReason.UNKNOWN));
    assertThat(store.lookups).hasValue(1);
    assertThat(hasher.decoys).hasValue(1);
    assertThat(hasher.verifies).hasValue(0);
  }

  @Test
  void wrongSecret_isRejected_afterOneConstantTimeVerify() {
    IssuedToken issued = create();

    VerificationResult result = service.verify(ALICE, Secrets.wrongSecretFor(issued.secret()));

    assertThat(result).isEqualTo(rejected(RejectionReason.WRONG_SECRET));
    assertThat(hasher.verifies).hasValue(1);
    assertThat(hasher.decoys).hasValue(0);
  }

  @Test
  void deactivatedToken_isRejectedAsInactive() {
    IssuedToken issued = create();
    service.deactivate(ALICE, issued.token().id());

    assertThat(service.verify(ALICE, issued.secret()))
        .isEqualTo(rejected(RejectionReason.INACTIVE));
  }

  @Test
  void expiredToken_isRejectedAsExpired() {
    IssuedToken issued =
        service.create(
            ALICE,
            TokenRequest.of("CI", Scope.REPO_READ).expiringAt(clock.instant().plusSeconds(60)));
    clock.advance(Duration.ofSeconds(60));

    assertThat(service.verify(ALICE, issued.secret())).isEqualTo(rejected(RejectionReason.EXPIRED));
  }

  @Test
  void revokedToken_isRejectedAsRevoked() {
    IssuedToken issued = create();
    service.revoke(ALICE, issued.token().id());

    assertThat(service.verify(ALICE, issued.secret())).isEqualTo(rejected(RejectionReason.REVOKED));
  }

  @Test
  void revokedAndInactiveToken_isRejectedAsRevoked() {
    IssuedToken issued = create();
    service.deactivate(ALICE, issued.token().id());
    service.revoke(ALICE, issued.token().id());

    assertThat(service.verify(ALICE, issued.secret())).isEqualTo(rejected(RejectionReason.REVOKED));
  }

  @Test
  void tokenPresentedForAnotherAccount_isRejectedAsWrongOwner() {
    IssuedToken issued = create();

    assertThat(service.verify(BOB, issued.secret()))
        .isEqualTo(rejected(RejectionReason.WRONG_OWNER));
  }

  @Test
  void deletedToken_isUnknown() {
    IssuedToken issued = create();
    service.delete(ALICE, issued.token().id());

    assertThat(service.verify(ALICE, issued.secret())).isEqualTo(rejected(RejectionReason.UNKNOWN));
  }

  @Test
  void success_isReportedAsUsed() {
    IssuedToken issued = create();

    service.verify(ALICE, issued.secret());

    TokenEvent.Used used = events.of(TokenEvent.Used.class).get(0);
    assertThat(used.token().id()).isEqualTo(issued.token().id());
    assertThat(used.at()).isEqualTo(clock.instant());
    assertThat(used.owner()).isEqualTo(ALICE);
  }

  @Test
  void rejectionOfAFoundToken_isReportedWithItsIdAndOwner() {
    IssuedToken issued = create();

    service.verify(BOB, issued.secret());

    assertThat(events.of(TokenEvent.Rejected.class))
        .containsExactly(
            new TokenEvent.Rejected(
                clock.instant(),
                RejectionReason.WRONG_OWNER,
                Optional.of(issued.token().id()),
                Optional.of(ALICE)));
  }

  @Test
  void rejectionOfAnUnknownToken_isReportedWithThePresentedAccountOnly() {
    service.verify(BOB, TokenFormat.defaults().generate(Fixtures.seeded(99)));
    service.verify(TokenSecret.of("garbage"));

    assertThat(events.of(TokenEvent.Rejected.class))
        .containsExactly(
            new TokenEvent.Rejected(
                clock.instant(), RejectionReason.UNKNOWN, Optional.empty(), Optional.of(BOB)),
            new TokenEvent.Rejected(
                clock.instant(), RejectionReason.MALFORMED, Optional.empty(), Optional.empty()));
    assertThat(events.of(TokenEvent.Rejected.class).get(1).owner()).isEmpty();
  }

  @Test
  void successWithAnOutdatedHash_reHashesTheSecret() {
    IssuedToken issued = create();
    hasher.upgrade();

    assertThat(service.verify(ALICE, issued.secret()).isVerified()).isTrue();

    String stored = store.find(ALICE, issued.token().id()).orElseThrow().encodedHash();
    assertThat(hasher.needsRehash(stored)).isFalse();
    assertThat(service.verify(ALICE, issued.secret()).isVerified()).isTrue();
  }

  @Test
  void rejection_neverReHashes() {
    IssuedToken issued = create();
    hasher.upgrade();
    int hashesBefore = hasher.hashes.get();

    service.verify(BOB, issued.secret());

    assertThat(hasher.hashes).hasValue(hashesBefore);
  }

  @Test
  void everyWellFormedToken_costsExactlyOneHasherCall() {
    IssuedToken issued = create();
    service.deactivate(ALICE, issued.token().id());

    service.verify(ALICE, issued.secret()); // inactive
    service.verify(ALICE, Secrets.wrongSecretFor(issued.secret())); // wrong secret
    service.verify(ALICE, TokenFormat.defaults().generate(Fixtures.seeded(5))); // unknown

    assertThat(hasher.verifies.get() + hasher.decoys.get()).isEqualTo(3);
  }

  @Test
  void rejectionEvent_leavesOutAnAccountNameThatLooksLikeAToken() {
    IssuedToken issued = create();
    service.delete(ALICE, issued.token().id());

    service.verify(issued.secret().reveal(), issued.secret()); // user name and token swapped

    assertThat(events.of(TokenEvent.Rejected.class).get(0).account()).isEmpty();
  }

  @Test
  void rejectionEvent_leavesOutAnAccountNameWithControlCharacters() {
    service.verify("alice\nINFO forged line", TokenSecret.of("stk_typo"));

    assertThat(events.of(TokenEvent.Rejected.class).get(0).account()).isEmpty();
  }
}
