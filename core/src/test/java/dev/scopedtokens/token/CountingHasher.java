package dev.scopedtokens.token;

import dev.scopedtokens.secret.SecretHasher;
import dev.scopedtokens.secret.TokenSecret;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the fast test hasher, counts what the service asks of it, and can hold one {@link #verify}
 * until released, so a test can interleave a verification with another operation.
 */
final class CountingHasher implements SecretHasher {
  final AtomicInteger hashes = new AtomicInteger();
  final AtomicInteger verifies = new AtomicInteger();
  final AtomicInteger decoys = new AtomicInteger();
  private static final String UPGRADED = "v2";
  private volatile boolean upgraded;
  private volatile CountDownLatch entered;
  private volatile CountDownLatch release;

  /**
   * Switches to "new parameters": hashes are marked as upgraded from now on, and {@link
   * #needsRehash} answers true for hashes made before. Both still verify.
   */
  void upgrade() {
    this.upgraded = true;
  }

  /** Makes the next {@link #verify} count down {@code entered}, then wait for {@code release}. */
  void holdNextVerify(CountDownLatch entered, CountDownLatch release) {
    this.entered = entered;
    this.release = release;
  }

  @Override
  public String hash(TokenSecret secret) {
    hashes.incrementAndGet();
    return (upgraded ? UPGRADED : "") + Fixtures.HASHER.hash(secret);
  }

  @Override
  public boolean verify(String encodedHash, TokenSecret presented) {
    verifies.incrementAndGet();
    CountDownLatch in = entered;
    CountDownLatch out = release;
    if (in != null) {
      entered = null;
      in.countDown();
      try {
        out.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    String inner = encodedHash.startsWith(UPGRADED) ? encodedHash.substring(2) : encodedHash;
    return Fixtures.HASHER.verify(inner, presented);
  }

  @Override
  public void verifyDecoy(TokenSecret presented) {
    decoys.incrementAndGet();
    Fixtures.HASHER.verifyDecoy(presented);
  }

  @Override
  public boolean needsRehash(String encodedHash) {
    return upgraded && !encodedHash.startsWith(UPGRADED);
  }
}
