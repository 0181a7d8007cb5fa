package dev.scopedtokens.testkit;

import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.TokenStore;

/**
 * Three services, each with its own cache, over one in-memory store: the model-based test spreads
 * its operations over them, so a change made through one node must be seen by every other node's
 * cache at once, through the store's change feed.
 */
class InMemoryThreeNodeTokenServiceContractTest extends TokenServiceContract {
  @Override
  protected TokenStore newStore() {
    return new InMemoryTokenStore();
  }

  @Override
  protected int nodes() {
    return 3;
  }
}
