package dev.scopedtokens.benchmarks.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL a check runs on: {@code SCOPEDTOKENS_PG_URL} (with {@code SCOPEDTOKENS_PG_USER}
 * and {@code SCOPEDTOKENS_PG_PASSWORD}) when set, else an embedded server started for the run and
 * removed after it. Hands out one HikariCP pool that the store and the bare JDBC side share.
 */
final class BenchmarkDatabase implements AutoCloseable {
  private final EmbeddedPostgres embedded;
  private final Path directory;
  private final HikariDataSource pool;
  private final String description;

  private BenchmarkDatabase(
      EmbeddedPostgres embedded, Path directory, PGSimpleDataSource direct, String description) {
    this.embedded = embedded;
    this.directory = directory;
    this.description = description;
    HikariConfig config = new HikariConfig();
    config.setDataSource(direct);
    config.setMaximumPoolSize(16);
    config.setPoolName("scopedtokens-benchmarks");
    this.pool = new HikariDataSource(config);
  }

  static BenchmarkDatabase start() throws IOException {
    String url = System.getenv("SCOPEDTOKENS_PG_URL");
    if (url != null && !url.isBlank()) {
      PGSimpleDataSource direct = new PGSimpleDataSource();
      direct.setURL(url);
      direct.setUser(System.getenv().getOrDefault("SCOPEDTOKENS_PG_USER", "postgres"));
      direct.setPassword(System.getenv().getOrDefault("SCOPEDTOKENS_PG_PASSWORD", ""));
      return new BenchmarkDatabase(null, null, direct, url);
    }
    Path directory = Files.createTempDirectory("scopedtokens-pg-bench");
    EmbeddedPostgres server =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setServerConfig("max_connections", "100")
            .setServerConfig("shared_buffers", "256MB")
            .start();
    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(server.getJdbcUrl("postgres", "postgres"));
    return new BenchmarkDatabase(
        server,
        directory,
        direct,
        "embedded PostgreSQL (zonky binaries, synchronous_commit=off, shared_buffers=256MB)");
  }

  HikariDataSource pool() {
    return pool;
  }

  String description() {
    return description;
  }

  @Override
  public void close() throws IOException {
    pool.close();
    if (embedded != null) {
      embedded.close();
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
