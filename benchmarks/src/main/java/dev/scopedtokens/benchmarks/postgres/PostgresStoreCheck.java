package dev.scopedtokens.benchmarks.postgres;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.postgres.PostgresTokenStore;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.TokenOrigin;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The PostgreSQL store against bare JDBC on the same {@link DataSource} (one HikariCP pool), in one
 * run, in interleaved rounds so that drift of a shared machine hits both sides alike:
 *
 * <ul>
 *   <li>{@code verify}: {@link TokenService#verify} (HMAC-SHA-256 verifier, cache off) against a
 *       bare {@code SELECT ... WHERE lookup_key = ?} plus an HMAC-SHA-256 of the token. Target: at
 *       most 1.3 times the bare time.
 *   <li>{@code create}: {@link TokenService#create} at 8 threads over 1,000 accounts and over one
 *       account, against a bare transaction that locks the account row, inserts the token row and
 *       commits. Target: at least 0.8 times the bare throughput.
 *   <li>{@code list}: a page of 100 at offset 0 and at offset 10,000 of an account of 10,100
 *       tokens, beside the keyset query that would replace the offset.
 *   <li>{@code size[=N]}: table plus indexes per token at N tokens (default 1,000,000) over N/10
 *       accounts with Argon2id verifiers. Target: at most 512 bytes per token.
 * </ul>
 *
 * <p>Run: {@code mvn -q -B -ntp -pl benchmarks -am package -DskipTests && java -cp
 * benchmarks/target/benchmarks.jar dev.scopedtokens.benchmarks.postgres.PostgresStoreCheck verify
 * create list size} (on an embedded PostgreSQL; set {@code SCOPEDTOKENS_PG_URL} for another).
 */
public final class PostgresStoreCheck {
  private static final int THREADS = 8;
  private static final TokenFormat FORMAT = TokenFormat.defaults();

  private final DataSource pool;

  private PostgresStoreCheck(DataSource pool) {
    this.pool = pool;
  }

  /** Runs the checks named in {@code args}, or all of them. */
  public static void main(String[] args) throws Exception {
    List<String> checks =
        args.length == 0 ? List.of("verify", "create", "list", "size") : Arrays.asList(args);
    try (BenchmarkDatabase database = BenchmarkDatabase.start()) {
      System.out.println("PostgreSQL: " + database.description());
      System.out.println(
          "Machine: "
              + Runtime.getRuntime().availableProcessors()
              + " cores, Java "
              + Runtime.version());
      PostgresStoreCheck check = new PostgresStoreCheck(database.pool());
      System.out.println("Server: " + check.queryString("SELECT version()"));
      for (String name : checks) {
        if (name.equals("verify")) {
          check.verify();
        } else if (name.equals("create")) {
          check.create();
        } else if (name.equals("list")) {
          check.list();
        } else if (name.startsWith("size")) {
          int tokens = name.contains("=") ? Integer.parseInt(name.split("=")[1]) : 1_000_000;
          check.size(tokens);
        } else {
          throw new IllegalArgumentException(
              "check: " + name + "; must be verify, create, list or size[=N]");
        }
      }
    }
  }

  // -----------------------------------------------------------------------------------------------
  // verify

  private void verify() throws Exception {
    PostgresTokenStore store = freshStore("bench_verify");
    SecretKeySpec pepper = pepper();
    // Every token is used in the warm-up, and no last use falls due again during the run: the
    // measured verifies are the read path alone, as for any token used in the last interval.
    TokenService service =
        TokenService.builder()
            .store(store)
            .hasher(HmacSha256Hasher.withPepper(pepper))
            .disableCache()
            .lastUseWriteInterval(java.time.Duration.ofHours(1))
            .build();
    int tokens = 1_000;
    List<TokenSecret> secrets = new ArrayList<>();
    List<byte[]> lookupKeys = new ArrayList<>();
    for (int i = 0; i < tokens; i++) {
      TokenSecret secret =
          service.create("user" + (i % 100), TokenRequest.of("bench", Scope.REPO_READ)).secret();
      secrets.add(secret);
      lookupKeys.add(FORMAT.lookupKey(secret).toBytes());
    }
    String bareSql =
        "SELECT id, created_at, last_used_at, expires_at, revoked_at, scopes, origin, active,"
            + " owner, lookup_key, encoded_hash, label, client_id, client_ip, client_user_agent"
            + " FROM bench_verify.scopedtokens_tokens WHERE lookup_key = ?";
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(pepper);
    int batch = 2_000;
    Round storeSide =
        () -> {
          for (int i = 0; i < batch; i++) {
            if (!service.verify(secrets.get(i % tokens)).isVerified()) {
              throw new IllegalStateException("a valid token did not verify");
            }
          }
        };
    Round bareSide =
        () -> {
          for (int i = 0; i < batch; i++) {
            byte[] hmac =
                mac.doFinal(secrets.get(i % tokens).reveal().getBytes(StandardCharsets.UTF_8));
            try (Connection connection = pool.getConnection();
                PreparedStatement select = connection.prepareStatement(bareSql)) {
              select.setBytes(1, lookupKeys.get(i % tokens));
              try (ResultSet rs = select.executeQuery()) {
                if (!rs.next() || rs.getString(11).isEmpty() || hmac.length != 32) {
                  throw new IllegalStateException("the bare lookup found nothing");
                }
              }
            }
          }
        };
    Ratio ratio = interleave(storeSide, bareSide, batch, 3, 10);
    System.out.printf(
        Locale.ROOT,
        "verify (HMAC, cache off, 1 thread): store %,.0f/s, bare SELECT+HMAC %,.0f/s;"
            + " store time / bare time = %.2f (target <= 1.3)%n",
        ratio.storePerSecond,
        ratio.barePerSecond,
        ratio.bareOverStore);
  }

  // -----------------------------------------------------------------------------------------------
  // create

  private void create() throws Exception {
    for (int accounts : new int[] {1_000, 1}) {
      String schema = "bench_create_" + accounts;
      PostgresTokenStore store = freshStore(schema);
      TokenService service =
          TokenService.builder()
              .store(store)
              .hasher(HmacSha256Hasher.withPepper(pepper()))
              .disableCache()
              .build();
      for (int a = 0; a < accounts; a++) {
        service.create("acct" + a, TokenRequest.of("first", Scope.REPO_READ));
      }
      String lock = "SELECT 1 FROM " + schema + ".scopedtokens_accounts WHERE owner = ? FOR UPDATE";
      String insert =
          "INSERT INTO "
              + schema
              + ".scopedtokens_tokens (id, created_at, last_used_at, expires_at, revoked_at,"
              + " scopes, origin, active, owner, lookup_key, encoded_hash, label, client_id,"
              + " client_ip, client_user_agent) VALUES (?, ?, NULL, NULL, NULL, 2, 1, true, ?, ?, ?,"
              + " ?, NULL, NULL, NULL)";
      int perThread = 250;
      Round storeSide =
          () ->
              onThreads(
                  () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < perThread; i++) {
                      service.create(
                          "acct" + random.nextInt(accounts),
                          TokenRequest.of("bench", Scope.REPO_READ));
                    }
                  });
      Round bareSide =
          () ->
              onThreads(
                  () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    byte[] key = new byte[32];
                    for (int i = 0; i < perThread; i++) {
                      String owner = "acct" + random.nextInt(accounts);
                      random.nextBytes(key);
                      try (Connection connection = pool.getConnection()) {
                        connection.setAutoCommit(false);
                        try (PreparedStatement locking = connection.prepareStatement(lock)) {
                          locking.setString(1, owner);
                          try (ResultSet rs = locking.executeQuery()) {
                            rs.next();
                          }
                        }
                        try (PreparedStatement inserting = connection.prepareStatement(insert)) {
                          inserting.setObject(1, UUID.randomUUID());
                          inserting.setObject(
                              2, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
                          inserting.setString(3, owner);
                          inserting.setBytes(4, key);
                          inserting.setString(5, "$hmac-sha256$bare");
                          inserting.setString(6, "bench");
                          inserting.executeUpdate();
                        }
                        connection.commit();
                        connection.setAutoCommit(true);
                      }
                    }
                  });
      Ratio ratio = interleave(storeSide, bareSide, THREADS * perThread, 2, 8);
      System.out.printf(
          Locale.ROOT,
          "create (HMAC, %d threads, %,d account%s): store %,.0f/s, bare lock+insert+commit"
              + " %,.0f/s; store / bare throughput = %.2f (target >= 0.8)%n",
          THREADS,
          accounts,
          accounts == 1 ? "" : "s",
          ratio.storePerSecond,
          ratio.barePerSecond,
          ratio.storePerSecond / ratio.barePerSecond);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // list

  private void list() throws Exception {
    PostgresTokenStore store = freshStore("bench_list");
    int total = 10_100;
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<StoredToken> tokens = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < total; i++) {
      tokens.add(realistic("big", t0.plusSeconds(i), random, "$hmac-sha256$" + i));
    }
    for (int from = 0; from < total; from += 1_000) {
      List<StoredToken> slice = tokens.subList(from, Math.min(total, from + 1_000));
      store.update(
          "big",
          snapshot -> {
            AccountChange<Boolean> change = AccountChange.none(true);
            for (StoredToken token : slice) {
              change = change.andPut(token);
            }
            return change;
          });
    }
    execute("VACUUM ANALYZE bench_list.scopedtokens_tokens");
    Instant now = t0.plusSeconds(total);
    StoredToken at10000 = store.list("big", 9_999, 1, now).tokens().get(0);
    String keyset =
        "SELECT id, created_at, last_used_at, expires_at, revoked_at, scopes, origin, active,"
            + " owner, lookup_key, encoded_hash, label, client_id, client_ip, client_user_agent"
            + " FROM bench_list.scopedtokens_tokens WHERE owner = ? AND (created_at, id) < (?, ?)"
            + " ORDER BY created_at DESC, id DESC LIMIT 100";
    int calls = 200;
    long[] first = new long[calls];
    long[] deep = new long[calls];
    long[] keysetDeep = new long[calls];
    for (int warm = 0; warm < 2; warm++) {
      for (int i = 0; i < calls; i++) {
        long start = System.nanoTime();
        check(store.list("big", 0, 100, now).tokens().size() == 100);
        first[i] = System.nanoTime() - start;
        start = System.nanoTime();
        check(store.list("big", 10_000, 100, now).tokens().size() == 100);
        deep[i] = System.nanoTime() - start;
        start = System.nanoTime();
        try (Connection connection = pool.getConnection();
            PreparedStatement statement = connection.prepareStatement(keyset)) {
          statement.setString(1, "big");
          statement.setObject(
              2, OffsetDateTime.ofInstant(at10000.token().createdAt(), ZoneOffset.UTC));
          statement.setObject(3, at10000.token().id());
          int rows = 0;
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              rows++;
            }
          }
          check(rows == 100);
        }
        keysetDeep[i] = System.nanoTime() - start;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "list (account of %,d tokens, page of 100, median of %d): offset 0 %.2f ms,"
            + " offset 10,000 %.2f ms; keyset page after token 10,000 (no counts) %.2f ms%n",
        total,
        calls,
        median(first) / 1e6,
        median(deep) / 1e6,
        median(keysetDeep) / 1e6);
  }

  // -----------------------------------------------------------------------------------------------
  // size

  private void size(int tokenCount) throws Exception {
    String schema = "bench_size";
    PostgresTokenStore store = freshStore(schema);
    int accounts = Math.max(1, tokenCount / 10);
    String phc = Argon2idHasher.defaults().hash(FORMAT.generate(new SecureRandom()));
    long started = System.nanoTime();
    try (Connection connection = pool.getConnection()) {
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      StringBuilder rows = new StringBuilder();
      for (int a = 0; a < accounts; a++) {
        rows.append(owner(a)).append('\n');
      }
      copy.copyIn(
          "COPY " + schema + ".scopedtokens_accounts (owner) FROM STDIN",
          new StringReader(rows.toString()));
      SplittableRandom random = new SplittableRandom(42);
      Instant t0 = Instant.parse("2025-06-01T00:00:00Z");
      int chunk = 50_000;
      for (int from = 0; from < tokenCount; from += chunk) {
        rows.setLength(0);
        for (int i = from; i < Math.min(tokenCount, from + chunk); i++) {
          String owner = owner(i % accounts);
          Instant created = t0.plusSeconds(random.nextLong(180L * 86_400)).plusNanos(1_000L * i);
          appendCopyRow(rows, realistic(owner, created, random, argon2Like(phc, random)));
        }
        copy.copyIn(
            "COPY "
                + schema
                + ".scopedtokens_tokens (id, created_at, last_used_at, expires_at, revoked_at,"
                + " scopes, origin, active, owner, lookup_key, encoded_hash, label, client_id,"
                + " client_ip, client_user_agent) FROM STDIN",
            new StringReader(rows.toString()));
      }
    }
    // The accounts' token counts, as the store keeps them; then the accounts table without the
    // dead versions that update left behind.
    execute(
        "UPDATE "
            + schema
            + ".scopedtokens_accounts a SET manual_tokens = c.manual, auto_generated_tokens ="
            + " c.auto FROM (SELECT owner, count(*) FILTER (WHERE origin = 1) AS manual, count(*)"
            + " FILTER (WHERE origin = 2) AS auto FROM "
            + schema
            + ".scopedtokens_tokens GROUP BY owner) c WHERE a.owner = c.owner");
    execute("VACUUM ANALYZE " + schema + ".scopedtokens_tokens");
    execute("VACUUM FULL ANALYZE " + schema + ".scopedtokens_accounts");
    double seconds = (System.nanoTime() - started) / 1e9;
    // The rows read back through the store: they are what the store writes.
    check(store.list(owner(0), 0, 100, Instant.now()).total() >= 1);
    long tokensTotal =
        queryLong("SELECT pg_total_relation_size('" + schema + ".scopedtokens_tokens')");
    long heap = queryLong("SELECT pg_relation_size('" + schema + ".scopedtokens_tokens')");
    long accountsTotal =
        queryLong("SELECT pg_total_relation_size('" + schema + ".scopedtokens_accounts')");
    long count = queryLong("SELECT count(*) FROM " + schema + ".scopedtokens_tokens");
    System.out.printf(
        Locale.ROOT,
        "size (%,d tokens over %,d accounts, Argon2id PHC strings of %d characters, loaded by COPY"
            + " in %.0f s): tokens table + indexes %,d bytes = %.0f B/token (heap %.0f, indexes"
            + " %.0f); with the accounts table %.0f B/token (target <= 512)%n",
        count,
        accounts,
        phc.length(),
        seconds,
        tokensTotal,
        (double) tokensTotal / count,
        (double) heap / count,
        (double) (tokensTotal - heap) / count,
        (double) (tokensTotal + accountsTotal) / count);
    for (String index :
        List.of(
            "scopedtokens_tokens_pkey",
            "scopedtokens_tokens_lookup_key",
            "scopedtokens_tokens_owner_created")) {
      System.out.printf(
          Locale.ROOT,
          "  index %s: %.0f B/token%n",
          index,
          (double) queryLong("SELECT pg_relation_size('" + schema + "." + index + "')") / count);
    }
  }

  private static String owner(int account) {
    return "user-" + account;
  }

  /** An Argon2id PHC string with the parameters of {@code real} and a random salt and hash. */
  private static String argon2Like(String real, SplittableRandom random) {
    String[] parts = real.split("\\$");
    // ["", "argon2id", "v=19", "m=...,t=...,p=...", salt, hash]
    parts[4] = randomBase64(parts[4].length(), random);
    parts[5] = randomBase64(parts[5].length(), random);
    return String.join("$", parts);
  }

  private static String randomBase64(int length, SplittableRandom random) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return Base64.getEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
  }

  private static final String[] USER_AGENTS = {
    "Docker-Client/27.3.1 (linux)",
    "Docker-Client/26.1.4 (darwin)",
    "docker/27.3.1 go/go1.22.7 git-commit/41ca978 kernel/6.10.14-linuxkit os/linux arch/arm64",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "hub-tool/0.4.6 (linux; amd64)"
  };

  private static final String[] WORDS = {
    "ci", "laptop", "github-actions", "deploy", "pull-only", "build", "staging", "release", "mirror"
  };

  /**
   * A token as a desktop sign-in or a user would create it: 40 % auto-generated, labels of one to
   * three words, client id, IPv4 address and user agent as clients send them, most used once.
   */
  private static StoredToken realistic(
      String owner, Instant created, SplittableRandom random, String encodedHash) {
    boolean auto = random.nextInt(10) < 4;
    StringBuilder label = new StringBuilder(auto ? "Docker Desktop " : "");
    for (int w = 0, words = 1 + random.nextInt(3); w < words; w++) {
      label.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    String ip =
        (10 + random.nextInt(200))
            + "."
            + random.nextInt(256)
            + "."
            + random.nextInt(256)
            + "."
            + random.nextInt(256);
    AccessToken token =
        new AccessToken(
            new UUID(random.nextLong(), random.nextLong()),
            owner,
            label.toString(),
            auto ? Set.of(Scope.REPO_ADMIN) : EnumSet.of(Scope.REPO_READ, Scope.REPO_WRITE),
            auto ? TokenOrigin.AUTO_GENERATED : TokenOrigin.MANUAL,
            true,
            created.truncatedTo(ChronoUnit.MICROS),
            random.nextInt(10) < 8
                ? Optional.of(created.plusSeconds(random.nextInt(86_400)))
                : Optional.empty(),
            !auto && random.nextBoolean()
                ? Optional.of(created.plusSeconds(90L * 86_400))
                : Optional.empty(),
            Optional.empty(),
            ClientInfo.of(
                auto ? "docker-desktop" : "HUB",
                ip,
                USER_AGENTS[random.nextInt(USER_AGENTS.length)]));
    return StoredToken.of(token, dev.scopedtokens.secret.LookupKey.of(key), encodedHash);
  }

  /** One row of COPY's text format in the store's column order (V1__tokens.sql). */
  private static void appendCopyRow(StringBuilder out, StoredToken stored) {
    AccessToken t = stored.token();
    int scopes = 0;
    for (Scope scope : t.scopes()) {
      scopes |= 1 << scope.ordinal(); // V1's bits: public_read 1, read 2, write 4, admin 8
    }
    out.append(t.id()).append('\t');
    out.append(timestamp(Optional.of(t.createdAt()))).append('\t');
    out.append(timestamp(t.lastUsedAt())).append('\t');
    out.append(timestamp(t.expiresAt())).append('\t');
    out.append(timestamp(t.revokedAt())).append('\t');
    out.append(scopes).append('\t');
    out.append(t.origin() == TokenOrigin.MANUAL ? 1 : 2).append('\t');
    out.append(t.active() ? 't' : 'f').append('\t');
    out.append(t.owner()).append('\t');
    out.append("\\\\x").append(HexFormat.of().formatHex(stored.lookupKey().toBytes())).append('\t');
    out.append(stored.encodedHash()).append('\t');
    out.append(t.label()).append('\t');
    out.append(t.client().clientId().orElse("\\N")).append('\t');
    out.append(t.client().ip().orElse("\\N")).append('\t');
    out.append(t.client().userAgent().orElse("\\N")).append('\n');
  }

  private static String timestamp(Optional<Instant> instant) {
    return instant.map(i -> i.toString().replace('T', ' ').replace("Z", "+00")).orElse("\\N");
  }

  // -----------------------------------------------------------------------------------------------
  // Method

  /** One batch of work on one side. */
  @FunctionalInterface
  private interface Round {
    void run() throws Exception;
  }

  /** Medians over the measured rounds: operations per second of each side. */
  private static final class Ratio {
    double storePerSecond;
    double barePerSecond;
    double bareOverStore;
  }

  /**
   * Runs {@code warmup} then {@code rounds} pairs of rounds, the side that goes first alternating,
   * and returns the median throughput of each side and the median of the per-pair time ratios.
   */
  private static Ratio interleave(Round store, Round bare, int opsPerRound, int warmup, int rounds)
      throws Exception {
    for (int i = 0; i < warmup; i++) {
      store.run();
      bare.run();
    }
    long[] storeTimes = new long[rounds];
    long[] bareTimes = new long[rounds];
    double[] ratios = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      if (i % 2 == 0) {
        storeTimes[i] = time(store);
        bareTimes[i] = time(bare);
      } else {
        bareTimes[i] = time(bare);
        storeTimes[i] = time(store);
      }
      ratios[i] = (double) storeTimes[i] / bareTimes[i];
    }
    Ratio ratio = new Ratio();
    ratio.storePerSecond = opsPerRound / (median(storeTimes) / 1e9);
    ratio.barePerSecond = opsPerRound / (median(bareTimes) / 1e9);
    Arrays.sort(ratios);
    ratio.bareOverStore = ratios[rounds / 2];
    return ratio;
  }

  private static long time(Round round) throws Exception {
    long start = System.nanoTime();
    round.run();
    return System.nanoTime() - start;
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Runs {@code task} on {@value #THREADS} threads at once and waits for all of them. */
  private static void onThreads(Round task) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Callable<Void> call =
            () -> {
              start.await();
              task.run();
              return null;
            };
        done.add(threads.submit(call));
      }
      start.countDown();
      for (Future<Void> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private PostgresTokenStore freshStore(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    return PostgresTokenStore.builder(pool)
        .schema(schema)
        .schemaMode(PostgresTokenStore.SchemaMode.MIGRATE)
        .build();
  }

  private void execute(String sql) {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private long queryLong(String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String queryString(String sql) throws SQLException {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void check(boolean condition) {
    if (!condition) {
      throw new IllegalStateException("a benchmark's sanity check failed");
    }
  }

  private static SecretKeySpec pepper() {
    byte[] pepper = new byte[32];
    new SecureRandom().nextBytes(pepper);
    return new SecretKeySpec(pepper, "HmacSHA256");
  }
}
