package dev.scopedtokens.benchmarks;

import static dev.scopedtokens.scope.Scope.REPO_READ;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.plan.PlanResolver;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.store.TokenChangeFeed;
import dev.scopedtokens.store.postgres.PostgresTokenStore;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A load program for several nodes on one PostgreSQL (not JMH: it measures a distribution across
 * processes' worth of threads, not a method).
 *
 * <ol>
 *   <li><b>Propagation.</b> Three nodes (a {@link TokenService} each, with its own cache, store,
 *       pool and {@code LISTEN} connection) verify cached tokens on every node with {@code
 *       verifiers} threads each, while node A deactivates and re-activates tokens one at a time.
 *       For each change: the time from A's call returning to the notice reaching B's and C's caches
 *       (a listener subscribed after the service hears it right after the cache dropped the entry).
 *       Reported as p50, p99 and max, with the verifications per second meanwhile. Goal: p99 under
 *       100 ms on loopback.
 *   <li><b>What limits one database</b>: last-use writes per second ({@code recordLastUse} on
 *       distinct tokens, 8 threads), and creates per second at 8 threads on one account (each waits
 *       for the account's lock) against 8 threads over 1,000 accounts.
 * </ol>
 *
 * <p>PostgreSQL: the embedded server of the store's tests (io.zonky.test, linux-amd64), or an
 * existing one named by {@code SCOPEDTOKENS_PG_URL} (with {@code SCOPEDTOKENS_PG_USER} and {@code
 * SCOPEDTOKENS_PG_PASSWORD}).
 *
 * <p>Run: {@code mvn -q -B -ntp -pl benchmarks -am package -DskipTests && java -cp
 * benchmarks/target/benchmarks.jar dev.scopedtokens.benchmarks.PropagationLoad [changes]
 * [verifiers]} (defaults 500 and 4).
 */
public final class PropagationLoad {
  private static final int NODES = 3;

  private PropagationLoad() {}

  /** Runs the program; see the class documentation. */
  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int verifiers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    EmbeddedPostgres embedded = null;
    PGSimpleDataSource direct = new PGSimpleDataSource();
    String url = System.getenv("SCOPEDTOKENS_PG_URL");
    if (url != null && !url.isBlank()) {
      direct.setURL(url);
      direct.setUser(System.getenv().getOrDefault("SCOPEDTOKENS_PG_USER", "postgres"));
      direct.setPassword(System.getenv().getOrDefault("SCOPEDTOKENS_PG_PASSWORD", ""));
    } else {
      embedded =
          EmbeddedPostgres.builder()
              .setServerConfig("max_connections", "200")
              .setServerConfig("fsync", "off")
              .start();
      direct.setURL(embedded.getJdbcUrl("postgres", "postgres"));
      direct.setUser("postgres");
    }
    try {
      System.out.printf(
          "PostgreSQL %s, %d processors%n",
          version(direct), Runtime.getRuntime().availableProcessors());
      propagation(direct, changes, verifiers);
      limits(direct);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static String version(PGSimpleDataSource direct) throws Exception {
    try (var c = direct.getConnection();
        var s = c.createStatement();
        var rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static HikariDataSource pool(PGSimpleDataSource direct, int size, String name) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(direct);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setPoolName(name);
    return new HikariDataSource(config);
  }

  private static void propagation(PGSimpleDataSource direct, int changes, int verifiers)
      throws Exception {
    String schema = "bench_propagation_" + Long.toHexString(System.nanoTime());
    List<HikariDataSource> pools = new ArrayList<>();
    List<TokenService> nodes = new ArrayList<>();
    List<PostgresTokenStore> stores = new ArrayList<>();
    HmacSha256Hasher hasher = HmacSha256Hasher.withPepper(Fixtures.pepper());
    for (int i = 0; i < NODES; i++) {
      HikariDataSource pool = pool(direct, verifiers + 2, "node-" + i);
      pools.add(pool);
      PostgresTokenStore store =
          PostgresTokenStore.builder(pool)
              .schema(schema)
              .schemaMode(PostgresTokenStore.SchemaMode.MIGRATE)
              .changeFeed(direct)
              .build();
      stores.add(store);
      nodes.add(
          TokenService.builder()
              .store(store)
              .hasher(hasher)
              .plans(PlanResolver.fixed(Plan.FAIR_USE))
              .cache(Duration.ofMinutes(10), 100_000)
              .build());
    }
    int tokenCount = 200;
    List<IssuedToken> tokens = new ArrayList<>();
    Map<UUID, Integer> index = new HashMap<>();
    for (int i = 0; i < tokenCount; i++) {
      IssuedToken token = nodes.get(0).create("user" + i, TokenRequest.of("bench", REPO_READ));
      tokens.add(token);
      index.put(token.token().id(), i);
    }
    long[][] heard = new long[NODES][changes];
    int[] expecting = new int[NODES];
    Arrays.fill(expecting, -1);
    Map<Integer, CountDownLatch> arrivals = new ConcurrentHashMap<>();
    List<TokenChangeFeed.Subscription> subscriptions = new ArrayList<>();
    for (int n = 1; n < NODES; n++) {
      int node = n;
      subscriptions.add(
          stores
              .get(n)
              .changeFeed()
              .orElseThrow()
              .subscribe(
                  new TokenChangeFeed.Listener() {
                    @Override
                    public void onHealthy() {}

                    @Override
                    public void onUnhealthy(String reason) {
                      System.out.println("node " + node + " feed unhealthy: " + reason);
                    }

                    @Override
                    public void onTokensChanged(Set<UUID> ids) {
                      long now = System.nanoTime();
                      synchronized (heard) {
                        int change = expecting[node];
                        if (change >= 0 && heard[node][change] == 0) {
                          heard[node][change] = now;
                          arrivals.get(change).countDown();
                        }
                      }
                    }

                    @Override
                    public void onAllChanged() {}
                  }));
    }
    for (TokenService node : nodes) {
      tokens.forEach(t -> node.verify(t.secret()));
    }
    AtomicBoolean done = new AtomicBoolean();
    LongAdder verified = new LongAdder();
    ExecutorService executor = Executors.newFixedThreadPool(NODES * verifiers);
    for (int n = 0; n < NODES; n++) {
      TokenService node = nodes.get(n);
      for (int t = 0; t < verifiers; t++) {
        SplittableRandom random = new SplittableRandom(n * 31L + t);
        executor.submit(
            () -> {
              while (!done.get()) {
                node.verify(tokens.get(random.nextInt(tokenCount)).secret());
                verified.increment();
              }
              return null;
            });
      }
    }
    // Warm up: changes not measured.
    TokenService a = nodes.get(0);
    for (int i = 0; i < 50; i++) {
      IssuedToken token = tokens.get(i % tokenCount);
      a.deactivate(token.token().owner(), token.token().id());
      a.activate(token.token().owner(), token.token().id());
    }
    long[] returned = new long[changes];
    long start = System.nanoTime();
    long verifiedBefore = verified.sum();
    for (int i = 0; i < changes; i++) {
      IssuedToken token = tokens.get(i % tokenCount);
      CountDownLatch arrived = new CountDownLatch(NODES - 1);
      arrivals.put(i, arrived);
      synchronized (heard) {
        for (int n = 1; n < NODES; n++) {
          expecting[n] = i;
        }
      }
      if ((i / tokenCount) % 2 == 0) {
        a.deactivate(token.token().owner(), token.token().id());
      } else {
        a.activate(token.token().owner(), token.token().id());
      }
      returned[i] = System.nanoTime();
      if (!arrived.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("change " + i + " never reached every node");
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long verifications = verified.sum() - verifiedBefore;
    done.set(true);
    executor.shutdown();
    executor.awaitTermination(1, TimeUnit.MINUTES);
    long[] lags = new long[(NODES - 1) * changes];
    int k = 0;
    for (int n = 1; n < NODES; n++) {
      for (int i = 0; i < changes; i++) {
        lags[k++] = Math.max(0, heard[n][i] - returned[i]);
      }
    }
    Arrays.sort(lags);
    System.out.printf(
        "propagation, change returned on A -> entry dropped on B and C, %d changes, %d verifier"
            + " threads per node, %.0f verifications/s over the 3 nodes meanwhile:%n"
            + "  p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
        changes,
        verifiers,
        verifications / seconds,
        lags[lags.length / 2] / 1e6,
        lags[(int) Math.ceil(lags.length * 0.99) - 1] / 1e6,
        lags[lags.length - 1] / 1e6);
    System.out.printf("connections per node: %d in the pool + 1 LISTEN%n", verifiers + 2);
    subscriptions.forEach(TokenChangeFeed.Subscription::close);
    nodes.forEach(TokenService::close);
    pools.forEach(HikariDataSource::close);
  }

  private static void limits(PGSimpleDataSource direct) throws Exception {
    String schema = "bench_limits_" + Long.toHexString(System.nanoTime());
    int threads = 8;
    try (HikariDataSource pool = pool(direct, threads + 1, "limits")) {
      PostgresTokenStore store =
          PostgresTokenStore.builder(pool)
              .schema(schema)
              .schemaMode(PostgresTokenStore.SchemaMode.MIGRATE)
              .build();
      TokenService service =
          TokenService.builder()
              .store(store)
              .hasher(HmacSha256Hasher.withPepper(Fixtures.pepper()))
              .plans(PlanResolver.fixed(Plan.builder("unlimited").build()))
              .disableCache()
              .build();
      int perThread = 300;
      List<IssuedToken> tokens = new ArrayList<>();
      for (int i = 0; i < threads * perThread; i++) {
        tokens.add(service.create("acct" + (i % 1000), TokenRequest.of("t", REPO_READ)));
      }
      Instant base = Instant.now();
      double lastUse =
          rate(
              threads,
              perThread,
              (t, i) -> {
                IssuedToken token = tokens.get(t * perThread + i);
                store.recordLastUse(
                    token.token().owner(), token.token().id(), base.plusMillis(i + 1));
              });
      double oneAccount =
          rate(
              threads,
              100,
              (t, i) -> service.create("one-account", TokenRequest.of("t", REPO_READ)));
      double manyAccounts =
          rate(
              threads,
              100,
              (t, i) ->
                  service.create("spread" + (t * 100 + i) % 1000, TokenRequest.of("t", REPO_READ)));
      System.out.printf(
          "last-use writes: %.0f/s at %d threads%n"
              + "creates, %d threads on one account: %.0f/s; over 1,000 accounts: %.0f/s%n",
          lastUse, threads, threads, oneAccount, manyAccounts);
    }
  }

  /** A body run {@code perThread} times on each of {@code threads} threads. */
  private interface Step {
    void run(int thread, int i) throws Exception;
  }

  private static double rate(int threads, int perThread, Step step) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          executor.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  step.run(thread, i);
                }
                return null;
              }));
    }
    long begin = System.nanoTime();
    start.countDown();
    for (var future : futures) {
      future.get();
    }
    double seconds = (System.nanoTime() - begin) / 1e9;
    executor.shutdown();
    return threads * perThread / seconds;
  }

  static {
    // Quiet the embedded server's and the pool's logging of routine starts and stops.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
  }
}
