package dev.scopedtokens.server.standalone;

import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.TokenStore;

/** Opens the token store that {@code store:} names. */
final class Stores {
  private Stores() {}

  /** A store with what closes it, and a description without credentials. */
  record Opened(TokenStore store, AutoCloseable closer, String description) {}

  static Opened open(StandaloneConfig.StoreSettings settings) {
    if (settings.url().equals("memory")) {
      return new Opened(new InMemoryTokenStore(), () -> {}, "memory");
    }
    // server cannot depend on store-postgres (whose tests use the testkit, which uses server):
    // the PostgreSQL store joins when the standalone jar is built by a module of its own.
    throw new IllegalArgumentException(
        "store: PostgreSQL is not in this build of the standalone server yet; use store: memory");
  }
}
