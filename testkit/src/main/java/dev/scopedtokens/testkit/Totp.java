package dev.scopedtokens.testkit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
  public static final int STEP_SECONDS = 30;

  /** The number of digits in a code. */
  public static final int DIGITS = 6;

  private static final int MODULUS = 1_000_000;
  private static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

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
    return fromKey(decodeBase32(secret));
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
    StringBuilder out = new StringBuilder((key.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : key) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32_ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /** Returns the 6-digit code for the time step that contains {@code at}, with leading zeros. */
  public String code(Instant at) {
    Objects.requireNonNull(at, "at");
    return format(codeForStep(stepOf(at)));
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
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(now, "now");
    if (code.length() != DIGITS || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
    long step = stepOf(now);
    OptionalLong match = OptionalLong.empty();
    for (long s = step - 1; s <= step + 1; s++) {
      byte[] expected = format(codeForStep(s)).getBytes(StandardCharsets.US_ASCII);
      // No early exit: every candidate costs the same.
      if (MessageDigest.isEqual(expected, presented)) {
        match = OptionalLong.of(s);
      }
    }
    return match;
  }

  /** Returns a placeholder; the key is never part of it. */
  @Override
  public String toString() {
    return "Totp[HMAC-SHA1, " + STEP_SECONDS + " s, " + DIGITS + " digits, key redacted]";
  }

  private static long stepOf(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
  }

  private int codeForStep(long step) {
    byte[] hash;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
    } catch (GeneralSecurityException e) {
      // Every Java platform must provide HmacSHA1.
      throw new IllegalStateException("HmacSHA1 is not available", e);
    }
    // Dynamic truncation, RFC 4226 section 5.3.
    int offset = hash[hash.length - 1] & 0x0f;
    int binary =
        ((hash[offset] & 0x7f) << 24)
            | ((hash[offset + 1] & 0xff) << 16)
            | ((hash[offset + 2] & 0xff) << 8)
            | (hash[offset + 3] & 0xff);
    return binary % MODULUS;
  }

  private static String format(int code) {
    String digits = Integer.toString(code);
    return "0".repeat(DIGITS - digits.length()) + digits;
  }

  private static byte[] decodeBase32(String text) {
    byte[] out = new byte[text.length() * 5 / 8 + 1];
    int length = 0;
    int buffer = 0;
    int bits = 0;
    boolean padding = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ') {
        continue;
      }
      if (c == '=') {
        padding = true;
        continue;
      }
      int value = BASE32_ALPHABET.indexOf(Character.toUpperCase(c));
      if (value < 0 || padding) {
        // The position is enough to find the mistake; the character itself is part of a secret.
        throw new IllegalArgumentException(
            "totp secret: not Base32 at position "
                + i
                + "; allowed are the letters A to Z (either case), the digits 2 to 7 and trailing"
                + " '=' padding");
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[length++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if (length == 0) {
      throw new IllegalArgumentException("totp secret: must hold at least one byte of Base32");
    }
    byte[] key = Arrays.copyOf(out, length);
    Arrays.fill(out, (byte) 0);
    return key;
  }
}
