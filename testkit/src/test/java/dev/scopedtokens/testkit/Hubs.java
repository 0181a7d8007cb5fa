package dev.scopedtokens.testkit;

import dev.scopedtokens.secret.HmacSha256Hasher;
import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;

/** Fast, deterministic servers for the tests, here and in the client's end-to-end tests. */
public final class Hubs {
  private Hubs() {}

  /** HMAC-SHA-256 for tokens and passwords: the server's own logic, without Argon2's cost. */
  public static FakeDockerHub.Builder fast(FakeClock clock) {
    return FakeDockerHub.builder()
        .clock(clock)
        .random(new SecureRandom(new byte[] {42}))
        .tokenHasher(hmac())
        .passwordHasher(hmac());
  }

  public static HmacSha256Hasher hmac() {
    return HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256"));
  }
}
