package dev.scopedtokens.testkit;

import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.TokenStore;

/** The core's embedded store passes the conformance suite. */
class InMemoryTokenStoreContractTest extends TokenStoreContract {
  @Override
  protected TokenStore newStore() {
    return new InMemoryTokenStore();
  }
}
