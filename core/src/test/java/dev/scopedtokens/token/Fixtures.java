package dev.scopedtokens.token;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.plan.PlanResolver;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.SecretHasher;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import javax.crypto.spec.SecretKeySpec;

/** Shared test set-up: a fast hasher, a replayable random and a service builder over them. */
final class Fixtures {
  static final String ALICE = "alice";
  static final String BOB = "bob";
  static final String START = "2024-05-01T10:00:00Z";

  /** HMAC is fast, so tests can hash freely; Argon2 is tested where the test is about Argon2. */
  static final SecretHasher HASHER =
      HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256"));

  private Fixtures() {}

  static TokenService.Builder service(MutableClock clock, Plan plan) {
    return service(clock, PlanResolver.fixed(plan));
  }

  static TokenService.Builder service(MutableClock clock, PlanResolver plans) {
    return TokenService.builder().clock(clock).plans(plans).random(seeded(42)).hasher(HASHER);
  }

  /** A SecureRandom whose output depends only on {@code seed}. For tests only. */
  static SecureRandom seeded(long seed) {
    return new SeededRandom(seed);
  }

  private static final class SeededRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient SplittableRandom source;

    SeededRandom(long seed) {
      this.source = new SplittableRandom(seed);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
      source.nextBytes(bytes);
    }

    @Override
    public void setSeed(long seed) {
      // Called by SecureRandom's constructor before the source exists; the seed is fixed anyway.
    }
  }
}
