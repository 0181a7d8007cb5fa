package dev.scopedtokens.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.store.TokenStoreException;
import dev.scopedtokens.store.postgres.PostgresTokenStore.SchemaMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The schema modes, the migrator and the DDL handed to a DBA, on a real PostgreSQL. */
class SchemaModeTest {
  private final TestDatabase database = TestDatabase.get();
  private final String schema = database.freshSchema();

  @AfterEach
  void dropSchema() {
    database.dropSchema(schema);
  }

  private PostgresTokenStore.Builder builder() {
    return PostgresTokenStore.builder(database.pool()).schema(schema);
  }

  @Test
  void validate_isTheDefault_andRefusesAnEmptyDatabase_sayingWhatItFoundAndNeeds() {
    assertThatThrownBy(() -> builder().build())
        .isInstanceOfSatisfying(
            TokenStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(TokenStoreException.Kind.SCHEMA))
        .hasMessageContaining("schema version none")
        .hasMessageContaining("needs version 1")
        .hasMessageContaining("SchemaMode.MIGRATE");
    assertThat(tableCount()).isZero();
  }

  @Test
  void migrate_createsTheTables_thenValidatePasses() {
    builder().schemaMode(SchemaMode.MIGRATE).build();

    assertThat(tableCount()).isEqualTo(3);
    assertThat(builder().build())
        .hasToString("PostgresTokenStore[schema=" + schema + ", tablePrefix=scopedtokens_]");
  }

  @Test
  void migrate_twice_appliesEachVersionOnce() {
    builder().schemaMode(SchemaMode.MIGRATE).build();
    builder().schemaMode(SchemaMode.MIGRATE).build();

    assertThat(historyVersions()).containsExactly(1);
  }

  @Test
  void concurrentMigrations_waitForEachOther_andApplyEachVersionOnce() throws Exception {
    int starts = 6;
    ExecutorService pool = Executors.newFixedThreadPool(starts);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<PostgresTokenStore>> built = new ArrayList<>();
      for (int i = 0; i < starts; i++) {
        Callable<PostgresTokenStore> start =
            () -> {
              go.await();
              return builder().schemaMode(SchemaMode.MIGRATE).build();
            };
        built.add(pool.submit(start));
      }
      go.countDown();
      for (Future<PostgresTokenStore> store : built) {
        assertThat(store.get()).isNotNull();
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
    assertThat(historyVersions()).containsExactly(1);
  }

  @Test
  void validate_refusesANewerSchema_sayingWhichVersionItFound() {
    builder().schemaMode(SchemaMode.MIGRATE).build();
    database.execute(
        "INSERT INTO "
            + schema
            + ".scopedtokens_schema_history (version, script, checksum) VALUES (2, 'V2', 'x')");

    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(TokenStoreException.class)
        .hasMessageContaining("schema version 2, newer than version 1");
    assertThatThrownBy(() -> builder().schemaMode(SchemaMode.MIGRATE).build())
        .isInstanceOf(TokenStoreException.class)
        .hasMessageContaining("schema version 2, newer than version 1");
  }

  @Test
  void none_checksNothing() {
    PostgresTokenStore store = builder().schemaMode(SchemaMode.NONE).build();

    assertThat(tableCount()).isZero();
    assertThatThrownBy(() -> store.find("alice", java.util.UUID.randomUUID()))
        .isInstanceOfSatisfying(
            TokenStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(TokenStoreException.Kind.SCHEMA));
  }

  @Test
  void theDdlForADba_appliedByHand_isWhatValidateAccepts() throws Exception {
    String ddl = builder().tablePrefix("pat_").ddl();

    try (Connection connection = database.direct().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(ddl);
    }

    assertThat(ddl).contains("CREATE TABLE " + schema + ".pat_tokens").doesNotContain("${");
    assertThat(builder().tablePrefix("pat_").build()).isNotNull();
    assertThatThrownBy(() -> builder().build()).isInstanceOf(TokenStoreException.class);
  }

  @Test
  void theShippedScript_keepsItsFlywayPlaceholders() {
    assertThat(Schema.template(1)).contains("${schema}.${prefix}tokens");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Public", "1st", "a-b", "a b", "x;drop table t", "a\"b", "é"})
  void schemaNames_otherThanPlainLowercaseIdentifiers_areRefused(String name) {
    assertThatThrownBy(() -> builder().schema(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("schema: ")
        .hasMessageContaining("a-z, 0-9 and _");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Pre_", "9_", "x-", "a'b"})
  void tablePrefixes_otherThanPlainLowercaseIdentifiers_areRefused(String prefix) {
    assertThatThrownBy(() -> builder().tablePrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tablePrefix: ");
  }

  @Test
  void tooLongNames_areRefused() {
    assertThatThrownBy(() -> builder().schema("s".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().tablePrefix("p".repeat(44)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(builder().tablePrefix("p".repeat(43)).ddl()).contains("p".repeat(43) + "tokens");
  }

  @Test
  void anEmptyPrefix_isAllowed() {
    builder().tablePrefix("").schemaMode(SchemaMode.MIGRATE).build();

    assertThat(tableCount()).isEqualTo(3);
  }

  private long tableCount() {
    return queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "'");
  }

  private List<Integer> historyVersions() {
    List<Integer> versions = new ArrayList<>();
    try (Connection connection = database.direct().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT version FROM " + schema + ".scopedtokens_schema_history ORDER BY 1")) {
      while (rs.next()) {
        versions.add(rs.getInt(1));
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return versions;
  }

  private long queryLong(String sql) {
    try (Connection connection = database.direct().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
