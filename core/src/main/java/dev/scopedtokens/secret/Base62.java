package dev.scopedtokens.secret;

import java.security.SecureRandom;

/**
 * Base62 over the ASCII-ordered alphabet {@code 0-9A-Za-z}: the characters that survive a
 * double-click selection, a URL, a shell and a header without quoting.
 */
final class Base62 {
  static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** The same alphabet as a regular-expression character class. */
  static final String CHARACTER_CLASS = "[0-9A-Za-z]";

  private static final int RADIX = 62;

  private Base62() {}

  /** Returns whether {@code c} is a base62 digit. */
  static boolean isDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /**
   * Appends {@code count} digits drawn uniformly from {@code random}. {@link
   * SecureRandom#nextInt(int)} rejects out-of-range draws, so every digit carries log2(62) bits.
   */
  static void appendRandom(StringBuilder out, SecureRandom random, int count) {
    for (int i = 0; i < count; i++) {
      out.append(ALPHABET.charAt(random.nextInt(RADIX)));
    }
  }

  /**
   * Appends {@code value} as exactly {@code width} digits, most significant first, left-padded with
   * {@code '0'}.
   *
   * @throws IllegalArgumentException when {@code value} is negative or needs more digits
   */
  static void appendFixedWidth(StringBuilder out, long value, int width) {
    if (value < 0) {
      throw new IllegalArgumentException("base62 value: " + value + "; must not be negative");
    }
    char[] digits = new char[width];
    long rest = value;
    for (int i = width - 1; i >= 0; i--) {
      digits[i] = ALPHABET.charAt((int) (rest % RADIX));
      rest /= RADIX;
    }
    if (rest != 0) {
      throw new IllegalArgumentException(
          "base62 value: " + value + " needs more than " + width + " digits");
    }
    out.append(digits);
  }
}
