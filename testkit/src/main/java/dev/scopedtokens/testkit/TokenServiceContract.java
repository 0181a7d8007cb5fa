package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.InvalidTokenRequestException;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.PageRequest;
import dev.scopedtokens.token.PlanLimitExceededException;
import dev.scopedtokens.token.RejectionReason;
import dev.scopedtokens.token.TokenEvent;
import dev.scopedtokens.token.TokenException;
import dev.scopedtokens.token.TokenNotFoundException;
import dev.scopedtokens.token.TokenOrigin;
import dev.scopedtokens.token.TokenPage;
import dev.scopedtokens.token.TokenRequest;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.TokenStateException;
import dev.scopedtokens.token.TokenStatus;
import dev.scopedtokens.token.VerificationResult;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The conformance suite for a {@link TokenService} over any {@link TokenStore}: what the service
 * promises must hold whichever store is behind it, so a store passes {@link TokenStoreContract} and
 * this suite.
 *
 * <ul>
 *   <li><b>Model-based lifecycle.</b> Random sequences of every operation (create, auto-issue with
 *       eviction, rename, change scopes, activate, deactivate, revoke, delete, verify with right,
 *       wrong, unknown and malformed secrets and owners, the clock moving on, plans changing) run
 *       against the service and against a plain reference model of the rules, which computes every
 *       expected outcome itself: statuses, listing order, counts, the evicted token and the
 *       auto-generated label. After every step both must agree, with and without the cache.
 *   <li><b>Concurrency.</b> {@linkplain #threads() Several threads} race creates and auto-issues on
 *       one account: the manual limit and the auto-generated cap hold, and each evicted token is
 *       evicted once.
 * </ul>
 *
 * <p>Extend it in your tests with a factory for a fresh, empty store:
 *
 * <pre>{@code
 * class JdbcTokenServiceContractTest extends TokenServiceContract {
 *   @Override
 *   protected TokenStore newStore() {
 *     return new JdbcTokenStore(freshSchema());
 *   }
 *
 *   @Override
 *   protected int sequences() {
 *     return 50; // each sequence gets a fresh store
 *   }
 * }
 * }</pre>
 *
 * <p>To spread the model-based test's operations over several services (the nodes of one service,
 * each with its own cache), override {@link #nodes()}. Over a store whose change feed delivers a
 * change before {@code update} returns, that is all; over one whose feed delivers later, or whose
 * nodes should be separate store objects as separate processes would have, override {@link
 * #nodeStore(TokenStore, int)}, {@link #closeNodeStore(TokenStore)} and {@link
 * #awaitPropagation(TokenStore)} too:
 *
 * <pre>{@code
 * @Override
 * protected TokenStore nodeStore(TokenStore store, int node) {
 *   return new JdbcTokenStore(schemaOf(store), listenConnectionFor(node)); // a feed of its own
 * }
 *
 * @Override
 * protected void awaitPropagation(TokenStore store) {
 *   commitMarker(store); // delivered after every change committed before it
 *   eachNodesFeed(store).forEach(feed -> feed.awaitMarker(Duration.ofMinutes(1)));
 * }
 * }</pre>
 *
 * <p>The service uses a fast HMAC hasher, a {@link FakeClock} and a seeded random; nothing sleeps
 * and nothing is timed. {@link #closeStore(TokenStore)} is called after each store is done with.
 */
public abstract class TokenServiceContract {
  private static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
  private static final List<String> OWNERS = List.of("alice", "bob");
  private static final List<String> LABELS = List.of("build", "deploy", "laptop", "x".repeat(101));
  private static final List<Plan> PLANS =
      List.of(
          Plan.FAIR_USE,
          Plan.builder("two").manualTokenLimit(2).autoGeneratedCap(2).build(),
          Plan.PERSONAL_2021,
          Plan.builder("bounded")
              .manualTokenLimit(3)
              .autoGeneratedCap(1)
              .maxLifetime(Duration.ofDays(7))
              .build(),
          Plan.builder("none").manualTokenLimit(0).autoGeneratedCap(0).build());
  private static final List<Duration> STEPS =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofSeconds(61),
          Duration.ofHours(1),
          Duration.ofDays(3),
          Duration.ofDays(8));

  /** The clients that sign in: a user agent, a client id only, nothing, and a long user agent. */
  private static final List<ClientInfo> CLIENTS =
      List.of(
          ClientInfo.of("docker-desktop", "127.0.0.1", "Docker-Desktop/4.30"),
          new ClientInfo(Optional.of("ci-runner"), Optional.empty(), Optional.empty()),
          ClientInfo.unknown(),
          new ClientInfo(
              Optional.empty(), Optional.empty(), Optional.of("  Mozilla/5.0 " + "z".repeat(120))));

  private static final Plan RACY =
      Plan.builder("racy").manualTokenLimit(5).autoGeneratedCap(3).build();

  /** For subclasses. */
  protected TokenServiceContract() {}

  /** Returns a new, empty store; called once per test and once per generated sequence. */
  protected abstract TokenStore newStore();

  /** Releases a store when its test or sequence is done; does nothing unless overridden. */
  protected void closeStore(TokenStore store) {}

  /** How many threads the concurrency test runs at once on each node; 8 unless overridden. */
  protected int threads() {
    return 8;
  }

  /** How many operations each thread of the concurrency test attempts; 25 unless overridden. */
  protected int operationsPerThread() {
    return 25;
  }

  /** How many random sequences the model-based test plays; 300 unless overridden. */
  protected int sequences() {
    return 300;
  }

  /**
   * How many services (nodes, each with its own cache) the model-based and concurrency tests spread
   * their operations over; 1 unless overridden. Each node works on the store {@link
   * #nodeStore(TokenStore, int)} returns for it, the sequence's store itself unless overridden. The
   * model expects every node to see a change once {@link #awaitPropagation(TokenStore)} returned
   * after the step that made it: return more than 1 for a store whose change feed delivers a change
   * before {@link TokenStore#update} returns (as {@link
   * dev.scopedtokens.store.InMemoryTokenStore}'s does), or override {@code awaitPropagation} to
   * wait for the feed. With several nodes every use is written through ({@code
   * lastUseWriteInterval} of zero), so that eviction, which orders by last use, is exact on every
   * node.
   */
  protected int nodes() {
    return 1;
  }

  /**
   * Returns the store that node {@code node} (0 to {@link #nodes()} - 1) of a sequence works on; by
   * default {@code store} itself, so that every node shares the one store object.
   *
   * <p>Override it to make each node a node of its own, as separate processes would be: for example
   * a new store object over the same database or schema as {@code store}, with a change feed of its
   * own. The model-based and concurrency tests call it once per node, after {@link #newStore()},
   * and build each node's service over what it returns; they hand each returned store to {@link
   * #closeNodeStore(TokenStore)} when the sequence or test is done.
   *
   * @param store what {@link #newStore()} returned for this sequence
   * @param node which node the store is for, from 0
   */
  protected TokenStore nodeStore(TokenStore store, int node) {
    return store;
  }

  /**
   * Releases a store {@link #nodeStore(TokenStore, int)} returned, once the nodes' services are
   * closed and before {@link #closeStore(TokenStore)} releases the sequence's store; called once
   * per node, with the sequence's store itself for a node that shares it. Does nothing unless
   * overridden.
   */
  protected void closeNodeStore(TokenStore nodeStore) {}

  /**
   * Returns once every node's service has been told of every change committed so far: the
   * model-based test calls it once its nodes' services are built (before the first step, so a feed
   * can report that it listens), and after every step that went to the store through a node, then
   * expects every node to answer as the model says. Returns at once unless overridden: right for
   * one node, and for a change feed that delivers before {@link TokenStore#update} returns.
   *
   * <p>A store whose feed delivers later (over a network, say) waits here for it, by blocking on
   * what the feed delivers, never by sleeping: for example it commits a marker change after the
   * step, and waits until each node's feed delivered the marker, where the feed delivers changes in
   * commit order. When the feed cannot deliver (a node's feed lost its connection), fail with a
   * message that says so rather than let the model report a stale answer.
   *
   * @param store what {@link #newStore()} returned for this sequence
   */
  protected void awaitPropagation(TokenStore store) {}

  /** How many steps a random sequence has at most; 40 unless overridden. */
  protected int maxSteps() {
    return 40;
  }

  // ---------------------------------------------------------------------------------------------
  // Model-based lifecycle

  /** After every step of a random sequence, the service and the reference model agree. */
  @Test
  void serviceAgreesWithTheReferenceModel_afterEveryStep() {
    qt().withExamples(sequences())
        .withShrinkCycles(200)
        .forAll(lists().of(steps()).ofSizeBetween(1, maxSteps()), booleans().all())
        .checkAssert(
            (sequence, cached) -> {
              TokenStore store = newStore();
              assertThat(store).as("newStore()").isNotNull();
              try {
                playOnNodes(store, sequence, cached);
              } finally {
                closeStore(store);
              }
            });
  }

  private void playOnNodes(TokenStore store, List<Step> sequence, boolean cached) {
    int nodeCount = nodes();
    assertThat(nodeCount).as("nodes()").isPositive();
    List<TokenStore> nodeStores = new ArrayList<>();
    try {
      for (int node = 0; node < nodeCount; node++) {
        TokenStore nodeStore = nodeStore(store, node);
        assertThat(nodeStore).as("nodeStore(store, %d)", node).isNotNull();
        nodeStores.add(nodeStore);
      }
      try (Run run = new Run(nodeStores, cached, () -> awaitPropagation(store))) {
        run.play(sequence);
      }
    } finally {
      nodeStores.forEach(this::closeNodeStore);
    }
  }

  /** One step: a kind and three numbers the step interprets. */
  private record Step(int kind, int a, int b, int c) {}

  private static Gen<Step> steps() {
    return integers()
        .between(0, 99)
        .zip(
            integers().between(0, 1_000),
            integers().between(0, 1_000),
            integers().between(0, 1_000),
            (k, a, b, c) -> new Step(kindOf(k), a, b, c));
  }

  /** Weights: issuing and verifying are the common operations. */
  private static int kindOf(int k) {
    int[] upTo = {17, 29, 35, 41, 47, 54, 59, 65, 86, 94, 100};
    for (int kind = 0; kind < upTo.length; kind++) {
      if (k < upTo[kind]) {
        return kind;
      }
    }
    throw new AssertionError(k);
  }

  /** One sequence against fresh services (one per node) and a fresh model. */
  private static final class Run implements AutoCloseable {
    final FakeClock clock = FakeClock.at(START);
    final Map<String, Plan> plans = new ConcurrentHashMap<>();
    final List<TokenService> nodes = new ArrayList<>();
    final Runnable awaitPropagation;

    /** The node that runs the current step. */
    TokenService service;

    final Model model = new Model();
    final TokenFormat format = TokenFormat.defaults();
    final SecureRandom strangers = new SeededRandom(7);

    Run(List<TokenStore> nodeStores, boolean cached, Runnable awaitPropagation) {
      this.awaitPropagation = awaitPropagation;
      int nodeCount = nodeStores.size();
      for (int node = 0; node < nodeCount; node++) {
        TokenService.Builder builder =
            service(nodeStores.get(node), clock)
                .random(new SeededRandom(42 + node))
                .plans(owner -> plans.getOrDefault(owner, Plan.FAIR_USE));
        if (nodeCount > 1) {
          builder.lastUseWriteInterval(Duration.ZERO);
        }
        nodes.add((cached ? builder : builder.disableCache()).build());
      }
      service = nodes.get(0);
    }

    @Override
    public void close() {
      nodes.forEach(TokenService::close);
    }

    void play(List<Step> sequence) {
      awaitPropagation.run(); // the nodes' feeds, if any, listen before the first change
      for (Step step : sequence) {
        // Over several nodes, a change on one node must reach what the others cached: verify the
        // step's token on every node before the change (so each caches it) and after it.
        boolean acrossNodes = nodes.size() > 1 && changesAToken(step) && !model.issued.isEmpty();
        if (acrossNodes) {
          verifyOnEveryNode(step);
        }
        apply(step);
        if (goesToTheStore(step)) {
          awaitPropagation.run();
        }
        if (acrossNodes) {
          verifyOnEveryNode(step);
        }
        checkInvariants();
      }
    }

    /** Rename, change scopes, activate, deactivate, revoke, delete. */
    static boolean changesAToken(Step s) {
      return s.kind() >= 2 && s.kind() <= 7;
    }

    /** Verifies the token {@code s} names, with its secret and owner, on each node in turn. */
    void verifyOnEveryNode(Step s) {
      for (int node = 0; node < nodes.size(); node++) {
        apply(new Step(8, s.a(), 0, node));
      }
    }

    /** Every step but moving the clock and changing a plan, which only the test holds. */
    static boolean goesToTheStore(Step s) {
      return s.kind() != 9 && s.kind() != 10;
    }

    void apply(Step s) {
      service = nodes.get(s.c() % nodes.size());
      String owner = OWNERS.get(s.a() % OWNERS.size());
      switch (s.kind()) {
        case 0 -> create(owner, s);
        case 1 -> autoIssue(owner, CLIENTS.get(s.b() % CLIENTS.size()));
        case 2 ->
            onToken(
                s, "rename", (o, id) -> service.rename(o, id, LABELS.get(s.b() % LABELS.size())));
        case 3 -> onToken(s, "changeScopes", (o, id) -> service.changeScopes(o, id, scopes(s.b())));
        case 4 -> onToken(s, "activate", service::activate);
        case 5 -> onToken(s, "deactivate", service::deactivate);
        case 6 -> onToken(s, "revoke", service::revoke);
        case 7 ->
            onToken(
                s,
                "delete",
                (o, id) -> {
                  service.delete(o, id);
                  return null;
                });
        case 8 -> verify(s);
        case 9 -> clock.advance(STEPS.get(s.a() % STEPS.size()));
        case 10 -> plans.put(owner, PLANS.get(s.b() % PLANS.size()));
        default -> throw new AssertionError(s);
      }
    }

    void create(String owner, Step s) {
      Instant now = clock.instant();
      String label = LABELS.get(s.b() % LABELS.size());
      Set<Scope> scopes = scopes(s.c());
      Optional<Instant> expiresAt = expiry(s.c() / 16, now);
      String expected = model.create(owner, label, scopes, expiresAt, planOf(owner), now);
      String actual;
      IssuedToken issued = null;
      try {
        TokenRequest request = TokenRequest.of(label, scopes);
        if (expiresAt.isPresent()) {
          request = request.expiringAt(expiresAt.get());
        }
        issued = service.create(owner, request);
        actual = "created";
      } catch (TokenException e) {
        actual = describe(e);
      }
      assertThat(actual).as("create outcome").isEqualTo(expected);
      if (issued != null) {
        model.learnCreated(issued);
        assertThat(issued.token()).isEqualTo(model.tokens.get(issued.token().id()).toToken());
        assertThat(issued.evicted()).isEmpty();
      }
    }

    void autoIssue(String owner, ClientInfo client) {
      Instant now = clock.instant();
      Plan plan = planOf(owner);
      Model.Prediction expected = model.autoIssue(owner, plan);
      IssuedToken issued;
      try {
        issued = service.issueAutoGenerated(owner, client);
      } catch (TokenException e) {
        assertThat(describe(e)).as("auto-issue outcome").isEqualTo(expected.outcome());
        return;
      }
      assertThat("created").as("auto-issue outcome").isEqualTo(expected.outcome());
      assertThat(issued.evicted().map(AccessToken::id))
          .as("evicted token")
          .isEqualTo(expected.evicted());
      model.learnAuto(issued, owner, client, plan, now);
      assertThat(issued.token()).isEqualTo(model.tokens.get(issued.token().id()).toToken());
    }

    interface TokenOp {
      AccessToken apply(String owner, UUID id);
    }

    void onToken(Step s, String operation, TokenOp op) {
      if (model.issued.isEmpty()) {
        return;
      }
      UUID id = model.issued.get(s.a() % model.issued.size());
      ModelToken target = model.tokens.get(id);
      String realOwner = target != null ? target.owner : OWNERS.get(s.c() % OWNERS.size());
      // Now and then, ask as the other account: it must look exactly like a missing token.
      String asking = s.c() % 7 == 0 ? other(realOwner) : realOwner;
      String expected =
          model.lifecycle(
              operation,
              asking,
              id,
              LABELS.get(s.b() % LABELS.size()),
              scopes(s.b()),
              planOf(asking),
              clock.instant());
      String actual;
      try {
        AccessToken result = op.apply(asking, id);
        actual = result == null ? "ok" : "ok " + result;
      } catch (TokenException e) {
        actual = describe(e);
      }
      assertThat(actual).as(operation + " outcome").isEqualTo(expected);
    }

    void verify(Step s) {
      Instant now = clock.instant();
      int mode = s.b() % 6;
      if (mode < 4 && model.issued.isEmpty()) {
        mode = 4;
      }
      TokenSecret presented;
      UUID id = null;
      if (mode == 4) {
        presented = format.generate(strangers); // well formed, but nobody's
      } else if (mode == 5) {
        presented = TokenSecret.of("stk_not-a-token");
      } else {
        id = model.issued.get(s.a() % model.issued.size());
        presented = model.secrets.get(id);
        if (mode == 3) {
          presented = wrongSecretFor(presented);
        }
      }
      ModelToken target = id == null ? null : model.tokens.get(id);
      Optional<String> account;
      if (mode == 1) {
        account = Optional.empty();
      } else if (mode == 2 && target != null) {
        account = Optional.of(other(target.owner));
      } else {
        account = Optional.of(target != null ? target.owner : "alice");
      }
      String expected = model.verify(mode, target, account, now);
      VerificationResult result =
          account.isPresent()
              ? service.verify(account.get(), presented)
              : service.verify(presented);
      String actual =
          result instanceof VerificationResult.Verified verified
              ? "verified " + verified.token()
              : "rejected " + ((VerificationResult.Rejected) result).reason();
      assertThat(actual).as("verify outcome").isEqualTo(expected);
    }

    void checkInvariants() {
      Instant now = clock.instant();
      for (String owner : OWNERS) {
        TokenPage page = service.list(owner, PageRequest.first(PageRequest.MAX_SIZE));
        List<ModelToken> expected = model.listing(owner);
        assertThat(page.tokens())
            .as("listing of " + owner)
            .isEqualTo(expected.stream().map(ModelToken::toToken).toList());
        assertThat(page.total()).as("total of " + owner).isEqualTo(expected.size());
        assertThat(page.activeCount())
            .as("active count of " + owner)
            .isEqualTo(expected.stream().filter(t -> t.status(now) == TokenStatus.ACTIVE).count());
        Plan plan = planOf(owner);
        long manual = expected.stream().filter(t -> t.origin == TokenOrigin.MANUAL).count();
        long auto = expected.stream().filter(t -> t.origin == TokenOrigin.AUTO_GENERATED).count();
        // Limits: a lowered limit may leave an account above it, but never by growth.
        assertThat(manual)
            .isLessThanOrEqualTo(
                Math.max(
                    plan.manualTokenLimit().orElse(Integer.MAX_VALUE),
                    model.manualHighWater(owner)));
        assertThat(auto)
            .isLessThanOrEqualTo(
                Math.max(model.autoCapHighWater.getOrDefault(owner, 0), plan.autoGeneratedCap()));
      }
    }

    Plan planOf(String owner) {
      return plans.getOrDefault(owner, Plan.FAIR_USE);
    }
  }

  private static String other(String owner) {
    return owner.equals("alice") ? "bob" : "alice";
  }

  private static Set<Scope> scopes(int bits) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    int mask = bits % 15 + 1; // never empty
    for (Scope scope : Scope.values()) {
      if ((mask & (1 << scope.ordinal())) != 0) {
        scopes.add(scope);
      }
    }
    return scopes;
  }

  private static Optional<Instant> expiry(int choice, Instant now) {
    return switch (choice % 5) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(now.plus(Duration.ofHours(1)));
      case 2 -> Optional.of(now.plus(Duration.ofDays(10)));
      case 3 -> Optional.of(now);
      default -> Optional.of(now.minusSeconds(1));
    };
  }

  private static String describe(TokenException e) {
    if (e instanceof TokenNotFoundException n) {
      return "not found " + n.id();
    }
    if (e instanceof TokenStateException s) {
      return "state " + s.id() + " " + s.status() + " " + s.operation();
    }
    if (e instanceof InvalidTokenRequestException i) {
      return "invalid " + i.field();
    }
    if (e instanceof PlanLimitExceededException p) {
      return "limit " + p.planName() + " " + p.limit() + " " + p.current();
    }
    throw new AssertionError("a TokenException outside the sealed tree: " + e.getClass());
  }

  /** A token as the model sees it. */
  private static final class ModelToken {
    UUID id;
    String owner;
    String label;
    Set<Scope> scopes;
    TokenOrigin origin;
    boolean active = true;
    Instant createdAt;
    Instant lastUsedAt;
    Instant expiresAt;
    Instant revokedAt;
    ClientInfo client;

    AccessToken toToken() {
      return new AccessToken(
          id,
          owner,
          label,
          scopes,
          origin,
          active,
          createdAt,
          Optional.ofNullable(lastUsedAt),
          Optional.ofNullable(expiresAt),
          Optional.ofNullable(revokedAt),
          client);
    }

    /** The status rule, written out: revoked, then expired (from the instant), then the flag. */
    TokenStatus status(Instant now) {
      if (revokedAt != null) {
        return TokenStatus.REVOKED;
      }
      if (expiresAt != null && !now.isBefore(expiresAt)) {
        return TokenStatus.EXPIRED;
      }
      return active ? TokenStatus.ACTIVE : TokenStatus.INACTIVE;
    }
  }

  /** The rules, written as plainly as possible, and never asked of the code under test. */
  private static final class Model {
    /** Newest first; among tokens created at the same instant, the greater id first. */
    static final Comparator<ModelToken> LISTING_ORDER =
        Comparator.comparing((ModelToken t) -> t.createdAt)
            .thenComparing(t -> t.id.toString())
            .reversed();

    /** Least recently used first; ties by older creation, then by smaller id. */
    static final Comparator<ModelToken> EVICTION_ORDER =
        Comparator.comparing((ModelToken t) -> t.lastUsedAt != null ? t.lastUsedAt : t.createdAt)
            .thenComparing(t -> t.createdAt)
            .thenComparing(t -> t.id.toString());

    final Map<UUID, ModelToken> tokens = new LinkedHashMap<>();
    final Map<UUID, TokenSecret> secrets = new HashMap<>();
    final List<UUID> issued = new ArrayList<>();
    final Map<String, Integer> autoCapHighWater = new HashMap<>();
    final Map<String, Integer> manualHighWater = new HashMap<>();
    private PendingCreate pending;

    record PendingCreate(
        String label, Set<Scope> scopes, Optional<Instant> expiresAt, Instant now) {}

    record Prediction(String outcome, Optional<UUID> evicted) {}

    int manualHighWater(String owner) {
      return manualHighWater.getOrDefault(owner, 0);
    }

    String create(
        String owner,
        String label,
        Set<Scope> scopes,
        Optional<Instant> expiresAt,
        Plan plan,
        Instant now) {
      pending = null;
      if (label.length() > 100) {
        return "invalid label";
      }
      if (!plan.allowedScopes().containsAll(scopes)) {
        return "invalid scopes";
      }
      if (expiresAt.isEmpty() && plan.maxLifetime().isPresent()) {
        return "invalid expiresAt";
      }
      if (expiresAt.isPresent()
          && (!expiresAt.get().isAfter(now)
              || plan.maxLifetime().isPresent()
                  && expiresAt.get().isAfter(now.plus(plan.maxLifetime().get())))) {
        return "invalid expiresAt";
      }
      long manual = count(owner, TokenOrigin.MANUAL);
      if (plan.manualTokenLimit().isPresent() && manual >= plan.manualTokenLimit().getAsInt()) {
        return "limit " + plan.name() + " " + plan.manualTokenLimit().getAsInt() + " " + manual;
      }
      pending = new PendingCreate(label, scopes, expiresAt, now);
      return "created";
    }

    void learnCreated(IssuedToken issuedToken) {
      ModelToken t = new ModelToken();
      t.id = issuedToken.token().id();
      t.owner = issuedToken.token().owner();
      t.label = pending.label();
      t.scopes = EnumSet.copyOf(pending.scopes());
      t.origin = TokenOrigin.MANUAL;
      t.createdAt = pending.now();
      t.expiresAt = pending.expiresAt().orElse(null);
      t.client = ClientInfo.unknown();
      add(t, issuedToken.secret());
      manualHighWater.merge(t.owner, (int) count(t.owner, TokenOrigin.MANUAL), Math::max);
    }

    Prediction autoIssue(String owner, Plan plan) {
      long auto = count(owner, TokenOrigin.AUTO_GENERATED);
      if (plan.autoGeneratedCap() == 0) {
        return new Prediction("limit " + plan.name() + " 0 " + auto, Optional.empty());
      }
      if (auto < plan.autoGeneratedCap()) {
        return new Prediction("created", Optional.empty());
      }
      ModelToken victim =
          tokens.values().stream()
              .filter(t -> t.owner.equals(owner) && t.origin == TokenOrigin.AUTO_GENERATED)
              .min(EVICTION_ORDER)
              .orElseThrow();
      return new Prediction("created", Optional.of(victim.id));
    }

    void learnAuto(
        IssuedToken issuedToken, String owner, ClientInfo client, Plan plan, Instant now) {
      issuedToken.evicted().ifPresent(e -> tokens.remove(e.id()));
      ModelToken t = new ModelToken();
      t.id = issuedToken.token().id();
      t.owner = owner;
      t.label = autoLabel(client, now);
      t.scopes = EnumSet.of(Scope.REPO_ADMIN);
      t.origin = TokenOrigin.AUTO_GENERATED;
      t.createdAt = now;
      t.expiresAt = plan.maxLifetime().map(now::plus).orElse(null);
      t.client = client;
      add(t, issuedToken.secret());
      autoCapHighWater.merge(owner, (int) count(owner, TokenOrigin.AUTO_GENERATED), Math::max);
    }

    /**
     * Who signed in (the user agent, else the client id, stripped; "Auto-generated" when that
     * leaves nothing), a dash and the minute in UTC; at most 100 characters, the name cut with an
     * ellipsis to make room.
     */
    static String autoLabel(ClientInfo client, Instant now) {
      ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
      String suffix =
          String.format(
              Locale.ROOT,
              " \u2014 %04d-%02d-%02d %02d:%02d UTC",
              utc.getYear(),
              utc.getMonthValue(),
              utc.getDayOfMonth(),
              utc.getHour(),
              utc.getMinute());
      String who =
          (client.userAgent().isPresent() ? client.userAgent() : client.clientId())
              .map(String::strip)
              .orElse("");
      if (who.isEmpty()) {
        who = "Auto-generated";
      }
      int room = 100 - suffix.length();
      int[] codePoints = who.codePoints().toArray();
      if (codePoints.length > room) {
        who = new String(codePoints, 0, room - 1) + "\u2026";
      }
      return who + suffix;
    }

    String lifecycle(
        String operation,
        String asking,
        UUID id,
        String label,
        Set<Scope> scopes,
        Plan plan,
        Instant now) {
      if (operation.equals("rename") && label.length() > 100) {
        return "invalid label";
      }
      if (operation.equals("changeScopes") && !plan.allowedScopes().containsAll(scopes)) {
        return "invalid scopes";
      }
      ModelToken t = tokens.get(id);
      if (t == null || !t.owner.equals(asking)) {
        return "not found " + id;
      }
      if (operation.equals("delete")) {
        tokens.remove(id);
        return "ok";
      }
      TokenStatus status = t.status(now);
      if (status == TokenStatus.EXPIRED || status == TokenStatus.REVOKED) {
        return "state " + id + " " + status + " " + operation;
      }
      switch (operation) {
        case "rename" -> t.label = label;
        case "changeScopes" -> {
          if (t.origin == TokenOrigin.AUTO_GENERATED) {
            return "invalid scopes";
          }
          t.scopes = EnumSet.copyOf(scopes);
        }
        case "activate" -> t.active = true;
        case "deactivate" -> t.active = false;
        case "revoke" -> t.revokedAt = now;
        default -> throw new AssertionError(operation);
      }
      return "ok " + t.toToken();
    }

    String verify(int mode, ModelToken target, Optional<String> account, Instant now) {
      if (mode == 5) {
        return "rejected " + RejectionReason.MALFORMED;
      }
      if (target == null) {
        return "rejected " + RejectionReason.UNKNOWN;
      }
      if (mode == 3) {
        return "rejected " + RejectionReason.WRONG_SECRET;
      }
      switch (target.status(now)) {
        case REVOKED -> {
          return "rejected " + RejectionReason.REVOKED;
        }
        case EXPIRED -> {
          return "rejected " + RejectionReason.EXPIRED;
        }
        case INACTIVE -> {
          return "rejected " + RejectionReason.INACTIVE;
        }
        case ACTIVE -> {}
      }
      if (account.isPresent() && !account.get().equals(target.owner)) {
        return "rejected " + RejectionReason.WRONG_OWNER;
      }
      target.lastUsedAt = now;
      return "verified " + target.toToken();
    }

    List<ModelToken> listing(String owner) {
      return tokens.values().stream()
          .filter(t -> t.owner.equals(owner))
          .sorted(LISTING_ORDER)
          .toList();
    }

    private void add(ModelToken t, TokenSecret secret) {
      tokens.put(t.id, t);
      secrets.put(t.id, Objects.requireNonNull(secret));
      issued.add(t.id);
    }

    private long count(String owner, TokenOrigin origin) {
      return tokens.values().stream()
          .filter(t -> t.owner.equals(owner) && t.origin == origin)
          .count();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency

  /**
   * Threads racing creates and auto-issues on one account, {@link #threads()} on each of the {@link
   * #nodes()}, never take it past its plan: exactly the manual limit is created, the cap is held,
   * and each evicted token is evicted once.
   */
  @Test
  void racingCreatesAndAutoIssues_neverExceedTheLimits() throws Exception {
    TokenStore store = newStore();
    assertThat(store).as("newStore()").isNotNull();
    List<TokenStore> nodeStores = new ArrayList<>();
    try {
      for (int node = 0; node < nodes(); node++) {
        TokenStore nodeStore = nodeStore(store, node);
        assertThat(nodeStore).as("nodeStore(store, %d)", node).isNotNull();
        nodeStores.add(nodeStore);
      }
      racingCreatesAndAutoIssues(nodeStores);
    } finally {
      nodeStores.forEach(this::closeNodeStore);
      closeStore(store);
    }
  }

  private void racingCreatesAndAutoIssues(List<TokenStore> nodeStores) throws Exception {
    int threads = threads() * nodeStores.size();
    int attempts = operationsPerThread();
    List<TokenEvent> events = new CopyOnWriteArrayList<>();
    FakeClock clock = FakeClock.at(START);
    List<TokenService> services = new ArrayList<>();
    for (int node = 0; node < nodeStores.size(); node++) {
      services.add(
          service(nodeStores.get(node), clock)
              .random(new SeededRandom(42 + node)) // one seed each, or the nodes draw the same ids
              .plans(owner -> RACY)
              .listener(events::add)
              .build());
    }
    AtomicInteger created = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger evicted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    int manualThreads = 0;
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        boolean manual = t % 2 == 0;
        manualThreads += manual ? 1 : 0;
        TokenService service = services.get(t % services.size());
        futures.add(
            executor.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < attempts; i++) {
                    if (manual) {
                      try {
                        service.create("alice", TokenRequest.of("t", Scope.REPO_READ));
                        created.incrementAndGet();
                      } catch (PlanLimitExceededException e) {
                        refused.incrementAndGet();
                      }
                    } else {
                      IssuedToken token = service.issueAutoGenerated("alice", ClientInfo.unknown());
                      issued.incrementAndGet();
                      token.evicted().ifPresent(e -> evicted.incrementAndGet());
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get(5, TimeUnit.MINUTES); // a guard against a hang, not a timing assertion
      }
    } finally {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).as("threads stopped").isTrue();
      services.forEach(TokenService::close);
    }

    int limit = RACY.manualTokenLimit().getAsInt();
    int cap = RACY.autoGeneratedCap();
    int autoIssued = (threads - manualThreads) * attempts;
    List<AccessToken> tokens = services.get(0).list("alice", PageRequest.first(100)).tokens();
    assertThat(created)
        .as("manual tokens created")
        .hasValue(Math.min(limit, manualThreads * attempts));
    assertThat(refused).as("creates refused").hasValue(manualThreads * attempts - created.get());
    assertThat(tokens.stream().filter(t -> t.origin() == TokenOrigin.MANUAL).count())
        .as("manual tokens held")
        .isEqualTo(created.get());
    assertThat(tokens.stream().filter(t -> t.origin() == TokenOrigin.AUTO_GENERATED).count())
        .as("auto-generated tokens held")
        .isEqualTo(Math.min(cap, autoIssued));
    assertThat(issued).hasValue(autoIssued);
    assertThat(evicted).as("evictions").hasValue(Math.max(0, autoIssued - cap));
    List<UUID> evictedIds =
        events.stream()
            .filter(TokenEvent.Evicted.class::isInstance)
            .map(e -> ((TokenEvent.Evicted) e).token().id())
            .toList();
    assertThat(evictedIds).hasSize(evicted.get()).doesNotHaveDuplicates();
  }

  // ---------------------------------------------------------------------------------------------
  // Shared set-up

  /** A service over {@code store} with a fast hasher, {@code clock} and a seeded random. */
  private static TokenService.Builder service(TokenStore store, FakeClock clock) {
    return TokenService.builder()
        .store(store)
        .clock(clock)
        .random(new SeededRandom(42))
        .hasher(HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256")));
  }

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /**
   * {@code real} with one character of its secret part changed and the checksum made valid again: a
   * well-formed token whose lookup part finds the real one.
   */
  private static TokenSecret wrongSecretFor(TokenSecret real) {
    String token = real.reveal();
    int prefixEnd = token.lastIndexOf('_') + 1;
    char[] body = token.substring(prefixEnd, prefixEnd + 44).toCharArray();
    int at = 16 + 5; // inside the secret part, after the 16-digit lookup part
    body[at] = BASE62.charAt((BASE62.indexOf(body[at]) + 1) % BASE62.length());
    String newBody = new String(body);
    CRC32 crc = new CRC32();
    crc.update(newBody.getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] checksum = new char[6];
    for (int i = 5; i >= 0; i--) {
      checksum[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return TokenSecret.of(token.substring(0, prefixEnd) + newBody + new String(checksum));
  }

  /** A SecureRandom whose output depends only on its seed, so runs can be replayed. */
  private static final class SeededRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient SplittableRandom source;

    SeededRandom(long seed) {
      this.source = new SplittableRandom(seed);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      source.nextBytes(bytes);
    }

    @Override
    public void setSeed(long seed) {
      // Called by SecureRandom's constructor before the source exists; the seed is fixed anyway.
    }
  }
}
