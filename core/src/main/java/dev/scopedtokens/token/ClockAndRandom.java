package dev.scopedtokens.token;

import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * The service's only sources of time and randomness: the injected {@link Clock}, read to the
 * microsecond and refused outside what RFC 3339 can write, and the injected {@link SecureRandom},
 * for token ids and secrets.
 */
final class ClockAndRandom {
  private final Clock clock;
  private final SecureRandom random;

  ClockAndRandom(Clock clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  /**
   * The clock's instant, to the microsecond. Refused before anything is read, changed or told when
   * it is outside what RFC 3339 can write: every instant the service stores or sends derives from
   * it, and with it bounded no sum of an instant and a bounded duration can overflow.
   *
   * @throws IllegalStateException when the clock is outside 0000-01-01T00:00:00Z to
   *     9999-12-31T23:59:59.999999Z
   */
  Instant now() {
    Instant now = Objects.requireNonNull(clock.instant(), "clock.instant()");
    if (!Validation.isWritable(now)) {
      throw new IllegalStateException(
          "clock: " + Validation.outsideRfc3339(now) + "; check the clock given to the builder");
    }
    return now.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * A version 4 UUID from the injected random, as {@link UUID#randomUUID()} but not its own RNG.
   */
  UUID newId() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
    b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xff);
      lsb = (lsb << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  /** A new secret of {@code format}, from the injected random. */
  TokenSecret newSecret(TokenFormat format) {
    return format.generate(random);
  }
}
