package dev.scopedtokens.store.postgres;

import static dev.scopedtokens.store.postgres.StoreFixture.insert;
import static dev.scopedtokens.store.postgres.StoreFixture.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.postgres.PostgresTokenStore.SchemaMode;
import dev.scopedtokens.token.ClientInfo;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile and unusual text reaches PostgreSQL only as bind parameters and comes back exactly; text
 * that PostgreSQL cannot hold is refused before anything is written.
 */
class BindParameterTest {
  private final TestDatabase database = TestDatabase.get();
  private final String schema = database.freshSchema();
  private final PostgresTokenStore store =
      PostgresTokenStore.builder(database.pool())
          .schema(schema)
          .schemaMode(SchemaMode.MIGRATE)
          .build();

  @AfterEach
  void dropSchema() {
    database.dropSchema(schema);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "O'Brien",
        "'; DROP TABLE scopedtokens_tokens; --",
        "back\\slash \\' \\\\ end\\",
        "\"double\" and $$dollar$$ $tag$quoted$tag$",
        "percent % under_score * ? :name",
        "Ünïcödé ümlauts, 中文, العربية, עברית",
        "emoji \uD83D\uDE80\uD83D\uDD11 and a flag \uD83C\uDDF3\uD83C\uDDF4",
        "trailing spaces   ",
        "E'\\x41' U&'\\0041'"
      })
  void labelsOwnersAndClientInfo_roundTripExactly(String text) {
    String owner = "owner " + text;
    StoredToken token =
        insert(store, token(owner, text, ClientInfo.of(text, text, "agent " + text)));

    assertThat(store.find(owner, token.token().id())).contains(token);
    assertThat(store.findByLookupKey(token.lookupKey())).contains(token);
    assertThat(store.list(owner, 0, 10, StoreFixture.T0).tokens()).containsExactly(token);
    assertThat(store.list("owner", 0, 10, StoreFixture.T0).total()).isZero();
  }

  @Test
  void hundredCharacterValues_roundTripExactly() {
    String label = "\uD83D\uDE80".repeat(50) + "'\\".repeat(25);
    String owner = "o'\\".repeat(33) + "x";
    String agent = "ü".repeat(ClientInfo.MAX_LENGTH);
    StoredToken token = insert(store, token(owner, label, ClientInfo.of("c'\\", "::1", agent)));

    assertThat(label.codePointCount(0, label.length())).isEqualTo(100);
    assertThat(owner).hasSize(100);
    assertThat(store.find(owner, token.token().id())).contains(token);
  }

  @Test
  void aNulCharacter_isRefusedNamingTheField_andNothingIsWritten() {
    StoredToken withNul = token("alice", "bad\u0000label", ClientInfo.unknown());

    assertThatThrownBy(() -> store.update("alice", snapshot -> AccountChange.put(withNul, true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label: contains the character U+0000, which PostgreSQL text cannot hold");
    assertThat(store.find("alice", withNul.token().id())).isEmpty();
    assertThatThrownBy(() -> store.find("al\u0000ice", UUID.randomUUID()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("owner: ");
  }

  @Test
  void aLoneSurrogate_isRefused() {
    StoredToken broken = token("alice", "half \uD83D", ClientInfo.unknown());

    assertThatThrownBy(() -> store.update("alice", snapshot -> AccountChange.put(broken, true)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("label: contains a lone surrogate");
    assertThat(store.list("alice", 0, 10, StoreFixture.T0).total()).isZero();
  }

  @Test
  void aTableNameInAnOwner_isJustText() {
    String owner = schema + ".scopedtokens_tokens";
    StoredToken token = insert(store, token(owner));

    assertThat(store.recordLastUse(owner, token.token().id(), StoreFixture.T0.plusSeconds(9)))
        .isTrue();
    assertThat(store.find(owner, token.token().id()).map(t -> t.token().lastUsedAt()))
        .contains(Optional.of(StoreFixture.T0.plusSeconds(9)));
  }
}
