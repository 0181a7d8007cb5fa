package dev.scopedtokens.store.postgres;

import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.testkit.TokenServiceContract;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The token service's model-based lifecycle and concurrency tests, from the testkit unchanged, over
 * this store: each generated sequence on a fresh schema of a real PostgreSQL, and 8 threads racing
 * on one account through one database.
 */
class PostgresTokenServiceContractTest extends TokenServiceContract {
  private final TestDatabase database = TestDatabase.get();
  private final Map<TokenStore, String> schemas = new IdentityHashMap<>();

  @Override
  protected TokenStore newStore() {
    String schema = database.freshSchema();
    PostgresTokenStore store =
        PostgresTokenStore.builder(database.pool())
            .schema(schema)
            .schemaMode(PostgresTokenStore.SchemaMode.MIGRATE)
            .build();
    synchronized (schemas) {
      schemas.put(store, schema);
    }
    return store;
  }

  @Override
  protected void closeStore(TokenStore store) {
    String schema;
    synchronized (schemas) {
      schema = schemas.remove(store);
    }
    database.dropSchema(schema);
  }

  @Override
  protected int sequences() {
    return 100; // each sequence migrates a schema of its own: a third of the default keeps it quick
  }
}
