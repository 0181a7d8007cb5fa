package dev.scopedtokens.testkit;

import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.TokenStore;

/** The token service over the core's embedded store passes the service's conformance suite. */
class InMemoryTokenServiceContractTest extends TokenServiceContract {
  @Override
  protected TokenStore newStore() {
    return new InMemoryTokenStore();
  }
}
