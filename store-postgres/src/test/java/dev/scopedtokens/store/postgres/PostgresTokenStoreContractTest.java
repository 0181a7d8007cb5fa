package dev.scopedtokens.store.postgres;

import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.testkit.TokenStoreContract;

/**
 * The testkit's conformance suite, unchanged, over a fresh schema of a real PostgreSQL per test.
 */
class PostgresTokenStoreContractTest extends TokenStoreContract {
  private final TestDatabase database = TestDatabase.get();
  private String schema;

  @Override
  protected TokenStore newStore() {
    schema = database.freshSchema();
    return PostgresTokenStore.builder(database.pool())
        .schema(schema)
        .schemaMode(PostgresTokenStore.SchemaMode.MIGRATE)
        .build();
  }

  @Override
  protected void closeStore(TokenStore store) {
    database.dropSchema(schema);
  }
}
