package dev.scopedtokens.testkit;

import dev.scopedtokens.internal.OneTimeCodes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Time-based one-time passwords as authenticator apps compute them (RFC 6238): HMAC-SHA1, 30-second
 * steps from the Unix epoch, 6 digits. The fake Docker Hub checks two-factor codes with it, and a
 * test computes the code a user would type.
 *
 * <pre>{@code
 * Totp totp = Totp.fromBase32("JBSWY3DPEHPK3PXP");
 * hub.addUser(FakeHubUser.builder("alice", "s3cret").totp(totp).build());
 * String code = totp.code(clock.instant());
 * }</pre>
 *
 * <p>A {@code Totp} holds a secret key: it has no {@code equals}, and its {@code toString} does not
 * show the key.
 */
public final class Totp {
  /** The length of a time step, in seconds. */
  public static final int STEP_SECONDS = OneTimeCodes.STEP_SECONDS;

  /** The number of digits in a code. */
  public static final int DIGITS = OneTimeCodes.DIGITS;

  private final byte[] key;

  private Totp(byte[] key) {
    this.key = key;
  }

  /**
   * Returns a TOTP over a raw key.
   *
   * @throws IllegalArgumentException when the key is empty
   */
  public static Totp fromKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length == 0) {
      throw new IllegalArgumentException("totp key: must not be empty");
    }
    return new Totp(key.clone());
  }

  /**
   * Returns a TOTP over a key written in Base32 (RFC 4648), as authenticator apps show it: letters
   * in either case, digits 2 to 7, optional {@code =} padding, spaces ignored.
   *
   * @throws IllegalArgumentException when the text is empty or not Base32 (the message does not
   *     repeat the secret)
   */
  public static Totp fromBase32(String secret) {
    Objects.requireNonNull(secret, "secret");
    return fromKey(OneTimeCodes.fromBase32(secret, "totp secret"));
  }

  /** Returns a TOTP over a fresh random 20-byte key, the length RFC 4226 recommends. */
  public static Totp random(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] key = new byte[20];
    random.nextBytes(key);
    return new Totp(key);
  }

  /** Returns the key in Base32 without padding, to type into an authenticator app. */
  public String toBase32() {
    return OneTimeCodes.toBase32(key);
  }

  /** Returns the 6-digit code for the time step that contains {@code at}, with leading zeros. */
  public String code(Instant at) {
    Objects.requireNonNull(at, "at");
    return OneTimeCodes.code(key, OneTimeCodes.stepOf(at));
  }

  /**
   * Returns whether {@code code} is the code of the step that contains {@code now}, of the step
   * before or of the step after (a tolerance of one step for clock drift and typing time). The
   * comparison takes the same time wherever the codes differ. This check alone does not refuse a
   * replay; the fake Docker Hub does, accepting each step's code once.
   */
  public boolean verify(String code, Instant now) {
    return matchingStep(code, now).isPresent();
  }

  /** The step among the current one and its two neighbours whose code {@code code} is. */
  OptionalLong matchingStep(String code, Instant now) {
    return OneTimeCodes.matchingStep(key, code, now);
  }

  /** Returns a placeholder; the key is never part of it. */
  @Override
  public String toString() {
    return "Totp[HMAC-SHA1, " + STEP_SECONDS + " s, " + DIGITS + " digits, key redacted]";
  }
}
