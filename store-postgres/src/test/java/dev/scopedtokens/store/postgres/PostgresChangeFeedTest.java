package dev.scopedtokens.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenChangeFeed;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.TokenOrigin;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL change feed against a real server: delivery, isolation, and its faults. */
class PostgresChangeFeedTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TestDatabase database = TestDatabase.get();
  private final List<String> schemas = new ArrayList<>();
  private final List<TokenChangeFeed.Subscription> subscriptions = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    subscriptions.forEach(TokenChangeFeed.Subscription::close);
    schemas.forEach(database::dropSchema);
  }

  private PostgresTokenStore store(String schema, FeedProbe probe) {
    return PostgresTokenStore.builder(database.pool())
        .schema(schema)
        .schemaMode(PostgresTokenStore.SchemaMode.MIGRATE)
        .changeFeed(probe.settings(database))
        .build();
  }

  private String schema() {
    String schema = database.freshSchema();
    schemas.add(schema);
    return schema;
  }

  private void follow(PostgresTokenStore store, FeedProbe probe) throws InterruptedException {
    subscriptions.add(store.changeFeed().orElseThrow().subscribe(probe));
    probe.await("healthy");
  }

  private static StoredToken token(String owner) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    AccessToken token =
        new AccessToken(
            UUID.randomUUID(),
            owner,
            "t",
            Set.of(Scope.REPO_READ),
            TokenOrigin.MANUAL,
            true,
            T0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            ClientInfo.unknown());
    return StoredToken.of(token, LookupKey.of(key), "$h$");
  }

  private static StoredToken put(PostgresTokenStore store, StoredToken token) {
    store.update(token.token().owner(), account -> AccountChange.put(token, Boolean.TRUE));
    return token;
  }

  @Test
  void aStoreWithoutAFeed_hasNone() {
    PostgresTokenStore store =
        PostgresTokenStore.builder(database.pool())
            .schema(schema())
            .schemaMode(PostgresTokenStore.SchemaMode.MIGRATE)
            .build();

    assertThat(store.changeFeed()).isEmpty();
  }

  @Test
  void aStoreWithoutAFeed_stillPublishesItsChanges_toTheNodesThatListen() throws Exception {
    String schema = schema();
    FeedProbe listening = new FeedProbe();
    PostgresTokenStore node = store(schema, listening);
    follow(node, listening);
    PostgresTokenStore writeOnly =
        PostgresTokenStore.builder(database.pool())
            .schema(schema)
            .schemaMode(PostgresTokenStore.SchemaMode.VALIDATE)
            .build();

    StoredToken written = put(writeOnly, token("alice"));

    assertThat(listening.await("changed")).isEqualTo("changed " + Set.of(written.token().id()));
  }

  @Test
  void aStoreThatPublishesNothing_sendsNoNotice() throws Exception {
    String schema = schema();
    FeedProbe listening = new FeedProbe();
    PostgresTokenStore node = store(schema, listening);
    follow(node, listening);
    PostgresTokenStore quiet =
        PostgresTokenStore.builder(database.pool())
            .schema(schema)
            .schemaMode(PostgresTokenStore.SchemaMode.VALIDATE)
            .publishChanges(false)
            .build();

    put(quiet, token("alice"));
    StoredToken after = put(node, token("alice"));

    assertThat(listening.await("changed")).isEqualTo("changed " + Set.of(after.token().id()));
  }

  @Test
  void aCommittedChange_reachesEveryStoreOnTheSameSchema_withEveryIdItPutOrDeleted()
      throws Exception {
    String schema = schema();
    FeedProbe onA = new FeedProbe();
    FeedProbe onB = new FeedProbe();
    PostgresTokenStore a = store(schema, onA);
    PostgresTokenStore b = store(schema, onB);
    follow(a, onA);
    follow(b, onB);
    StoredToken gone = put(a, token("alice"));
    onB.awaitChanged(gone.token().id());
    StoredToken added = token("alice");

    a.update("alice", account -> AccountChange.put(added, 1).andDelete(gone.token().id()));

    assertThat(onB.await("changed"))
        .contains(added.token().id().toString())
        .contains(gone.token().id().toString())
        .hasSize("changed [".length() + 36 + ", ".length() + 36 + "]".length());
    onA.awaitChanged(added.token().id()); // a node hears its own changes too
  }

  /**
   * The order the three-node model test's barrier relies on ({@link
   * PostgresThreeNodeTokenServiceContractTest}): notices reach a subscriber in commit order, and
   * each notice reaches every subscriber before any subscriber hears the next one, so a subscriber
   * that hears a notice knows every other subscriber heard every notice committed before it.
   */
  @Test
  void notices_reachEverySubscriberInCommitOrder_oneNoticeAtATime() throws Exception {
    String schema = schema();
    PostgresTokenStore writer = store(schema, new FeedProbe()); // sends notices, listens to none
    FeedProbe probe = new FeedProbe();
    PostgresTokenStore listener = store(schema, probe);
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    TokenChangeFeed feed = listener.changeFeed().orElseThrow();
    subscriptions.add(feed.subscribe(new Recorder("first", heard)));
    subscriptions.add(feed.subscribe(new Recorder("second", heard)));
    follow(listener, probe);
    List<String> expected = new ArrayList<>();
    UUID last = null;
    for (int i = 0; i < 20; i++) {
      last = put(writer, token("alice")).token().id();
      expected.add("first " + last);
      expected.add("second " + last);
    }

    probe.awaitChanged(last); // the probe subscribed last: the recorders heard it before

    assertThat(heard).containsExactlyElementsOf(expected);
  }

  /** Notes each notice it hears, as its name and the one id. */
  private record Recorder(String name, List<String> heard) implements TokenChangeFeed.Listener {
    @Override
    public void onHealthy() {}

    @Override
    public void onUnhealthy(String reason) {}

    @Override
    public void onTokensChanged(Set<UUID> tokenIds) {
      heard.add(name + " " + tokenIds.iterator().next());
    }

    @Override
    public void onAllChanged() {
      heard.add(name + " all");
    }
  }

  @Test
  void aChangeThatRollsBack_sendsNothing() throws Exception {
    String schema = schema();
    FeedProbe probe = new FeedProbe();
    PostgresTokenStore store = store(schema, probe);
    follow(store, probe);
    StoredToken held = put(store, token("alice"));
    probe.awaitChanged(held.token().id());

    assertThatThrownBy(
            () ->
                store.update(
                    "alice",
                    account -> AccountChange.put(token("alice"), 1).andDelete(UUID.randomUUID())))
        .isInstanceOf(IllegalArgumentException.class);
    StoredToken after = put(store, token("alice"));

    assertThat(probe.await("changed")).isEqualTo("changed " + Set.of(after.token().id()));
  }

  @Test
  void recordingLastUse_sendsNothing() throws Exception {
    FeedProbe probe = new FeedProbe();
    PostgresTokenStore store = store(schema(), probe);
    follow(store, probe);
    StoredToken held = put(store, token("alice"));
    probe.awaitChanged(held.token().id());

    store.recordLastUse("alice", held.token().id(), T0.plusSeconds(1));
    StoredToken after = put(store, token("alice"));

    assertThat(probe.await("changed")).isEqualTo("changed " + Set.of(after.token().id()));
  }

  @Test
  void storesInOtherSchemas_doNotHearEachOther() throws Exception {
    FeedProbe onA = new FeedProbe();
    FeedProbe onB = new FeedProbe();
    PostgresTokenStore a = store(schema(), onA);
    PostgresTokenStore b = store(schema(), onB);
    follow(a, onA);
    follow(b, onB);

    put(a, token("alice"));
    StoredToken onlyB = put(b, token("alice"));

    assertThat(onB.await("changed")).isEqualTo("changed " + Set.of(onlyB.token().id()));
  }

  @Test
  void aKilledListenBackend_isReportedUnhealthy_thenHealthyOnceReconnected_andNoticesFlowAgain()
      throws Exception {
    FeedProbe probe = new FeedProbe();
    PostgresTokenStore store = store(schema(), probe);
    follow(store, probe);

    probe.killListenBackend(database);

    assertThat(probe.await("unhealthy")).contains("SQLSTATE");
    assertThat(probe.await("pause")).isEqualTo("pause 100");
    assertThat(store.changeFeed().orElseThrow())
        .extracting(f -> ((PostgresChangeFeed) f).isHealthy())
        .isEqualTo(false);
    probe.allowReconnecting();
    probe.await("healthy");
    StoredToken after = put(store, token("alice"));
    probe.awaitChanged(after.token().id());
  }

  @Test
  void aRestartedServer_isReportedUnhealthy_thenHealthyOnceBack() throws Exception {
    FeedProbe probe = new FeedProbe();
    PostgresTokenStore store = store(schema(), probe);
    follow(store, probe);

    database.restart(
        () -> {
          try {
            probe.await("unhealthy");
            probe.await("pause");
            probe.reconnect.release(); // one attempt while the server is down: it fails
            assertThat(probe.await("pause ")).isEqualTo("pause 200");
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
    probe.allowReconnecting();

    probe.await("healthy");
    StoredToken after = put(store, token("alice"));
    probe.awaitChanged(after.token().id());
  }

  @Test
  void theLastSubscriberLeaving_closesTheListenConnection() throws Exception {
    FeedProbe probe = new FeedProbe();
    PostgresTokenStore store = store(schema(), probe);
    TokenChangeFeed.Subscription subscription = store.changeFeed().orElseThrow().subscribe(probe);
    probe.await("healthy");

    subscription.close();

    long deadline = System.nanoTime() + FeedProbe.PATIENCE.toNanos();
    while (listenBackends(probe) > 0) {
      assertThat(System.nanoTime()).as("the LISTEN connection is closed").isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(((PostgresChangeFeed) store.changeFeed().orElseThrow()).isHealthy()).isFalse();
  }

  private long listenBackends(FeedProbe probe) throws Exception {
    try (var connection = database.direct().getConnection();
        var statement =
            connection.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      statement.setString(1, probe.applicationName);
      try (var rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  void theSettings_refuseWhatCannotWork() {
    PostgresChangeFeed.Builder settings = PostgresChangeFeed.listeningOn(database.direct());

    assertThatThrownBy(() -> settings.pollTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollTimeout: PT0S; must be PT0.001S to PT1M");
    assertThatThrownBy(
            () -> settings.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reconnectBackoff: first PT2S is longer than max PT1S");
    settings.pollTimeout(Duration.ofSeconds(3));
    assertThatThrownBy(
            () ->
                PostgresTokenStore.builder(database.pool())
                    .schemaMode(PostgresTokenStore.SchemaMode.NONE)
                    .changeFeed(settings)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("networkTimeout PT2S must be longer than pollTimeout PT3S");
    assertThatThrownBy(
            () ->
                PostgresTokenStore.builder(database.pool())
                    .schema("s".repeat(40))
                    .tablePrefix("p".repeat(30))
                    .schemaMode(PostgresTokenStore.SchemaMode.NONE)
                    .changeFeed(database.direct())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than PostgreSQL's 63 characters");
  }
}
