package dev.scopedtokens.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.TokenOrigin;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoreValuesTest {
  private static final AccessToken TOKEN =
      new AccessToken(
          UUID.fromString("00000000-0000-4000-8000-000000000001"),
          "alice",
          "CI",
          Set.of(Scope.REPO_READ),
          TokenOrigin.MANUAL,
          true,
          Instant.parse("2024-05-01T10:00:00Z"),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          ClientInfo.unknown());
  private static final StoredToken STORED =
      StoredToken.of(TOKEN, LookupKey.of(new byte[] {1}), "$hmac-sha256$v=1$secretish");

  @Test
  void storedToken_toStringShowsTheMetadataButNeverTheHash() {
    assertThat(STORED.toString()).contains(TOKEN.id().toString()).doesNotContain("secretish");
  }

  @Test
  void storedToken_isEqualByAllItsParts() {
    assertThat(STORED)
        .isEqualTo(
            StoredToken.of(TOKEN, LookupKey.of(new byte[] {1}), "$hmac-sha256$v=1$secretish"))
        .isNotEqualTo(STORED.withEncodedHash("$other$"));
  }

  @Test
  void storedToken_refusesAnEmptyHash() {
    assertThatThrownBy(() -> StoredToken.of(TOKEN, LookupKey.of(new byte[] {1}), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("encodedHash: must not be empty");
  }

  @Test
  void accountChange_refusesTheSameTokenTwice() {
    assertThatThrownBy(() -> AccountChange.put(STORED, 1).andDelete(TOKEN.id()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "deletes: token " + TOKEN.id() + " is already put or deleted; each token at most once");
  }

  @Test
  void accountChange_withNothingToDo_isEmpty() {
    assertThat(AccountChange.none("r").isEmpty()).isTrue();
    assertThat(AccountChange.delete(TOKEN.id(), "r").isEmpty()).isFalse();
  }

  @Test
  void accountPage_refusesCountsThatContradictEachOther() {
    assertThatThrownBy(() -> new AccountPage(List.of(STORED), 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("total: 0; must be at least the page's 1 tokens");
    assertThatThrownBy(() -> new AccountPage(List.of(), 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("activeCount: 2; must be 0 to total (1)");
  }

  @Test
  void newestFirst_ordersTiesByIdAsUnsignedNumbers() {
    AccessToken small = withId(TOKEN, "00000000-0000-4000-8000-000000000001");
    AccessToken large = withId(TOKEN, "f0000000-0000-4000-8000-000000000001"); // negative as a long

    assertThat(TokenStore.NEWEST_FIRST.compare(large, small)).isNegative();
  }

  private static AccessToken withId(AccessToken t, String id) {
    return new AccessToken(
        UUID.fromString(id),
        t.owner(),
        t.label(),
        t.scopes(),
        t.origin(),
        t.active(),
        t.createdAt(),
        t.lastUsedAt(),
        t.expiresAt(),
        t.revokedAt(),
        t.client());
  }
}
