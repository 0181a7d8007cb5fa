package dev.scopedtokens.secret;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * A {@link SecureRandom} that replays a seed, so a property's failing example can be reproduced.
 * For tests only: it is as predictable as its seed.
 */
final class SeededRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;

  private final transient SplittableRandom source;

  private SeededRandom(long seed) {
    super();
    this.source = new SplittableRandom(seed);
  }

  /** Returns a generator whose output depends only on {@code seed}. */
  static SecureRandom of(long seed) {
    return new SeededRandom(seed);
  }

  @Override
  public void nextBytes(byte[] bytes) {
    source.nextBytes(bytes);
  }

  @Override
  public void setSeed(long seed) {
    // SecureRandom's constructor calls this before the source exists; seeding is fixed anyway.
  }
}
