package dev.scopedtokens.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The cache's own entry points, in particular the ones a change feed from other nodes uses, which
 * know token ids only.
 */
class VerifiedTokenCacheTest {
  private static final Instant NOW = Instant.parse(Fixtures.START);
  private static final TokenFormat FORMAT = TokenFormat.defaults();

  private final VerifiedTokenCache cache = VerifiedTokenCache.bounded(Duration.ofSeconds(30), 100);
  private final TokenSecret aliceSecret = FORMAT.generate(Fixtures.seeded(1));
  private final TokenSecret bobSecret = FORMAT.generate(Fixtures.seeded(2));
  private final AccessToken alice = token("alice");
  private final AccessToken bob = token("bob");

  @Test
  void put_thenGet_returnsTheToken() {
    fill(aliceSecret, alice);
    assertThat(cache.get(cache.keyOf(aliceSecret), NOW)).contains(alice);
  }

  @Test
  void entryAsOldAsTheTtl_isGone() {
    fill(aliceSecret, alice);
    assertThat(cache.get(cache.keyOf(aliceSecret), NOW.plusSeconds(30))).isEmpty();
  }

  @Test
  void invalidateByIds_dropsOnlyThoseTokens() {
    fill(aliceSecret, alice);
    fill(bobSecret, bob);
    cache.invalidate(List.of(alice.id()));
    assertThat(cache.get(cache.keyOf(aliceSecret), NOW)).isEmpty();
    assertThat(cache.get(cache.keyOf(bobSecret), NOW)).contains(bob);
  }

  @Test
  void invalidateByIds_spoilsAFillThatReadTheStoreBefore() {
    LookupKey key = FORMAT.lookupKey(aliceSecret);
    long generation = cache.generation(key); // a verification reads this, then the store
    cache.invalidate(List.of(alice.id())); // the feed reports a change committed meanwhile
    cache.put(cache.keyOf(aliceSecret), alice, key, generation, NOW);
    assertThat(cache.get(cache.keyOf(aliceSecret), NOW)).isEmpty();
  }

  @Test
  void invalidateAll_dropsEveryEntryAndSpoilsPendingFills() {
    fill(aliceSecret, alice);
    LookupKey bobKey = FORMAT.lookupKey(bobSecret);
    long generation = cache.generation(bobKey);
    cache.invalidateAll();
    cache.put(cache.keyOf(bobSecret), bob, bobKey, generation, NOW);
    assertThat(cache.get(cache.keyOf(aliceSecret), NOW)).isEmpty();
    assertThat(cache.get(cache.keyOf(bobSecret), NOW)).isEmpty();
  }

  @Test
  void disabledCache_holdsNothing() {
    VerifiedTokenCache disabled = VerifiedTokenCache.disabled();
    LookupKey key = FORMAT.lookupKey(aliceSecret);
    disabled.put(disabled.keyOf(aliceSecret), alice, key, disabled.generation(key), NOW);
    assertThat(disabled.get(disabled.keyOf(aliceSecret), NOW)).isEmpty();
  }

  @Test
  void key_neverPrintsTheDigest() {
    assertThat(cache.keyOf(aliceSecret)).hasToString("Key[redacted]");
  }

  private void fill(TokenSecret secret, AccessToken token) {
    LookupKey key = FORMAT.lookupKey(secret);
    cache.put(cache.keyOf(secret), token, key, cache.generation(key), NOW);
  }

  private static AccessToken token(String owner) {
    return new AccessToken(
        UUID.nameUUIDFromBytes(owner.getBytes(StandardCharsets.UTF_8)),
        owner,
        "CI",
        Set.of(Scope.REPO_READ),
        TokenOrigin.MANUAL,
        true,
        NOW,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        ClientInfo.unknown());
  }
}
