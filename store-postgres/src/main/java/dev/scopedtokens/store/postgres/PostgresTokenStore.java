package dev.scopedtokens.store.postgres;

import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.AccountPage;
import dev.scopedtokens.store.AccountSnapshot;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenChangeFeed;
import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.store.TokenStoreException;
import dev.scopedtokens.token.TokenOrigin;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A {@link TokenStore} in PostgreSQL (12 or later): tokens survive restarts and are shared by every
 * node that uses the same database.
 *
 * <p>It takes a {@link DataSource} and ships no pool: hand it the application's (HikariCP, say).
 * One row per token, a unique hash index on the lookup key, an index on (owner, created_at, id),
 * and one row per account that {@link #update} locks, so that changes to one account run one at a
 * time and plan limits hold under concurrent requests on any number of nodes. The tables are
 * created by versioned plain SQL scripts (see {@link Builder#ddl()}) under a schema and a table
 * prefix of your choice.
 *
 * <pre>{@code
 * TokenStore store =
 *     PostgresTokenStore.builder(dataSource)
 *         .schema("tokens")
 *         .schemaMode(PostgresTokenStore.SchemaMode.MIGRATE)
 *         .build();
 * TokenService service = TokenService.builder().store(store).build();
 * }</pre>
 *
 * <p>Every failure of the database is a {@link TokenStoreException} whose {@link
 * TokenStoreException#kind() kind} says what failed; nothing is half applied. Instants are kept at
 * microseconds. Strings are refused with an {@link IllegalArgumentException} when PostgreSQL text
 * could not hold them (a NUL character or a lone surrogate). Every value reaches the database as a
 * bind parameter. Thread-safe.
 */
public final class PostgresTokenStore implements TokenStore {

  /** What {@link Builder#build()} does about the schema before the store is used. */
  public enum SchemaMode {
    /**
     * Checks that the tables are at the version this store needs, and refuses to build otherwise,
     * saying which version it found and which it needs. Changes nothing. The default.
     */
    VALIDATE,
    /**
     * Creates the schema and tables, or brings them to the version this store needs, in one
     * transaction; concurrent starts wait for each other on an advisory lock.
     */
    MIGRATE,
    /** Neither checks nor changes anything: the application migrates with its own tool. */
    NONE
  }

  // What the last round trip of update puts: nothing, an insert by origin code, or an upsert.
  private static final int PUT_NONE = 0;
  private static final int PUT_UPSERT = 3;
  private static final int PUT_KINDS = 4;

  private final DataSource dataSource;
  private final Schema schema;
  private final int maxAttempts;
  private final PostgresChangeFeed changeFeed; // null when the store listens to none
  private final boolean publishChanges;

  private final String findSql;
  private final String findByLookupKeySql;
  private final String listSql;
  private final String lockAccountSql;
  private final String insertAccountSql;
  private final String snapshotFindSql;
  private final String snapshotTokensSql;
  private final String deleteSql;
  private final String upsertSql;
  private final String[] insertSql; // by origin code: a put of an id the snapshot did not read
  private final String[][] finishSql; // [PUT_* kind of the last put][notices]: update's last trip
  private final String ownerOfSql;
  private final String recordLastUseSql;
  private final String holdsSql;

  private PostgresTokenStore(Builder builder) {
    this.dataSource = builder.dataSource;
    this.schema = new Schema(builder.schema, builder.tablePrefix);
    this.maxAttempts = builder.maxAttempts;
    this.changeFeed =
        builder.changeFeed == null ? null : builder.changeFeed.build(schema.changeChannel());
    this.publishChanges = builder.publishChanges;

    String tokens = schema.table("tokens");
    String accounts = schema.table("accounts");
    String newestFirst = " ORDER BY created_at DESC, id DESC";
    findSql = "SELECT " + TokenRows.COLUMNS + " FROM " + tokens + " WHERE id = ? AND owner = ?";
    findByLookupKeySql =
        "SELECT " + TokenRows.COLUMNS + " FROM " + tokens + " WHERE lookup_key = ?";
    // One statement, so that the counts and the page come from one snapshot of the table.
    listSql =
        "WITH counts AS (SELECT count(*) AS total, count(*) FILTER (WHERE revoked_at IS NULL"
            + " AND active AND (expires_at IS NULL OR expires_at > ?)) AS active_count FROM "
            + tokens
            + " WHERE owner = ?), page AS (SELECT "
            + TokenRows.COLUMNS
            + " FROM "
            + tokens
            + " WHERE owner = ?"
            + newestFirst
            + " LIMIT ? OFFSET ?) SELECT counts.total, counts.active_count, page.* FROM counts"
            + " LEFT JOIN page ON true ORDER BY page.created_at DESC, page.id DESC";
    lockAccountSql =
        "SELECT manual_tokens, auto_generated_tokens FROM "
            + accounts
            + " WHERE owner = ? FOR UPDATE";
    insertAccountSql =
        "INSERT INTO " + accounts + " (owner) VALUES (?) ON CONFLICT (owner) DO NOTHING";
    // The snapshot locks the token rows it hands out, so that a concurrent recordLastUse waits for
    // this transaction and then applies to the version it commits: no last use is lost when the
    // function puts back a token it read.
    snapshotFindSql =
        "SELECT "
            + TokenRows.COLUMNS
            + " FROM "
            + tokens
            + " WHERE id = ? AND owner = ? FOR NO KEY UPDATE";
    snapshotTokensSql =
        "SELECT "
            + TokenRows.COLUMNS
            + " FROM "
            + tokens
            + " WHERE owner = ? AND origin = ?"
            + newestFirst
            + " FOR NO KEY UPDATE";
    // Each change keeps the account's counts in the same statement: one round trip per step. A put
    // that replaces nothing (the id is another account's, or the lookup key differs) fails with
    // division_by_zero, so that the COMMIT sent after it in the same round trip does not run.
    deleteSql =
        "WITH deleted AS (DELETE FROM "
            + tokens
            + " WHERE owner = ? AND id = ANY (?) RETURNING id, origin), counted AS (UPDATE "
            + accounts
            + " SET manual_tokens = manual_tokens - (SELECT count(*) FROM deleted WHERE origin ="
            + " 1), auto_generated_tokens = auto_generated_tokens - (SELECT count(*) FROM deleted"
            + " WHERE origin = 2) WHERE owner = ?) SELECT id FROM deleted";
    upsertSql =
        "WITH previous AS (SELECT origin FROM "
            + tokens
            + " WHERE id = ?), put AS (INSERT INTO "
            + tokens
            + " AS t ("
            + TokenRows.COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            + " created_at = excluded.created_at, last_used_at = excluded.last_used_at,"
            + " expires_at = excluded.expires_at, revoked_at = excluded.revoked_at,"
            + " scopes = excluded.scopes, origin = excluded.origin, active = excluded.active,"
            + " encoded_hash = excluded.encoded_hash, label = excluded.label,"
            + " client_id = excluded.client_id, client_ip = excluded.client_ip,"
            + " client_user_agent = excluded.client_user_agent"
            + " WHERE t.owner = excluded.owner AND t.lookup_key = excluded.lookup_key"
            + " RETURNING origin), counted AS (UPDATE "
            + accounts
            + " SET manual_tokens = manual_tokens + (SELECT count(*) FROM put WHERE origin = 1)"
            + " - (SELECT count(*) FROM previous, put WHERE previous.origin = 1),"
            + " auto_generated_tokens = auto_generated_tokens + (SELECT count(*) FROM put WHERE"
            + " origin = 2) - (SELECT count(*) FROM previous, put WHERE previous.origin = 2)"
            + " WHERE owner = ?) SELECT 1 / count(*) FROM put";
    // A put of an id that the snapshot did not hand out is most likely a new token (a create):
    // a plain insert that counts it, without the upsert's lookup of a previous version. When the
    // id or the lookup key is taken after all, the insert fails (unique or exclusion violation),
    // and update runs again with upserts only, which replace the token or say why they cannot.
    insertSql = new String[3];
    for (TokenOrigin origin : TokenOrigin.values()) {
      String counter = origin == TokenOrigin.MANUAL ? "manual_tokens" : "auto_generated_tokens";
      insertSql[TokenRows.originCode(origin)] =
          "WITH counted AS (UPDATE "
              + accounts
              + " SET "
              + counter
              + " = "
              + counter
              + " + 1 WHERE owner = ?) INSERT INTO "
              + tokens
              + " ("
              + TokenRows.COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }
    // Built once, so that the driver finds its parsed and server-prepared statements by a string
    // whose hash is already known.
    finishSql = new String[PUT_KINDS][ChangeNotices.MAX_PAYLOADS + 1];
    for (int put = 0; put < PUT_KINDS; put++) {
      for (int notices = 0; notices <= ChangeNotices.MAX_PAYLOADS; notices++) {
        StringBuilder sql = new StringBuilder();
        if (put == PUT_UPSERT) {
          sql.append(upsertSql).append("; ");
        } else if (put != PUT_NONE) {
          sql.append(insertSql[put]).append("; ");
        }
        for (int i = 0; i < notices; i++) {
          sql.append(ChangeNotices.NOTIFY_SQL).append("; ");
        }
        finishSql[put][notices] = sql.append("COMMIT").toString();
      }
    }
    ownerOfSql = "SELECT owner = ? FROM " + tokens + " WHERE id = ?";
    recordLastUseSql =
        "UPDATE "
            + tokens
            + " SET last_used_at = ? WHERE id = ? AND owner = ?"
            + " AND (last_used_at IS NULL OR last_used_at < ?)";
    holdsSql = "SELECT 1 FROM " + tokens + " WHERE id = ? AND owner = ?";
  }

  /**
   * Returns a builder for a store over {@code dataSource}.
   *
   * @param dataSource where connections come from; the store closes each connection it takes (a
   *     pool takes it back), and never closes the data source
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  @Override
  public Optional<StoredToken> find(String owner, UUID id) {
    TokenRows.text("owner", Objects.requireNonNull(owner, "owner"));
    Objects.requireNonNull(id, "id");
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(findSql)) {
      statement.setObject(1, id);
      statement.setString(2, owner);
      return readOne(statement);
    } catch (SQLException e) {
      throw Failures.translate("finding a token", e);
    }
  }

  @Override
  public Optional<StoredToken> findByLookupKey(LookupKey lookupKey) {
    Objects.requireNonNull(lookupKey, "lookupKey");
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(findByLookupKeySql)) {
      statement.setBytes(1, lookupKey.toBytes());
      return readOne(statement);
    } catch (SQLException e) {
      throw Failures.translate("finding a token by lookup key", e);
    }
  }

  @Override
  public AccountPage list(String owner, long offset, int limit, Instant now) {
    TokenRows.text("owner", Objects.requireNonNull(owner, "owner"));
    Objects.requireNonNull(now, "now");
    if (offset < 0) {
      throw new IllegalArgumentException("offset: " + offset + "; must be 0 or more");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit: " + limit + "; must be 1 or more");
    }
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(listSql)) {
      statement.setObject(1, TokenRows.timestamp(now));
      statement.setString(2, owner);
      statement.setString(3, owner);
      statement.setInt(4, limit);
      statement.setLong(5, offset);
      long total = 0;
      long active = 0;
      List<StoredToken> tokens = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          total = rs.getLong(1);
          active = rs.getLong(2);
          if (rs.getObject(3) != null) {
            tokens.add(TokenRows.read(rs, 3));
          }
        }
      }
      return new AccountPage(tokens, total, active);
    } catch (SQLException e) {
      throw Failures.translate("listing an account's tokens", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs in one transaction: lock the account's row (inserting it on first use), answer the
   * snapshot with queries inside the transaction, apply the change, commit. The last write goes
   * with the {@code COMMIT} in one round trip: a change of one put (a create, say) takes two round
   * trips, one for the lock and one for the put and the commit. A put of a token that the snapshot
   * did not hand out is inserted as a new row; when its id or lookup key is taken, the transaction
   * rolls back and runs again, {@code change} included, putting every token as a replacement. When
   * PostgreSQL aborts the transaction for a serialization failure or a deadlock (SQLSTATE 40001,
   * 40P01), the whole transaction runs again, {@code change} included, up to the builder's {@link
   * Builder#maxAttempts}; then a {@link TokenStoreException} of kind {@code CONFLICT}.
   *
   * @throws TokenStoreException when the database fails; nothing was applied, except when the
   *     connection was lost while committing, which the message says (then read the account to
   *     learn whether the change committed)
   */
  @Override
  public <R> R update(String owner, Function<AccountSnapshot, AccountChange<R>> change) {
    TokenRows.text("owner", Objects.requireNonNull(owner, "owner"));
    Objects.requireNonNull(change, "change");
    boolean replaceOnly = false;
    for (int attempt = 1; ; attempt++) {
      Stage stage = new Stage(replaceOnly);
      try {
        return updateOnce(owner, change, stage);
      } catch (SQLException e) {
        if (stage.idTaken) {
          // Once more with upserts, whatever maxAttempts: they cannot fail the same way.
          replaceOnly = true;
          continue;
        }
        if (Failures.isRetryable(e) && attempt < maxAttempts) {
          continue;
        }
        // Once the commit is sent, only a lost connection leaves its outcome unknown: an error
        // that PostgreSQL reports means it rolled the transaction back.
        String operation =
            stage.committing && Failures.kind(e) == TokenStoreException.Kind.CONNECTION
                ? "committing a change to an account (whether it committed is unknown)"
                : "changing an account's tokens"
                    + (Failures.isRetryable(e) ? " after " + attempt + " attempts" : "");
        throw Failures.translate(operation, e);
      }
    }
  }

  /** How an attempt of {@link #update} puts, and where it got to. */
  private static final class Stage {
    /** Whether every put is an upsert, even of a token the snapshot did not hand out. */
    final boolean replaceOnly;

    /** Whether the commit was sent, for the message when the attempt fails. */
    boolean committing;

    /** Whether an insert found its id or lookup key taken: the next attempt replaces. */
    boolean idTaken;

    Stage(boolean replaceOnly) {
      this.replaceOnly = replaceOnly;
    }
  }

  private <R> R updateOnce(
      String owner, Function<AccountSnapshot, AccountChange<R>> change, Stage stage)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        long[] counts = lockAccount(connection, owner);
        JdbcSnapshot snapshot = new JdbcSnapshot(connection, owner, counts);
        AccountChange<R> decided;
        try {
          decided = Objects.requireNonNull(change.apply(snapshot), "change returned null");
        } finally {
          snapshot.open = false;
        }
        applyAndCommit(connection, owner, decided, snapshot.handedOut, stage);
        return decided.result();
      } catch (SnapshotFailure failure) {
        Failures.rollbackQuietly(connection, failure.getCause());
        throw failure.getCause();
      } catch (Throwable failure) {
        Failures.rollbackQuietly(connection, failure);
        throw failure;
      }
    }
  }

  /** Locks the account's row, inserting it on first use; returns its token counts by origin. */
  private long[] lockAccount(Connection connection, String owner) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(lockAccountSql)) {
      lock.setString(1, owner);
      try (ResultSet rs = lock.executeQuery()) {
        if (rs.next()) {
          return new long[] {rs.getLong(1), rs.getLong(2)};
        }
      }
      // First change of this account: create its row, then lock it (a concurrent first change
      // may have created it meanwhile; ON CONFLICT then waits for it and does nothing).
      try (PreparedStatement insert = connection.prepareStatement(insertAccountSql)) {
        insert.setString(1, owner);
        insert.executeUpdate();
      }
      try (ResultSet rs = lock.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("the account row just inserted cannot be locked");
        }
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /**
   * Applies the change's deletes, then its puts, and commits. The last put, the change feed's
   * notices and the {@code COMMIT} go to PostgreSQL in one round trip, so that a create holds its
   * account for two round trips (lock, put and commit) rather than three; PostgreSQL skips the rest
   * of that round trip after a statement fails, so a refused put commits nothing. Every committing
   * change goes through here, so this is where a change feed publishes which tokens changed, in the
   * same transaction, before the commit.
   */
  private void applyAndCommit(
      Connection connection, String owner, AccountChange<?> change, Set<UUID> read, Stage stage)
      throws SQLException {
    List<StoredToken> puts = change.puts();
    for (StoredToken put : puts) {
      if (!put.token().owner().equals(owner)) {
        throw new IllegalArgumentException(
            "puts: token " + put.token().id() + " belongs to another account than the one updated");
      }
    }
    Set<UUID> changed = new LinkedHashSet<>();
    if (!change.deletes().isEmpty()) {
      Set<UUID> deleted = new HashSet<>();
      try (PreparedStatement delete = connection.prepareStatement(deleteSql)) {
        Array ids = connection.createArrayOf("uuid", change.deletes().toArray());
        delete.setString(1, owner);
        delete.setArray(2, ids);
        delete.setString(3, owner);
        try (ResultSet rs = delete.executeQuery()) {
          while (rs.next()) {
            deleted.add(rs.getObject(1, UUID.class));
          }
        }
      }
      for (UUID id : change.deletes()) {
        if (!deleted.contains(id)) {
          throw new IllegalArgumentException(
              "deletes: the account holds no token " + id + "; only its own tokens can be deleted");
        }
      }
      changed.addAll(change.deletes());
    }
    for (StoredToken put : puts) {
      changed.add(put.token().id());
    }
    int last = puts.size() - 1;
    for (StoredToken put : puts.subList(0, Math.max(last, 0))) {
      int kind = putKind(put, read, stage);
      try (PreparedStatement statement = connection.prepareStatement(putSql(kind))) {
        bindPut(statement, 1, owner, put, kind);
        try {
          statement.execute();
        } catch (SQLException e) {
          throw refusedPut(connection, owner, put, kind, stage, e);
        }
      }
    }
    // Published whether or not this store listens: other nodes' feeds do.
    List<String> notices = publishChanges ? ChangeNotices.payloads(changed) : List.of();
    stage.committing = true;
    if (last >= 0 || !notices.isEmpty()) {
      int kind = last >= 0 ? putKind(puts.get(last), read, stage) : PUT_NONE;
      String sql = finishSql[kind][notices.size()];
      try (PreparedStatement finish = connection.prepareStatement(sql)) {
        int index = 1;
        if (last >= 0) {
          index = bindPut(finish, index, owner, puts.get(last), kind);
        }
        for (String notice : notices) {
          finish.setString(index++, schema.changeChannel());
          finish.setString(index++, notice);
        }
        try {
          finish.execute();
        } catch (SQLException e) {
          throw last >= 0 ? refusedPut(connection, owner, puts.get(last), kind, stage, e) : e;
        }
      }
    }
    // Commits when nothing was sent above; else the transaction is over, and this sends nothing.
    connection.commit();
  }

  /**
   * How to put {@code put}: as a replacement when the snapshot handed it out (or the attempt
   * replaces only), else as the insert of a new row of its origin.
   */
  private static int putKind(StoredToken put, Set<UUID> read, Stage stage) {
    return stage.replaceOnly || read.contains(put.token().id())
        ? PUT_UPSERT
        : TokenRows.originCode(put.token().origin());
  }

  private String putSql(int kind) {
    return kind == PUT_UPSERT ? upsertSql : insertSql[kind];
  }

  /**
   * Binds a put to the statement of its kind from parameter {@code first}; returns the next one.
   */
  private static int bindPut(
      PreparedStatement statement, int first, String owner, StoredToken put, int kind)
      throws SQLException {
    if (kind != PUT_UPSERT) {
      statement.setString(first, owner);
      TokenRows.bind(statement, first + 1, put);
      return first + 1 + TokenRows.COLUMN_COUNT;
    }
    statement.setObject(first, put.token().id());
    TokenRows.bind(statement, first + 1, put);
    statement.setString(first + 1 + TokenRows.COLUMN_COUNT, owner);
    return first + 2 + TokenRows.COLUMN_COUNT;
  }

  /**
   * Throws what a failed put means when it is the caller's mistake: PostgreSQL refused it for its
   * lookup key, or it replaced nothing (the transaction is then rolled back here, and the reason
   * looked up). Otherwise returns {@code e}, for the caller to throw; when an insert found its id
   * or lookup key taken, marks the stage so that {@link #update} runs again with replacements.
   */
  private SQLException refusedPut(
      Connection connection, String owner, StoredToken put, int kind, Stage stage, SQLException e)
      throws SQLException {
    String state = e.getSQLState();
    boolean taken =
        Failures.UNIQUE_VIOLATION.equals(state) || Failures.EXCLUSION_VIOLATION.equals(state);
    if (taken && kind != PUT_UPSERT) {
      // The id, or the lookup key, is taken: by this very token, perhaps, which the upsert of the
      // next attempt then replaces; it refuses what is the caller's mistake.
      stage.idTaken = true;
      return e;
    }
    if (taken) {
      throw new IllegalArgumentException(
          "puts: token " + put.token().id() + " has a lookup key another token already has");
    }
    if (Failures.DIVISION_BY_ZERO.equals(state)) {
      connection.rollback();
      throw refusedReplacement(connection, owner, put);
    }
    return e;
  }

  /** Says why an upsert replaced nothing: the id is another account's, or the key differs. */
  private IllegalArgumentException refusedReplacement(
      Connection connection, String owner, StoredToken put) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ownerOfSql)) {
      statement.setString(1, owner);
      statement.setObject(2, put.token().id());
      try (ResultSet rs = statement.executeQuery()) {
        boolean sameOwner = rs.next() && rs.getBoolean(1);
        return new IllegalArgumentException(
            "puts: token "
                + put.token().id()
                + (sameOwner
                    ? " carries another lookup key; a lookup key never changes"
                    : " is another account's token; a token's id is unique over all accounts"));
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code UPDATE ... WHERE last_used_at IS NULL OR last_used_at < ?} in its own
   * transaction: it waits only for the row lock of a concurrent {@link #update} that read the
   * token, never for the account. When it changes nothing, a second query tells an earlier use from
   * a token the account does not hold.
   */
  @Override
  public boolean recordLastUse(String owner, UUID id, Instant usedAt) {
    TokenRows.text("owner", Objects.requireNonNull(owner, "owner"));
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(usedAt, "usedAt");
    try (Connection connection = connect()) {
      try (PreparedStatement update = connection.prepareStatement(recordLastUseSql)) {
        update.setObject(1, TokenRows.timestamp(usedAt));
        update.setObject(2, id);
        update.setString(3, owner);
        update.setObject(4, TokenRows.timestamp(usedAt));
        if (update.executeUpdate() > 0) {
          return true;
        }
      }
      try (PreparedStatement holds = connection.prepareStatement(holdsSql)) {
        holds.setObject(1, id);
        holds.setString(2, owner);
        try (ResultSet rs = holds.executeQuery()) {
          return rs.next();
        }
      }
    } catch (SQLException e) {
      throw Failures.translate("recording a token's last use", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Present when the builder was given {@link Builder#changeFeed(DataSource)}: a {@link
   * PostgresChangeFeed} on the channel of this store's schema and prefix.
   */
  @Override
  public Optional<TokenChangeFeed> changeFeed() {
    return Optional.ofNullable(changeFeed);
  }

  /** Returns a connection that commits each statement on its own. */
  private Connection connect() throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static Optional<StoredToken> readOne(PreparedStatement statement) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      return rs.next() ? Optional.of(TokenRows.read(rs, 1)) : Optional.empty();
    }
  }

  /** Shows the schema and prefix; nothing else about the store is worth printing. */
  @Override
  public String toString() {
    return "PostgresTokenStore[schema=" + schema.schema + ", tablePrefix=" + schema.prefix + "]";
  }

  /** A snapshot's query failed; carries the SQLException through the change function. */
  private static final class SnapshotFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SnapshotFailure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  /** The snapshot of {@link #update}: queries inside the transaction that holds the account. */
  private final class JdbcSnapshot implements AccountSnapshot {
    private final Connection connection;
    private final String owner;
    private final long[] counts;

    /** The ids of the tokens this snapshot handed out: their puts are replacements. */
    final Set<UUID> handedOut = new HashSet<>();

    boolean open = true;

    JdbcSnapshot(Connection connection, String owner, long[] counts) {
      this.connection = connection;
      this.owner = owner;
      this.counts = counts;
    }

    @Override
    public String owner() {
      return owner;
    }

    @Override
    public Optional<StoredToken> find(UUID id) {
      Objects.requireNonNull(id, "id");
      checkOpen();
      try (PreparedStatement statement = connection.prepareStatement(snapshotFindSql)) {
        statement.setObject(1, id);
        statement.setString(2, owner);
        Optional<StoredToken> found = readOne(statement);
        if (found.isPresent()) {
          handedOut.add(id);
        }
        return found;
      } catch (SQLException e) {
        throw new SnapshotFailure(e);
      }
    }

    /** Answered from the account's row, read when it was locked: no rows are counted. */
    @Override
    public long count(TokenOrigin origin) {
      Objects.requireNonNull(origin, "origin");
      checkOpen();
      return origin == TokenOrigin.MANUAL ? counts[0] : counts[1];
    }

    @Override
    public List<StoredToken> tokens(TokenOrigin origin) {
      Objects.requireNonNull(origin, "origin");
      checkOpen();
      try (PreparedStatement statement = connection.prepareStatement(snapshotTokensSql)) {
        statement.setString(1, owner);
        statement.setShort(2, TokenRows.originCode(origin));
        List<StoredToken> tokens = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            StoredToken token = TokenRows.read(rs, 1);
            handedOut.add(token.token().id());
            tokens.add(token);
          }
        }
        return Collections.unmodifiableList(tokens);
      } catch (SQLException e) {
        throw new SnapshotFailure(e);
      }
    }

    private void checkOpen() {
      if (!open) {
        throw new IllegalStateException("an account snapshot is valid only during update");
      }
    }
  }

  /**
   * Configures a {@link PostgresTokenStore}. Every setter validates its argument at once; {@link
   * #build()} then runs the {@link SchemaMode}.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String schema = "public";
    private String tablePrefix = "scopedtokens_";
    private SchemaMode schemaMode = SchemaMode.VALIDATE;
    private int maxAttempts = 3;
    private PostgresChangeFeed.Builder changeFeed;
    private boolean publishChanges = true;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Sets the schema the tables live in; {@code public} by default.
     *
     * @param schema 1 to 63 of {@code a-z}, {@code 0-9} and {@code _}, not starting with a digit
     * @throws IllegalArgumentException naming what is allowed, when it is not
     */
    public Builder schema(String schema) {
      this.schema = Schema.checkSchema(schema);
      return this;
    }

    /**
     * Sets the prefix of the table names ({@code <prefix>tokens}, {@code <prefix>accounts}, {@code
     * <prefix>schema_history}); {@code scopedtokens_} by default.
     *
     * @param tablePrefix 0 to 43 of {@code a-z}, {@code 0-9} and {@code _}, not starting with a
     *     digit
     * @throws IllegalArgumentException naming what is allowed, when it is not
     */
    public Builder tablePrefix(String tablePrefix) {
      this.tablePrefix = Schema.checkPrefix(tablePrefix);
      return this;
    }

    /** Sets what {@link #build()} does about the schema; {@link SchemaMode#VALIDATE} by default. */
    public Builder schemaMode(SchemaMode schemaMode) {
      this.schemaMode = Objects.requireNonNull(schemaMode, "schemaMode");
      return this;
    }

    /**
     * Sets how many times {@link PostgresTokenStore#update} runs a transaction that PostgreSQL
     * aborted for a serialization failure or a deadlock before it gives up; 3 by default.
     *
     * @param maxAttempts 1 (no retry) to 100
     * @throws IllegalArgumentException when out of that range
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + "; must be 1 to 100");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Follows the changes every store over this schema commits, on a {@link PostgresChangeFeed}
     * that listens on a connection from {@code listenConnections}, with the feed's default
     * settings: a {@code TokenService} over this store then drops a token's cached verification
     * when any node changes the token. (Publishing needs no feed: see {@link #publishChanges}.)
     *
     * @param listenConnections a data source of its own for the one long-lived {@code LISTEN}
     *     connection (a {@code PGSimpleDataSource}, say), never the store's pool
     */
    public Builder changeFeed(DataSource listenConnections) {
      return changeFeed(PostgresChangeFeed.listeningOn(listenConnections));
    }

    /** As {@link #changeFeed(DataSource)}, with the feed's settings. */
    public Builder changeFeed(PostgresChangeFeed.Builder settings) {
      this.changeFeed = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Whether every committed change is announced ({@code NOTIFY} in its transaction) to the change
     * feeds of the other stores over this schema; default {@code true}, with or without a {@link
     * #changeFeed(DataSource) feed} of this store's own. A store that only writes (a batch job, an
     * admin tool) therefore still tells every node when it deactivates or deletes a token. Turn it
     * off only where no store over the schema listens: a single node without a feed.
     */
    public Builder publishChanges(boolean publish) {
      this.publishChanges = publish;
      return this;
    }

    /**
     * Returns the SQL that {@link SchemaMode#MIGRATE} runs on an empty database for this schema and
     * prefix, as one script to hand to a DBA ({@code psql -1 -f}): the schema, the tables and
     * indexes, and the history rows that {@link SchemaMode#VALIDATE} then checks. Touches no
     * database.
     */
    public String ddl() {
      return new Schema(schema, tablePrefix).ddl();
    }

    /**
     * Returns the store, after running the schema mode.
     *
     * @throws TokenStoreException of kind {@code SCHEMA} when {@link SchemaMode#VALIDATE} finds
     *     another version than the store needs, or when the database fails
     */
    public PostgresTokenStore build() {
      PostgresTokenStore store = new PostgresTokenStore(this);
      switch (schemaMode) {
        case VALIDATE -> store.schema.validate(dataSource);
        case MIGRATE -> store.schema.migrate(dataSource);
        case NONE -> {}
      }
      return store;
    }
  }
}
