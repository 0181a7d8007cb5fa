package dev.scopedtokens.store.postgres;

import static dev.scopedtokens.store.postgres.StoreFixture.T0;
import static dev.scopedtokens.store.postgres.StoreFixture.insert;
import static dev.scopedtokens.store.postgres.StoreFixture.relabeled;
import static dev.scopedtokens.store.postgres.StoreFixture.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.store.TokenStoreException;
import dev.scopedtokens.store.TokenStoreException.Kind;
import dev.scopedtokens.store.postgres.PostgresTokenStore.SchemaMode;
import dev.scopedtokens.token.TokenOrigin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of a real PostgreSQL: after each, the account is exactly as before the failed operation,
 * later operations succeed, and nothing that was committed is lost.
 */
class FaultTest {
  private final TestDatabase database = TestDatabase.get();
  private final String schema = database.freshSchema();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    database.dropSchema(schema);
  }

  private PostgresTokenStore store(DataSource dataSource, int maxAttempts) {
    return PostgresTokenStore.builder(dataSource)
        .schema(schema)
        .schemaMode(SchemaMode.MIGRATE)
        .maxAttempts(maxAttempts)
        .build();
  }

  private static List<StoredToken> state(TokenStore store, String owner) {
    return store.list(owner, 0, 10_000, T0).tokens();
  }

  private static List<StoredToken> seed(TokenStore store, String owner, int count) {
    List<StoredToken> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tokens.add(insert(store, token(owner)));
    }
    return tokens;
  }

  @Test
  void connectionKilledMidTransaction_appliesNothing_andTheNextUpdateSucceeds() {
    HookedDataSource hooked = new HookedDataSource(database.pool());
    PostgresTokenStore store = store(hooked, 3);
    List<StoredToken> before = seed(store, "alice", 3);
    StoredToken fresh = token("alice");
    List<StoredToken> stateBefore = state(store, "alice");

    assertThatThrownBy(
            () ->
                store.update(
                    "alice",
                    snapshot -> {
                      snapshot.count(TokenOrigin.MANUAL);
                      database.execute("SELECT pg_terminate_backend(" + hooked.lastPid() + ")");
                      return AccountChange.put(fresh, true).andDelete(before.get(0).token().id());
                    }))
        .isInstanceOfSatisfying(
            TokenStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION))
        .hasMessageContaining("changing an account's tokens failed");

    assertThat(state(store, "alice")).isEqualTo(stateBefore);
    store.update(
        "alice", snapshot -> AccountChange.put(fresh, true).andDelete(before.get(0).token().id()));
    assertThat(state(store, "alice")).containsExactly(fresh, before.get(2), before.get(1));
  }

  @Test
  void connectionKilledDuringRecordLastUse_changesNothing_andTheNextSucceeds() throws Exception {
    HookedDataSource hooked = new HookedDataSource(database.pool());
    PostgresTokenStore store = store(hooked, 3);
    StoredToken token = insert(store, token("alice"));
    // Hold the token's row so that recordLastUse waits, then kill its backend while it waits.
    try (Connection holder = database.direct().getConnection()) {
      holder.setAutoCommit(false);
      try (Statement lock = holder.createStatement()) {
        lock.execute(
            "SELECT 1 FROM "
                + schema
                + ".scopedtokens_tokens WHERE id = '"
                + token.token().id()
                + "' FOR UPDATE");
      }
      ExecutorService user = Executors.newSingleThreadExecutor();
      try {
        AtomicInteger pid = new AtomicInteger();
        CountDownLatch connected = new CountDownLatch(1);
        HookedDataSource reporting =
            new HookedDataSource(
                database.pool(),
                c -> {
                  try (Statement s = c.createStatement();
                      var rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pid.set(rs.getInt(1));
                  }
                  connected.countDown();
                });
        PostgresTokenStore waiting = PostgresTokenStore.builder(reporting).schema(schema).build();
        Future<Boolean> use =
            user.submit(
                () -> waiting.recordLastUse("alice", token.token().id(), T0.plusSeconds(5)));
        connected.await();
        awaitWaitingOnALock(pid.get());
        database.execute("SELECT pg_terminate_backend(" + pid.get() + ")");
        assertThatThrownBy(use::get)
            .cause()
            .isInstanceOfSatisfying(
                TokenStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION));
      } finally {
        user.shutdownNow();
      }
      holder.rollback();
    }

    assertThat(store.find("alice", token.token().id())).contains(token);
    assertThat(store.recordLastUse("alice", token.token().id(), T0.plusSeconds(6))).isTrue();
    assertThat(store.find("alice", token.token().id()).orElseThrow().token().lastUsedAt())
        .contains(T0.plusSeconds(6));
  }

  /** Waits, without sleeping a fixed time, until backend {@code pid} waits for a lock. */
  private void awaitWaitingOnALock(int pid) throws Exception {
    try (Connection admin = database.direct().getConnection();
        PreparedStatement waiting =
            admin.prepareStatement(
                "SELECT 1 FROM pg_stat_activity WHERE pid = ? AND wait_event_type = 'Lock'")) {
      waiting.setInt(1, pid);
      for (int polls = 0; polls < 100_000; polls++) {
        try (var rs = waiting.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
    }
    throw new AssertionError("backend " + pid + " never waited for the lock");
  }

  @Test
  void statementTimeout_appliesNothing_andLaterUpdatesSucceed() throws Exception {
    PostgresTokenStore store = store(database.pool(), 3);
    List<StoredToken> before = seed(store, "alice", 2);
    StoredToken fresh = token("alice");
    HookedDataSource timingOut =
        new HookedDataSource(
            database.direct(),
            c -> {
              try (Statement s = c.createStatement()) {
                s.execute("SET statement_timeout = 200");
              }
            });
    PostgresTokenStore impatient = PostgresTokenStore.builder(timingOut).schema(schema).build();
    List<StoredToken> stateBefore = state(store, "alice");

    try (Connection holder = database.direct().getConnection()) {
      holder.setAutoCommit(false);
      try (Statement lock = holder.createStatement()) {
        lock.execute(
            "SELECT 1 FROM " + schema + ".scopedtokens_accounts WHERE owner = 'alice' FOR UPDATE");
      }
      assertThatThrownBy(
              () ->
                  impatient.update(
                      "alice",
                      snapshot ->
                          AccountChange.put(fresh, true).andDelete(before.get(0).token().id())))
          .isInstanceOfSatisfying(
              TokenStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT))
          .hasMessageContaining("timed out")
          .hasMessageContaining("SQLSTATE 57014");
      holder.rollback();
    }

    assertThat(state(store, "alice")).isEqualTo(stateBefore);
    impatient.update(
        "alice", snapshot -> AccountChange.put(fresh, true).andDelete(before.get(0).token().id()));
    assertThat(state(store, "alice")).containsExactly(fresh, before.get(1));
  }

  @Test
  void exhaustedPool_failsAsAConnectionProblem_changesNothing_andRecovers() throws Exception {
    HikariDataSource small = database.quickPool(2);
    closeables.add(small);
    PostgresTokenStore store = store(small, 3);
    StoredToken existing = insert(store, token("alice"));
    StoredToken fresh = token("alice");

    try (Connection first = small.getConnection();
        Connection second = small.getConnection()) {
      assertThat(List.of(first, second)).as("the pool's every connection, held").hasSize(2);
      assertThatThrownBy(() -> store.update("alice", s -> AccountChange.put(fresh, true)))
          .isInstanceOfSatisfying(
              TokenStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION))
          .hasMessageContaining("pool");
      assertThatThrownBy(() -> store.findByLookupKey(existing.lookupKey()))
          .isInstanceOf(TokenStoreException.class);
    }

    assertThat(state(store, "alice")).containsExactly(existing);
    insert(store, fresh);
    assertThat(state(store, "alice")).containsExactly(fresh, existing);
  }

  @Test
  void serializationConflict_isRetried_andTheRetrySeesTheOtherChange() {
    PostgresTokenStore store = store(repeatableRead(), 3);
    StoredToken token = insert(store, token("alice"));
    AtomicInteger attempts = new AtomicInteger();

    String label =
        store.update(
            "alice",
            snapshot -> {
              if (attempts.incrementAndGet() == 1) {
                // A put of a row someone else changed after this transaction's snapshot: the
                // snapshot never locked it (the function did not read it), so nothing waits.
                snapshot.count(TokenOrigin.MANUAL);
                relabelBehindTheStoresBack(token, "changed elsewhere");
                return AccountChange.put(relabeled(token, "mine"), "first attempt");
              }
              StoredToken current = snapshot.find(token.token().id()).orElseThrow();
              return AccountChange.put(
                  relabeled(current, current.token().label() + " + mine"), current.token().label());
            });

    assertThat(attempts).hasValue(2);
    assertThat(label).isEqualTo("changed elsewhere");
    assertThat(state(store, "alice")).containsExactly(relabeled(token, "changed elsewhere + mine"));
  }

  @Test
  void serializationConflicts_beyondTheBound_failAsAConflict_andApplyNothing() {
    PostgresTokenStore store = store(repeatableRead(), 2);
    StoredToken token = insert(store, token("alice"));
    StoredToken fresh = token("alice");
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(
            () ->
                store.update(
                    "alice",
                    snapshot -> {
                      snapshot.count(TokenOrigin.MANUAL);
                      relabelBehindTheStoresBack(token, "elsewhere " + attempts.incrementAndGet());
                      return AccountChange.put(relabeled(token, "mine"), true).andPut(fresh);
                    }))
        .isInstanceOfSatisfying(
            TokenStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONFLICT))
        .hasMessageContaining("after 2 attempts")
        .hasMessageContaining("SQLSTATE 40001");

    assertThat(attempts).hasValue(2);
    assertThat(state(store, "alice")).containsExactly(relabeled(token, "elsewhere 2"));
    insert(store, fresh);
    assertThat(state(store, "alice")).hasSize(2);
  }

  /**
   * A repeatable-read store: its snapshot is taken at the first statement, so a row changed by
   * someone else afterwards cannot be updated: PostgreSQL aborts with a serialization failure.
   */
  private DataSource repeatableRead() {
    return new HookedDataSource(
        database.pool(), c -> c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ));
  }

  /** Changes a token's label directly, without the account's lock: the conflicting writer. */
  private void relabelBehindTheStoresBack(StoredToken token, String label) {
    try (Connection connection = database.direct().getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE " + schema + ".scopedtokens_tokens SET label = ? WHERE id = ?")) {
      update.setString(1, label);
      update.setObject(2, token.token().id());
      assertThat(update.executeUpdate()).isOne();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void postgresStoppedAndStartedUnderLoad_losesNothingCommitted_andRecovers() throws Exception {
    HikariDataSource pool = database.quickPool(8);
    closeables.add(pool);
    PostgresTokenStore store = store(pool, 3);
    int threads = 4;
    int successesAfterRestart = 5;
    Set<StoredToken> committed = ConcurrentHashMap.newKeySet();
    Set<StoredToken> unknown = ConcurrentHashMap.newKeySet();
    AtomicBoolean restarted = new AtomicBoolean();
    CountDownLatch warmedUp = new CountDownLatch(threads * 5);
    ExecutorService load = Executors.newFixedThreadPool(threads);
    List<Future<Integer>> failures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        String owner = "load" + t;
        failures.add(
            load.submit(
                () -> {
                  int failed = 0;
                  int after = 0;
                  for (int i = 0; i < 20_000 && after < successesAfterRestart; i++) {
                    boolean wasRestarted = restarted.get();
                    StoredToken next = token(owner);
                    try {
                      insert(store, next);
                      committed.add(next);
                      warmedUp.countDown();
                      after += wasRestarted ? 1 : 0;
                    } catch (TokenStoreException e) {
                      failed++;
                      assertThat(e.kind()).isIn(Kind.CONNECTION, Kind.TIMEOUT);
                      if (e.getMessage().contains("unknown")) {
                        unknown.add(next);
                      }
                    }
                  }
                  assertThat(after).as("successes after the restart").isEqualTo(5);
                  return failed;
                }));
      }
      warmedUp.await();
      database.restart(
          () ->
              assertThatThrownBy(() -> store.find("load0", java.util.UUID.randomUUID()))
                  .isInstanceOfSatisfying(
                      TokenStoreException.class,
                      e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION)));
      restarted.set(true);
      for (Future<Integer> failed : failures) {
        failed.get();
      }
    } finally {
      load.shutdownNow();
      load.awaitTermination(1, TimeUnit.MINUTES);
    }

    for (int t = 0; t < threads; t++) {
      String owner = "load" + t;
      List<StoredToken> stored = state(store, owner);
      List<StoredToken> expected =
          committed.stream().filter(s -> s.token().owner().equals(owner)).toList();
      assertThat(stored).as("committed tokens of " + owner).containsAll(expected);
      assertThat(stored)
          .as("every stored token was committed, or its commit's outcome unknown")
          .allSatisfy(s -> assertThat(committed.contains(s) || unknown.contains(s)).isTrue());
    }
  }

  @Test
  void aServerError_neverCarriesTheValuesOfTheStatement() {
    PostgresTokenStore store = store(database.pool(), 3);
    StoredToken base = token("alice");
    StoredToken farFuture =
        StoredToken.of(
            new dev.scopedtokens.token.AccessToken(
                base.token().id(),
                "alice",
                "label",
                base.token().scopes(),
                TokenOrigin.MANUAL,
                true,
                Instant.parse("+300000-01-01T00:00:00Z"),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                base.token().client()),
            base.lookupKey(),
            "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0c2FsdA$secrethashsecrethash");

    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> store.update("alice", s -> AccountChange.put(farFuture, true)));

    assertThat(thrown)
        .isInstanceOfSatisfying(
            TokenStoreException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CONSTRAINT));
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString())
        .contains("SQLSTATE 22008")
        .doesNotContain("300000")
        .doesNotContain("secrethash")
        .doesNotContain(HexFormat.of().formatHex(base.lookupKey().toBytes()));
    assertThat(state(store, "alice")).isEmpty();
  }
}
