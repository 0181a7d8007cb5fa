package dev.scopedtokens.server.standalone;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.store.postgres.PostgresTokenStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import java.util.function.Function;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens the token store that {@code store:} names: in memory, or PostgreSQL through a bounded
 * HikariCP pool. The password is read from a file or an environment variable when the store opens,
 * handed to the pool, and kept nowhere else; no message or log line holds it.
 */
final class Stores {
  /** How long a request waits for a connection, and a new connection for PostgreSQL to answer. */
  static final int CONNECTION_TIMEOUT_MILLIS = 5_000;

  private Stores() {}

  /** A store with what closes it, and a description without credentials. */
  record Opened(TokenStore store, AutoCloseable closer, String description) {}

  static Opened open(StandaloneConfig.StoreSettings settings) {
    return open(settings, System::getenv);
  }

  static Opened open(
      StandaloneConfig.StoreSettings settings, Function<String, String> environment) {
    if (settings.inMemory()) {
      return new Opened(new InMemoryTokenStore(), () -> {}, "memory");
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("scopedtokens-store");
    config.setDriverClassName("org.postgresql.Driver");
    config.setJdbcUrl(settings.url());
    settings.user().ifPresent(config::setUsername);
    Optional<String> password = password(settings, environment);
    password.ifPresent(config::setPassword);
    config.setMaximumPoolSize(settings.maxConnections());
    config.setMinimumIdle(Math.min(2, settings.maxConnections()));
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    config.setValidationTimeout(2_000);
    // One attempt at start: a server that cannot reach its database says so and exits.
    config.setInitializationFailTimeout(1);
    // The driver's own bounds, unless the URL sets them (its parameters win): a dead or silent
    // database fails a request in seconds rather than holding a server thread.
    config.addDataSourceProperty("connectTimeout", "5");
    config.addDataSourceProperty("socketTimeout", "30");
    config.addDataSourceProperty("ApplicationName", "scopedtokens-server");

    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "store.url: cannot connect to " + settings.where() + " (" + rootMessage(e) + ")", e);
    }
    try {
      PostgresTokenStore.Builder builder = PostgresTokenStore.builder(pool);
      try {
        builder.schema(settings.schema());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("store.schema: " + e.getMessage(), e);
      }
      // The change feed listens on a connection of its own, never one of the pool's, so that
      // every node's cache drops a token that another node changed.
      PGSimpleDataSource listen = new PGSimpleDataSource();
      listen.setURL(settings.url());
      settings.user().ifPresent(listen::setUser);
      password.ifPresent(listen::setPassword);
      listen.setApplicationName("scopedtokens-server-listen");
      listen.setConnectTimeout(CONNECTION_TIMEOUT_MILLIS / 1_000);
      PostgresTokenStore store =
          builder.schemaMode(settings.schemaMode()).changeFeed(listen).build();
      return new Opened(
          store,
          pool::close,
          "postgresql:"
              + settings.where()
              + " schema="
              + settings.schema()
              + " maxConnections="
              + settings.maxConnections());
    } catch (IllegalArgumentException e) {
      pool.close();
      throw e;
    } catch (RuntimeException e) {
      pool.close();
      // The schema check and migration say what they found and what they need.
      throw new IllegalArgumentException("store: " + e.getMessage(), e);
    }
  }

  private static Optional<String> password(
      StandaloneConfig.StoreSettings settings, Function<String, String> environment) {
    if (settings.passwordFile().isPresent()) {
      String text;
      try {
        text = Files.readString(settings.passwordFile().get(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "store.passwordFile: "
                + settings.passwordFile().get()
                + " cannot be read ("
                + e.getClass().getSimpleName()
                + ")",
            e);
      }
      // The file's one line, without the line end an editor adds.
      String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text;
      password = password.endsWith("\n") ? password.substring(0, password.length() - 1) : password;
      if (password.isEmpty()) {
        throw new IllegalArgumentException(
            "store.passwordFile: " + settings.passwordFile().get() + " is empty");
      }
      return Optional.of(password);
    }
    if (settings.passwordEnv().isPresent()) {
      String name = settings.passwordEnv().get();
      String password = environment.apply(name);
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException(
            "store.passwordEnv: the environment variable " + name + " is not set");
      }
      return Optional.of(password);
    }
    return Optional.empty();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
