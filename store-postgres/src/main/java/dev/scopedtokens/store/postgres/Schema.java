package dev.scopedtokens.store.postgres;

import dev.scopedtokens.store.TokenStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The store's tables in one schema under one prefix, and the small migrator that creates and checks
 * them: versioned plain SQL resources ({@code V1__tokens.sql}, ...), applied in order in one
 * transaction under an advisory lock, and recorded in a history table.
 */
final class Schema {
  /** The schema version this store reads and writes. */
  static final int CURRENT_VERSION = 1;

  /** Every migration, in order; version n is at index n - 1. */
  private static final List<String> SCRIPTS = List.of("V1__tokens.sql");

  /** Unquoted lowercase identifiers only: nothing to quote, nothing to inject. */
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  private static final Pattern PREFIX = Pattern.compile("([a-z_][a-z0-9_]*)?");

  /** PostgreSQL's NAMEDATALEN - 1. */
  private static final int MAX_IDENTIFIER_LENGTH = 63;

  private static final String HISTORY = "schema_history";

  /** The longest table name suffix the prefix is put before, including index names. */
  private static final int LONGEST_SUFFIX = "tokens_owner_created".length();

  final String schema;
  final String prefix;

  Schema(String schema, String prefix) {
    this.schema = checkSchema(schema);
    this.prefix = checkPrefix(prefix);
  }

  static String checkSchema(String schema) {
    Objects.requireNonNull(schema, "schema");
    if (!IDENTIFIER.matcher(schema).matches() || schema.length() > MAX_IDENTIFIER_LENGTH) {
      throw new IllegalArgumentException(
          "schema: '"
              + printable(schema)
              + "' is not allowed; give 1 to "
              + MAX_IDENTIFIER_LENGTH
              + " of a-z, 0-9 and _, not starting with a digit");
    }
    return schema;
  }

  static String checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "tablePrefix");
    int longest = MAX_IDENTIFIER_LENGTH - LONGEST_SUFFIX;
    if (!PREFIX.matcher(prefix).matches() || prefix.length() > longest) {
      throw new IllegalArgumentException(
          "tablePrefix: '"
              + printable(prefix)
              + "' is not allowed; give 0 to "
              + longest
              + " of a-z, 0-9 and _, not starting with a digit");
    }
    return prefix;
  }

  /** Shows at most 80 characters of a refused name, without control characters. */
  private static String printable(String name) {
    String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
    return shown
        .codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  /** Returns the qualified name of one of the store's tables, such as {@code public.x_tokens}. */
  /**
   * The channel of this schema's change feed: {@code <schema>.<prefix>changes}, so that stores in
   * different schemas of one database do not hear each other.
   *
   * @throws IllegalArgumentException when it is longer than PostgreSQL's 63-byte identifiers
   */
  String changeChannel() {
    String channel = schema + "." + prefix + "changes";
    if (channel.length() > 63) {
      throw new IllegalArgumentException(
          "changeFeed: the channel name "
              + channel
              + " is longer than PostgreSQL's 63 characters; choose a shorter schema or prefix");
    }
    return channel;
  }

  String table(String name) {
    return schema + "." + prefix + name;
  }

  /** Returns the script of {@code version} with its placeholders filled in. */
  String script(int version) {
    return render(template(version));
  }

  private String render(String template) {
    return template.replace("${schema}", schema).replace("${prefix}", prefix);
  }

  /**
   * Returns everything {@link PostgresTokenStore.SchemaMode#MIGRATE} would run on an empty
   * database, as one script a DBA can read and apply with psql: the schema, the history table,
   * every version and its history row, in one transaction.
   */
  String ddl() {
    StringBuilder sql = new StringBuilder();
    sql.append("-- Scoped Tokens PostgreSQL store, schema version ")
        .append(CURRENT_VERSION)
        .append(", for schema ")
        .append(schema)
        .append(" and table prefix '")
        .append(prefix)
        .append("'.\nBEGIN;\n\n")
        .append("CREATE SCHEMA IF NOT EXISTS ")
        .append(schema)
        .append(";\n\n")
        .append(createHistory())
        .append(";\n");
    for (int version = 1; version <= CURRENT_VERSION; version++) {
      sql.append("\n-- ").append(SCRIPTS.get(version - 1)).append('\n');
      sql.append(script(version).strip()).append('\n');
      sql.append("INSERT INTO ")
          .append(table(HISTORY))
          .append(" (version, script, checksum) VALUES (")
          .append(version)
          .append(", '")
          .append(SCRIPTS.get(version - 1))
          .append("', '")
          .append(checksum(version))
          .append("');\n");
    }
    return sql.append("\nCOMMIT;\n").toString();
  }

  private String createHistory() {
    return "CREATE TABLE IF NOT EXISTS "
        + table(HISTORY)
        + " (\n"
        + "  version    integer     PRIMARY KEY,\n"
        + "  script     text        NOT NULL,\n"
        + "  checksum   text        NOT NULL,\n"
        + "  applied_at timestamptz NOT NULL DEFAULT now()\n"
        + ")";
  }

  /**
   * Brings the schema to {@link #CURRENT_VERSION}: creates what is missing and applies every
   * version not yet recorded, in one transaction. Concurrent starts wait for each other on an
   * advisory lock, so each version is applied once.
   */
  void migrate(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement lock =
            connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, advisoryLockKey());
          lock.execute();
        }
        boolean schemaExists;
        try (PreparedStatement exists =
            connection.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
          exists.setString(1, schema);
          try (ResultSet rs = exists.executeQuery()) {
            schemaExists = rs.next();
          }
        }
        try (Statement statement = connection.createStatement()) {
          if (!schemaExists) {
            statement.execute("CREATE SCHEMA " + schema);
          }
          statement.execute(createHistory());
        }
        int found = foundVersion(connection);
        checkNotNewer(found);
        for (int version = found + 1; version <= CURRENT_VERSION; version++) {
          try (Statement statement = connection.createStatement()) {
            statement.execute(script(version));
          }
          try (PreparedStatement record =
              connection.prepareStatement(
                  "INSERT INTO "
                      + table(HISTORY)
                      + " (version, script, checksum) VALUES (?, ?, ?)")) {
            record.setInt(1, version);
            record.setString(2, SCRIPTS.get(version - 1));
            record.setString(3, checksum(version));
            record.executeUpdate();
          }
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        Failures.rollbackQuietly(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw Failures.translate("migrating the schema " + schema, e);
    }
  }

  /** Refuses to go on unless the schema is at {@link #CURRENT_VERSION}; changes nothing. */
  void validate(DataSource dataSource) {
    int found;
    try (Connection connection = dataSource.getConnection()) {
      found = exists(connection) ? foundVersion(connection) : 0;
    } catch (SQLException e) {
      throw Failures.translate("validating the schema " + schema, e);
    }
    checkNotNewer(found);
    if (found < CURRENT_VERSION) {
      throw new TokenStoreException(
          TokenStoreException.Kind.SCHEMA,
          "PostgreSQL store: the tables under schema "
              + schema
              + " and prefix '"
              + prefix
              + "' are at schema version "
              + (found == 0 ? "none (no " + table(HISTORY) + ")" : Integer.toString(found))
              + ", and this store needs version "
              + CURRENT_VERSION
              + "; build it with SchemaMode.MIGRATE, or have the DDL from"
              + " PostgresTokenStore.Builder.ddl() applied");
    }
  }

  private boolean exists(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?)")) {
      statement.setString(1, table(HISTORY));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getString(1) != null;
      }
    }
  }

  private int foundVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT coalesce(max(version), 0) FROM " + table(HISTORY))) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void checkNotNewer(int found) {
    if (found > CURRENT_VERSION) {
      throw new TokenStoreException(
          TokenStoreException.Kind.SCHEMA,
          "PostgreSQL store: the tables under schema "
              + schema
              + " and prefix '"
              + prefix
              + "' are at schema version "
              + found
              + ", newer than version "
              + CURRENT_VERSION
              + " that this store knows; use the scopedtokens-store-postgres release that"
              + " migrated them, or a later one");
    }
  }

  /** A key for pg_advisory_xact_lock of its own for each schema and prefix. */
  long advisoryLockKey() {
    byte[] digest =
        sha256(
            ("scopedtokens-store-postgres:" + schema + "." + prefix)
                .getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(digest).getLong();
  }

  private static String checksum(int version) {
    return HexFormat.of().formatHex(sha256(template(version).getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** Returns the script of {@code version} as shipped, placeholders and all. */
  static String template(int version) {
    if (version < 1 || version > SCRIPTS.size()) {
      throw new IllegalArgumentException(
          "version: " + version + "; must be 1 to " + SCRIPTS.size());
    }
    String name = SCRIPTS.get(version - 1);
    try (InputStream in = Schema.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + name, e);
    }
  }
}
