package dev.scopedtokens.examples;

import dev.scopedtokens.client.AccessTokenPage;
import dev.scopedtokens.client.CreatedAccessToken;
import dev.scopedtokens.client.Credentials;
import dev.scopedtokens.client.HubClient;
import dev.scopedtokens.client.HubForbiddenException;
import dev.scopedtokens.client.HubPlanLimitException;
import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.scope.AccessPolicy;
import dev.scopedtokens.scope.AccountAction;
import dev.scopedtokens.scope.OwnerAccess;
import dev.scopedtokens.scope.RegistryAction;
import dev.scopedtokens.scope.RegistryScope;
import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.scope.RepositoryVisibility;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.testkit.FakeClock;
import dev.scopedtokens.testkit.FakeDockerHub;
import dev.scopedtokens.testkit.FakeHubUser;
import dev.scopedtokens.testkit.RecordedRequest;
import dev.scopedtokens.testkit.Totp;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.IssuedToken;
import dev.scopedtokens.token.RejectionReason;
import dev.scopedtokens.token.TokenService;
import dev.scopedtokens.token.VerificationResult;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * A guided tour of Scoped Tokens: all three modules on their embedded defaults, step by step.
 *
 * <p>It starts the testkit's fake Docker Hub on loopback (the real core behind it, with the default
 * Argon2id verifier), drives it with the API client, and checks the core's answers, printing what
 * happens. It exits 0 when everything behaved as described, and 1 naming the step that did not.
 *
 * <pre>
 * mvn -q -B -ntp -pl examples -am package exec:exec -DskipTests
 * mvn -q -B -ntp -pl examples -am package exec:exec -DskipTests -Dtour.args=--serve
 * </pre>
 *
 * With {@code --serve}, the fake Docker Hub keeps running after the tour, for other tools, until
 * the process is stopped.
 */
public final class Tour {
  private static final String ALICE = "alice";
  private static final String BOB = "bob";
  private static final String CAROL = "carol";
  private static final String DAVE = "dave";
  private static final String PASSWORD = "correct horse battery staple";

  private static final String TEAM_APP = "team/app";
  private static final String REQUESTED_GRANT = "repository:team/app:pull,push,delete";

  private final PrintStream out;
  private final FakeClock clock;
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final Totp bobsTotp;
  private final FakeDockerHub hub;
  private final TokenService tokens;

  /** Alice's four tokens from step 2, one per scope, with their secrets shown once. */
  private final Map<Scope, IssuedSecret> alicesTokens = new EnumMap<>(Scope.class);

  private HubClient alice;

  private Tour(PrintStream out) {
    this.out = out;
    SecureRandom random = new SecureRandom();
    // The fake's clock starts now, so that a tool pointed at it with --serve sees sensible JWTs;
    // the tour then moves it on by hand (to pass an expiry) and never waits for it.
    this.clock = FakeClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    this.bobsTotp = Totp.random(random);
    this.hub =
        FakeDockerHub.builder()
            .clock(clock)
            .random(random)
            .store(store)
            // The embedded default verifier, so that step 2 shows what a service stores.
            .tokenHasher(Argon2idHasher.defaults())
            .user(FakeHubUser.builder(ALICE, PASSWORD).build())
            .user(FakeHubUser.builder(BOB, PASSWORD).totp(bobsTotp).build())
            .user(FakeHubUser.builder(CAROL, PASSWORD).plan(Plan.PRO_2021).build())
            .user(FakeHubUser.builder(DAVE, PASSWORD).build())
            .build();
    this.tokens = hub.tokens();
  }

  /** Runs the tour; see the class documentation for the arguments. */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /**
   * Runs the tour, printing to {@code out}.
   *
   * @return 0 when every step behaved as described, 1 when one did not, 2 for bad arguments
   */
  static int run(String[] args, PrintStream out) {
    boolean serve = false;
    for (String arg : args) {
      if (arg.isBlank()) {
        continue; // Maven passes an empty -Dtour.args as one empty argument
      } else if (arg.equals("--serve")) {
        serve = true;
      } else if (arg.equals("--help") || arg.equals("-h")) {
        out.println("usage: Tour [--serve]");
        out.println("  --serve  keep the fake Docker Hub running after the tour, until stopped");
        return 0;
      } else {
        out.println("unknown argument: " + arg + " (usage: Tour [--serve])");
        return 2;
      }
    }
    Tour tour = new Tour(out);
    try {
      tour.hub.start();
      int status = tour.runSteps();
      if (status == 0 && serve) {
        tour.serve();
      }
      return status;
    } finally {
      tour.hub.close();
    }
  }

  private int runSteps() {
    out.println("Scoped Tokens: a tour");
    out.println("=====================");
    List<Step> steps =
        List.of(
            new Step("Start a fake Docker Hub and sign in with the client", this::signIn),
            new Step("Create one token of each scope; see each secret once", this::createTokens),
            new Step("Verify the tokens with the core; what each scope may do", this::verifyTokens),
            new Step("Ask for the registry grant " + REQUESTED_GRANT, this::registryGrants),
            new Step("Reach the token limit of Docker's 2021 Pro plan", this::planLimit),
            new Step("Sign in from Docker Desktop six times", this::desktopSignIns),
            new Step("Deactivate, activate, and let a token expire", this::lifecycle),
            new Step("List 25 tokens page by page through the client", this::paging),
            new Step("Manage tokens from a session that began with a token", this::patLogin));
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      out.println();
      out.println((i + 1) + ". " + step.title());
      try {
        step.body().run();
      } catch (RuntimeException e) { // a TourFailure, or the SDK's own exception
        out.println();
        out.println("FAILED at step " + (i + 1) + " (" + step.title() + "): " + e.getMessage());
        return 1;
      }
    }
    out.println();
    out.println("Every step behaved as described.");
    return 0;
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Sign in

  private void signIn() {
    say("The fake Docker Hub listens on %s, with the real core behind it.", hub.baseUri());
    alice = client(Credentials.password(ALICE, PASSWORD));
    hub.clearRequests();
    alice.listPage(1, 10); // the client signs in on first use
    say("alice signs in with her password:");
    showJournal();

    HubClient bob = client(Credentials.password(BOB, PASSWORD, () -> bobsTotp.code(clock.peek())));
    hub.clearRequests();
    AccessTokenPage bobsTokens = bob.listPage(1, 10);
    say("bob has two-factor authentication; the client answers the server's challenge with a");
    say("code from his authenticator (TOTP, RFC 6238):");
    showJournal();
    List<Integer> statuses = statuses();
    expect(
        statuses.equals(List.of(401, 200, 200)),
        "bob's sign-in should be a 401 asking for the second factor, then 200, 200; was "
            + statuses);
    expect(bobsTokens.count() == 0, "bob should have no tokens yet");
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Create tokens

  private void createTokens() {
    for (Scope scope : Scope.values()) {
      CreatedAccessToken created = alice.create("tour " + scope.wireValue(), Set.of(scope));
      TokenSecret secret = created.secret();
      alicesTokens.put(scope, new IssuedSecret(created.token().uuid(), secret));
      say("%-16s  %s", scope.wireValue(), secret.reveal());
    }
    say("Each secret above is shown once: the API never returns it again, and the store never");
    say("held it. What the store keeps for the repo:admin token:");
    IssuedSecret admin = alicesTokens.get(Scope.REPO_ADMIN);
    StoredToken stored =
        store
            .find(ALICE, admin.id)
            .orElseThrow(() -> new TourFailure("the repo:admin token is not in the store"));
    String hash = stored.encodedHash();
    say("  verifier    %s<salt>$<digest>", phcParameters(hash));
    say("  lookup key  %s (SHA-256 of the token's public lookup part)", stored.lookupKey());
    say(
        "  metadata    label \"%s\", scopes %s, %s",
        stored.token().label(),
        stored.token().scopes().stream().map(Scope::wireValue).collect(Collectors.toList()),
        stored.token().origin());
    expect(
        hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"),
        "the default verifier should be Argon2id m=19456 KiB, t=2, p=1");
    expect(
        alice.get(admin.id).label().equals("tour repo:admin"),
        "the token read back through the API should be the one created");
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Verify and decide

  private void verifyTokens() {
    Map<String, RepositoryAccess> repositories = new LinkedHashMap<>();
    repositories.put(
        "public repository", RepositoryAccess.of(RepositoryVisibility.PUBLIC, OwnerAccess.NONE));
    repositories.put(
        "private, owner can write",
        RepositoryAccess.of(RepositoryVisibility.PRIVATE, OwnerAccess.WRITE));
    repositories.put(
        "private, owner can read",
        RepositoryAccess.of(RepositoryVisibility.PRIVATE, OwnerAccess.READ));

    List<String> columns = new ArrayList<>(repositories.keySet());
    say("%-16s  %-18s  %-24s  %-24s", "token", columns.get(0), columns.get(1), columns.get(2));
    Map<Scope, List<Set<RegistryAction>>> table = new EnumMap<>(Scope.class);
    for (Scope scope : Scope.values()) {
      VerificationResult result = tokens.verify(ALICE, alicesTokens.get(scope).secret);
      if (!(result instanceof VerificationResult.Verified verified)) {
        throw new TourFailure(
            "alice's " + scope.wireValue() + " token should verify; got " + result);
      }
      AccessToken token = verified.token();
      List<Set<RegistryAction>> row = new ArrayList<>();
      for (RepositoryAccess repository : repositories.values()) {
        row.add(AccessPolicy.allowedActions(token.scopes(), repository));
      }
      table.put(scope, row);
      say(
          "%-16s  %-18s  %-24s  %-24s",
          scope.wireValue(), actions(row.get(0)), actions(row.get(1)), actions(row.get(2)));
    }
    say("A token never allows more than its owner has: no scope pushes where alice can only read.");
    say("Account actions are never allowed to a token, not even to repo:admin:");
    say("  %s", AccessPolicy.accountDenial(AccountAction.CHANGE_PASSWORD));

    Set<RegistryAction> pull = EnumSet.of(RegistryAction.PULL);
    Set<RegistryAction> pullPush = EnumSet.of(RegistryAction.PULL, RegistryAction.PUSH);
    Set<RegistryAction> none = EnumSet.noneOf(RegistryAction.class);
    expect(
        table.get(Scope.REPO_PUBLIC_READ).equals(List.of(pull, none, none)),
        "repo:public_read row");
    expect(table.get(Scope.REPO_READ).equals(List.of(pull, pull, pull)), "repo:read row");
    expect(table.get(Scope.REPO_WRITE).equals(List.of(pull, pullPush, pull)), "repo:write row");
    expect(table.get(Scope.REPO_ADMIN).equals(List.of(pull, pullPush, pull)), "repo:admin row");
    expect(
        AccessPolicy.accountDenial(AccountAction.MANAGE_ACCESS_TOKENS)
            .contains("may not manage access tokens"),
        "no token may manage access tokens");
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Registry grants

  private void registryGrants() {
    List<RegistryScope> requested = RegistryScope.parseAll(REQUESTED_GRANT);
    say(
        "%s is private and alice administers it. The grant is what was asked for AND allowed:",
        TEAM_APP);
    Map<Scope, String> granted = new EnumMap<>(Scope.class);
    for (Scope scope : Scope.values()) {
      VerificationResult result = tokens.verify(alicesTokens.get(scope).secret);
      if (!(result instanceof VerificationResult.Verified verified)) {
        throw new TourFailure("alice's " + scope.wireValue() + " token should verify");
      }
      List<RegistryScope> grant =
          RegistryScope.grant(
              verified.token().scopes(),
              requested,
              name ->
                  name.equals(TEAM_APP)
                      ? RepositoryAccess.of(RepositoryVisibility.PRIVATE, OwnerAccess.ADMIN)
                      : RepositoryAccess.INACCESSIBLE);
      String formatted = grant.isEmpty() ? "(nothing)" : RegistryScope.formatAll(grant);
      granted.put(scope, formatted);
      say("%-16s  %s", scope.wireValue(), formatted);
    }
    expect(granted.get(Scope.REPO_PUBLIC_READ).equals("(nothing)"), "public_read grant");
    expect(granted.get(Scope.REPO_READ).equals("repository:team/app:pull"), "read grant");
    expect(granted.get(Scope.REPO_WRITE).equals("repository:team/app:pull,push"), "write grant");
    expect(
        granted.get(Scope.REPO_ADMIN).equals("repository:team/app:pull,push,delete"),
        "admin grant");
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Plan limit

  private void planLimit() {
    HubClient carol = client(Credentials.password(CAROL, PASSWORD));
    Plan plan = tokens.planOf(CAROL);
    say("carol is on %s: %d tokens.", plan.name(), plan.manualTokenLimit().orElse(-1));
    for (int i = 1; i <= 5; i++) {
      carol.create("laptop " + i, Set.of(Scope.REPO_READ));
    }
    say("She creates five tokens. The sixth:");
    try {
      carol.create("laptop 6", Set.of(Scope.REPO_READ));
      throw new TourFailure("the sixth token on the Pro plan should be refused");
    } catch (HubPlanLimitException e) {
      say("  refused: %s", e.getMessage());
    }
    expect(carol.listPage(1, 10).count() == 5, "carol should still hold exactly five tokens");
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Auto-generated tokens and eviction

  private void desktopSignIns() {
    List<IssuedToken> signIns = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      signIns.add(hub.signInFromDesktop(ALICE));
      say(
          "sign-in %d at %s: auto-generated token %s",
          i, clock.peek(), shortId(signIns.get(i - 1)));
      clock.advance(Duration.ofHours(1));
    }
    // The first token is used now, so the second becomes the least recently used.
    expect(tokens.verify(signIns.get(0).secret()).isVerified(), "the first desktop token verifies");
    say("Docker Desktop uses the token of sign-in 1 at %s.", clock.peek());
    clock.advance(Duration.ofHours(1));

    IssuedToken sixth = hub.signInFromDesktop(ALICE);
    AccessToken evicted =
        sixth.evicted().orElseThrow(() -> new TourFailure("the sixth sign-in should evict one"));
    say("sign-in 6 at %s: auto-generated token %s", clock.peek(), shortId(sixth));
    say(
        "  it evicts %s, sign-in 2's token: created %s and never used since, it is the least",
        evicted.id().toString().substring(0, 8), evicted.createdAt());
    say("  recently used of the five (sign-in 1's token is older, but was used). The cap is the");
    say("  plan's (Docker: 5); manual tokens are never evicted.");
    expect(
        evicted.id().equals(signIns.get(1).token().id()),
        "sign-in 2's token should be evicted, not " + evicted.id());
    expect(
        tokens.verify(signIns.get(1).secret()) instanceof VerificationResult.Rejected,
        "the evicted token should no longer verify");
  }

  // ---------------------------------------------------------------------------------------------
  // 7. Lifecycle

  private void lifecycle() {
    IssuedSecret write = alicesTokens.get(Scope.REPO_WRITE);
    alice.deactivate(write.id);
    expectRejected(
        "alice deactivates her repo:write token through the API; verify:",
        write.secret,
        RejectionReason.INACTIVE);
    alice.activate(write.id);
    expectAccepted("she activates it again; verify:", write.secret);

    Instant expiresAt = clock.peek().plus(Duration.ofDays(30));
    CreatedAccessToken shortLived = alice.create("for 30 days", Set.of(Scope.REPO_READ), expiresAt);
    expectAccepted("a token that expires at " + expiresAt + "; verify:", shortLived.secret());
    clock.advance(Duration.ofDays(31));
    expectRejected(
        "31 days later (the fake clock moves; nothing waits); verify:",
        shortLived.secret(),
        RejectionReason.EXPIRED);
  }

  // ---------------------------------------------------------------------------------------------
  // 8. Paging

  private void paging() {
    HubClient dave = client(Credentials.password(DAVE, PASSWORD));
    for (int i = 1; i <= 25; i++) {
      dave.create(String.format("build agent %02d", i), Set.of(Scope.REPO_READ));
      clock.advance(Duration.ofMinutes(1));
    }
    say(
        "dave creates 25 tokens, a minute apart; the client reads them ten at a time, newest first:");
    List<Integer> sizes = new ArrayList<>();
    int page = 1;
    while (true) {
      AccessTokenPage current = dave.listPage(page, 10);
      sizes.add(current.tokens().size());
      say(
          "  page %d: %2d tokens (%s ... %s), count %d, next %s",
          page,
          current.tokens().size(),
          current.tokens().get(0).label(),
          current.tokens().get(current.tokens().size() - 1).label(),
          current.count(),
          current.next().map(Object::toString).orElse("none"));
      if (!current.hasNext()) {
        break;
      }
      page++;
    }
    long streamed = dave.stream(10).count();
    say("or lazily, following next: dave.stream(10).count() = %d", streamed);
    expect(sizes.equals(List.of(10, 10, 5)), "pages of 10, 10 and 5; were " + sizes);
    expect(streamed == 25, "the stream should see all 25 tokens");
  }

  // ---------------------------------------------------------------------------------------------
  // 9. A PAT may not manage tokens

  private void patLogin() {
    TokenSecret pat = alicesTokens.get(Scope.REPO_ADMIN).secret;
    HubClient withPat = client(Credentials.secret(ALICE, pat));
    say("alice signs in with her repo:admin token instead of her password and lists her tokens:");
    try {
      withPat.listPage(1, 10);
      throw new TourFailure("a session that began with a token should not manage tokens");
    } catch (HubForbiddenException e) {
      say("  %s", e.getMessage());
      expect(e.status().equals(OptionalInt.of(403)), "the answer should be 403");
    }
    say("Docker Hub answers the same: a token is no substitute for the password where tokens");
    say("themselves are managed.");
  }

  // ---------------------------------------------------------------------------------------------
  // --serve

  private void serve() {
    out.println();
    out.println("The fake Docker Hub keeps running: listening on " + hub.baseUri());
    out.println(
        "Users (password \""
            + PASSWORD
            + "\"): alice, bob (TOTP secret "
            + bobsTotp.toBase32()
            + "), carol (Pro 2021 plan), dave.");
    out.println(
        "Try: curl -s -X POST "
            + hub.baseUri()
            + "/v2/auth/token"
            + " -H 'Content-Type: application/json'"
            + " -d '{\"identifier\":\"alice\",\"secret\":\""
            + PASSWORD
            + "\"}'");
    out.println("Stop it with Ctrl+C.");
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "tour-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private HubClient client(Credentials credentials) {
    return HubClient.builder()
        .baseUri(hub.baseUri())
        .credentials(credentials)
        .clock(clock)
        .application("scopedtokens-tour")
        .build();
  }

  private void showJournal() {
    for (RecordedRequest request : hub.requests()) {
      say(
          "  %-6s %-22s -> %s",
          request.method(),
          request.path(),
          request.status().isPresent() ? String.valueOf(request.status().getAsInt()) : "dropped");
    }
  }

  private List<Integer> statuses() {
    return hub.requests().stream()
        .map(r -> r.status().isPresent() ? r.status().getAsInt() : -1)
        .collect(Collectors.toList());
  }

  /** Verifies once, says the outcome after {@code line}, and returns it. */
  private VerificationResult verifyAndSay(String line, TokenSecret secret) {
    VerificationResult result = tokens.verify(secret);
    say(
        "%s %s",
        line,
        result instanceof VerificationResult.Rejected rejected
            ? "rejected (" + rejected.reason() + ", for the logs only)"
            : "accepted");
    return result;
  }

  private void expectAccepted(String line, TokenSecret secret) {
    VerificationResult result = verifyAndSay(line, secret);
    expect(result.isVerified(), "verify should accept; got " + result);
  }

  private void expectRejected(String line, TokenSecret secret, RejectionReason reason) {
    VerificationResult result = verifyAndSay(line, secret);
    expect(
        result instanceof VerificationResult.Rejected
            && ((VerificationResult.Rejected) result).reason() == reason,
        "verify should reject with " + reason + "; got " + result);
  }

  private static String phcParameters(String encodedHash) {
    // $argon2id$v=19$m=19456,t=2,p=1$<salt>$<digest>: the first four fields are parameters.
    String[] parts = encodedHash.split("\\$");
    return parts.length < 4
        ? "(unrecognised)"
        : "$" + parts[1] + "$" + parts[2] + "$" + parts[3] + "$";
  }

  private static String actions(Set<RegistryAction> actions) {
    return actions.isEmpty()
        ? "-"
        : actions.stream().map(RegistryAction::wireValue).collect(Collectors.joining(", "));
  }

  private static String shortId(IssuedToken issued) {
    return issued.token().id().toString().substring(0, 8);
  }

  private void say(String format, Object... args) {
    out.println("   " + String.format(format, args));
  }

  private static void expect(boolean condition, String what) {
    if (!condition) {
      throw new TourFailure("expected: " + what);
    }
  }

  /** A token created in step 2: its id and the secret shown once. */
  private static final class IssuedSecret {
    final UUID id;
    final TokenSecret secret;

    IssuedSecret(UUID id, TokenSecret secret) {
      this.id = id;
      this.secret = secret;
    }
  }

  private record Step(String title, Runnable body) {}

  /** A step did not behave as the tour describes. */
  private static final class TourFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TourFailure(String message) {
      super(message);
    }
  }
}
