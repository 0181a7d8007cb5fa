package dev.scopedtokens.store.postgres;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenStore;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.TokenOrigin;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Tokens for the store's own tests: distinct ids and lookup keys, instants at microseconds. */
final class StoreFixture {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private StoreFixture() {}

  static StoredToken token(String owner, String label, ClientInfo client) {
    long n = SEQUENCE.incrementAndGet();
    AccessToken token =
        new AccessToken(
            UUID.randomUUID(),
            owner,
            label,
            Set.of(Scope.REPO_READ),
            TokenOrigin.MANUAL,
            true,
            T0.plusSeconds(n),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            client);
    return StoredToken.of(token, key(n), "$hmac-sha256$v=1$" + n);
  }

  static StoredToken token(String owner) {
    return token(owner, "token", ClientInfo.unknown());
  }

  static LookupKey key(long n) {
    return LookupKey.of(ByteBuffer.allocate(32).putLong(0x7e57_0000_0000_0000L).putLong(n).array());
  }

  static StoredToken insert(TokenStore store, StoredToken token) {
    store.update(token.token().owner(), snapshot -> AccountChange.put(token, true));
    return token;
  }

  static StoredToken relabeled(StoredToken stored, String label) {
    AccessToken t = stored.token();
    return stored.withToken(
        new AccessToken(
            t.id(),
            t.owner(),
            label,
            t.scopes(),
            t.origin(),
            t.active(),
            t.createdAt(),
            t.lastUsedAt(),
            t.expiresAt(),
            t.revokedAt(),
            t.client()));
  }
}
