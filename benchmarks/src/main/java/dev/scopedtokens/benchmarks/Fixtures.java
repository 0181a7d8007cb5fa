package dev.scopedtokens.benchmarks;

import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.secret.SecretHasher;
import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;

/** The verifiers the benchmarks compare, by the names their {@code @Param}s use. */
final class Fixtures {
  /** The {@code @Param} value for {@link Argon2idHasher#defaults()}. */
  static final String ARGON2ID = "argon2id";

  /** The {@code @Param} value for {@link HmacSha256Hasher} with a random 32-byte pepper. */
  static final String HMAC = "hmac";

  private Fixtures() {}

  /** Returns the verifier named {@code name}: the SDK's defaults for each. */
  static SecretHasher hasher(String name) {
    return switch (name) {
      case ARGON2ID -> Argon2idHasher.defaults();
      case HMAC -> HmacSha256Hasher.withPepper(pepper());
      default ->
          throw new IllegalArgumentException("hasher: " + name + "; must be argon2id or hmac");
    };
  }

  /** Returns a fresh random 32-byte HMAC-SHA-256 key. */
  static SecretKeySpec pepper() {
    byte[] pepper = new byte[32];
    new SecureRandom().nextBytes(pepper);
    return new SecretKeySpec(pepper, "HmacSHA256");
  }
}
