package dev.scopedtokens.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.store.TokenChangeFeed;
import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.testkit.TokenServiceContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The token service's model-based lifecycle test, from the testkit unchanged, over three nodes on
 * one PostgreSQL, caches on: each generated sequence on a fresh schema, each node a store object of
 * its own over that schema with a change feed of its own (its own {@code LISTEN} connection), and
 * the operations spread over the nodes. The model is exact on every node after every step.
 *
 * <p>The barrier that makes it exact ({@link #awaitPropagation}): after a step, a marker notice is
 * committed on the schema's channel, and the test waits until every node's feed delivered it.
 * PostgreSQL delivers the notices of committed transactions to a listening session in commit order,
 * and a {@link PostgresChangeFeed} hands each notice it reads to all its subscribers, on its one
 * listening thread, before it reads the next ({@link PostgresChangeFeedTest} pins that order). The
 * step's change committed before its call returned, so before the marker: when a node's probe hears
 * the marker, that node's service has already dropped what the step's change made stale. That holds
 * only if the feed listened throughout: each node's store is handed to its service only once its
 * feed reported healthy ({@code LISTEN} in effect), and every barrier fails when a feed reported
 * itself unhealthy since the one before, as a lost connection makes it.
 *
 * <p>The racing-threads test of the contract runs too, over one node; the race over three nodes
 * with 8 threads each is {@link MultiNodePostgresTest}.
 */
class PostgresThreeNodeTokenServiceContractTest extends TokenServiceContract {
  private static final int NODES = 3;

  private final TestDatabase database = TestDatabase.get();

  /** What each sequence's store stands for: its schema, and its nodes once they exist. */
  private final Map<TokenStore, Sequence> sequences = new IdentityHashMap<>();

  /** The probe of each node store, so its subscription can end with the node. */
  private final Map<TokenStore, Node> nodesByStore = new IdentityHashMap<>();

  private record Node(int index, FeedProbe probe, TokenChangeFeed.Subscription subscription) {}

  private static final class Sequence {
    final String schema;
    final List<Node> nodes = new ArrayList<>();
    String channel;

    Sequence(String schema) {
      this.schema = schema;
    }
  }

  @Override
  protected TokenStore newStore() {
    String schema = database.freshSchema();
    // The sequence's own handle on the schema: it migrates it and publishes changes, but listens
    // to nothing. The nodes get their own stores below.
    PostgresTokenStore store =
        PostgresTokenStore.builder(database.pool())
            .schema(schema)
            .schemaMode(PostgresTokenStore.SchemaMode.MIGRATE)
            .build();
    synchronized (sequences) {
      sequences.put(store, new Sequence(schema));
    }
    return store;
  }

  @Override
  protected TokenStore nodeStore(TokenStore store, int node) {
    Sequence sequence = sequenceOf(store);
    FeedProbe probe = new FeedProbe();
    PostgresTokenStore nodeStore =
        PostgresTokenStore.builder(database.pool())
            .schema(sequence.schema)
            .schemaMode(PostgresTokenStore.SchemaMode.VALIDATE)
            .changeFeed(probe.settings(database))
            .build();
    PostgresChangeFeed feed = (PostgresChangeFeed) nodeStore.changeFeed().orElseThrow();
    // Subscribed before the node's service: the feed's thread starts with the probe, and once it
    // listens the service joins it, hearing onHealthy as it subscribes. A marker committed from
    // now on reaches this node.
    Node added = new Node(node, probe, feed.subscribe(probe));
    try {
      probe.await("healthy");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      added.subscription().close();
      throw new IllegalStateException("interrupted waiting for node " + node + "'s feed", e);
    }
    synchronized (sequences) {
      sequence.channel = feed.channel();
      sequence.nodes.add(added);
      nodesByStore.put(nodeStore, added);
    }
    return nodeStore;
  }

  @Override
  protected void closeNodeStore(TokenStore nodeStore) {
    Node node;
    synchronized (sequences) {
      node = nodesByStore.remove(nodeStore);
    }
    // The node's service is closed already: the last subscriber leaving stops the feed's thread,
    // which closes the LISTEN connection.
    node.probe().allowReconnecting();
    node.subscription().close();
  }

  @Override
  protected void closeStore(TokenStore store) {
    Sequence sequence;
    synchronized (sequences) {
      sequence = sequences.remove(store);
    }
    database.dropSchema(sequence.schema);
  }

  @Override
  protected int nodes() {
    return NODES;
  }

  @Override
  protected int sequences() {
    return 100; // each sequence migrates a schema and opens three LISTEN connections of its own
  }

  /**
   * Commits a marker notice on the schema's channel and waits until every node's feed delivered it:
   * every change committed before the marker has then been delivered to every node's service.
   */
  @Override
  protected void awaitPropagation(TokenStore store) {
    Sequence sequence = sequenceOf(store);
    List<Node> nodes;
    String channel;
    synchronized (sequences) {
      nodes = List.copyOf(sequence.nodes);
      channel = sequence.channel;
    }
    assertThat(nodes).as("nodes of the sequence").hasSize(NODES);
    UUID marker = UUID.randomUUID(); // no token's id: the services drop nothing for it
    try (Connection connection = database.pool().getConnection();
        PreparedStatement notify = connection.prepareStatement(ChangeNotices.NOTIFY_SQL)) {
      connection.setAutoCommit(true);
      notify.setString(1, channel);
      notify.setString(2, ChangeNotices.payloads(Set.of(marker)).get(0));
      notify.execute();
    } catch (SQLException e) {
      throw new IllegalStateException("committing the marker notice: " + e.getMessage(), e);
    }
    for (Node node : nodes) {
      try {
        node.probe().awaitMarker(marker, "node " + node.index());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for node " + node.index(), e);
      }
    }
  }

  private Sequence sequenceOf(TokenStore store) {
    synchronized (sequences) {
      Sequence sequence = sequences.get(store);
      assertThat(sequence).as("the sequence of %s", store).isNotNull();
      return sequence;
    }
  }
}
