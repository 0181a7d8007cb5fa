package dev.scopedtokens.server.accounts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as authenticator apps compute them (RFC 6238): HMAC-SHA1, 30-second
 * steps from the Unix epoch, 6 digits, keys written in Base32 (RFC 4648), for {@link
 * FileAccountDirectory}. No message of it holds a key, a code or a character of either.
 */
final class OneTimeCodes {
  /** The length of a time step, in seconds. */
  static final int STEP_SECONDS = 30;

  /** The number of digits in a code. */
  static final int DIGITS = 6;

  private static final int MODULUS = 1_000_000;
  private static final String BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private OneTimeCodes() {}

  /** Returns the time step that contains {@code at}. */
  static long stepOf(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
  }

  /** Returns the code of {@code step}, {@value #DIGITS} digits with leading zeros. */
  static String code(byte[] key, long step) {
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
    String digits = Integer.toString(binary % MODULUS);
    return "0".repeat(DIGITS - digits.length()) + digits;
  }

  /**
   * Returns the step whose code {@code code} is, among the step that contains {@code now} and its
   * two neighbours (a tolerance of one step for clock drift and typing time), or empty when it is
   * none of theirs or not {@value #DIGITS} ASCII digits. The comparison takes the same time
   * wherever the codes differ. It does not refuse a replay: the caller accepts each step once.
   */
  static OptionalLong matchingStep(byte[] key, String code, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(now, "now");
    if (code.length() != DIGITS || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
    long current = stepOf(now);
    OptionalLong match = OptionalLong.empty();
    for (long step = current - 1; step <= current + 1; step++) {
      byte[] expected = code(key, step).getBytes(StandardCharsets.US_ASCII);
      // No early exit: every candidate costs the same.
      if (MessageDigest.isEqual(expected, presented)) {
        match = OptionalLong.of(step);
      }
    }
    return match;
  }

  /**
   * Reads a Base32 key as authenticator apps show it: letters in either case, digits 2 to 7, spaces
   * ignored, optional trailing {@code =} padding.
   *
   * @param what names the value in the message, such as {@code "totp secret"}
   * @throws IllegalArgumentException when the text holds another character (the message gives its
   *     position, not the character: it is part of a secret) or no whole byte
   */
  static byte[] fromBase32(String text, String what) {
    Objects.requireNonNull(text, what);
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
        throw new IllegalArgumentException(
            what
                + ": not Base32 at position "
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
      throw new IllegalArgumentException(what + ": must hold at least one byte of Base32");
    }
    byte[] key = Arrays.copyOf(out, length);
    Arrays.fill(out, (byte) 0);
    return key;
  }
}
