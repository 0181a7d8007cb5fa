package dev.scopedtokens.server.standalone;

import dev.scopedtokens.store.InMemoryTokenStore;
import dev.scopedtokens.store.TokenStore;

/** Opens the token store that {@code store:} names. */
final class Stores {
  private Stores() {}

  /** A store with what closes it, and a description without credentials. */
  record Opened(TokenStore store, AutoCloseable closer, String description) {}

  static Opened open(String store) {
    if (store.equals("memory")) {
      return new Opened(new InMemoryTokenStore(), () -> {}, "memory");
    }
    throw new IllegalArgumentException(
        "store: PostgreSQL is not in this build yet; use store: memory");
  }
}
