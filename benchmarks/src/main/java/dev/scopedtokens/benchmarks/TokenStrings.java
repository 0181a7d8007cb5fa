package dev.scopedtokens.benchmarks;

import dev.scopedtokens.secret.TokenFormat;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Builds token strings of a {@link TokenFormat} as its documentation describes them, for inputs the
 * format itself has no reason to make: a stored token's lookup part with another secret part, or a
 * token with one character changed and a valid checksum. Every string it returns as well formed is
 * checked with {@link TokenFormat#isWellFormed}, so a change of format fails here rather than
 * measuring malformed tokens.
 */
final class TokenStrings {
  /** Digits in the lookup part, as {@link TokenFormat} documents. */
  static final int LOOKUP_PART = 16;

  /** Digits in the secret part, as {@link TokenFormat} documents. */
  static final int SECRET_PART = 28;

  /** Digits of checksum: the CRC32 of the body in base62, most significant first. */
  static final int CHECKSUM = 6;

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final TokenFormat format;
  private final SplittableRandom random;

  TokenStrings(TokenFormat format, SplittableRandom random) {
    this.format = format;
    this.random = random;
  }

  /** Returns a well-formed token whose lookup part is random, so no store holds it. */
  String unknown() {
    return withChecksum(format.prefix() + randomDigits(LOOKUP_PART + SECRET_PART));
  }

  /** Returns {@code real}'s lookup part with a random secret part and a valid checksum. */
  String wrongSecret(String real) {
    return withChecksum(real.substring(0, secretStart()) + randomDigits(SECRET_PART));
  }

  /**
   * Returns {@code real} with only the character at {@code indexInSecretPart} of its secret part
   * changed, and a valid checksum.
   */
  String changedInSecretPart(String real, int indexInSecretPart) {
    String changed = replaceAt(real, secretStart() + indexInSecretPart);
    return withChecksum(changed.substring(0, changed.length() - CHECKSUM));
  }

  /** Returns {@code real} with one character of its checksum changed: not well formed. */
  String badChecksum(String real) {
    return replaceAt(real, real.length() - 1 - random.nextInt(CHECKSUM));
  }

  private int secretStart() {
    return format.prefix().length() + LOOKUP_PART;
  }

  private String randomDigits(int count) {
    StringBuilder digits = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      digits.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    return digits.toString();
  }

  /** Replaces the character at {@code index} by a different base62 digit. */
  private String replaceAt(String token, int index) {
    char old = token.charAt(index);
    char replacement = old;
    while (replacement == old) {
      replacement = BASE62.charAt(random.nextInt(BASE62.length()));
    }
    return token.substring(0, index) + replacement + token.substring(index + 1);
  }

  private String withChecksum(String prefixAndBody) {
    CRC32 crc = new CRC32();
    for (int i = format.prefix().length(); i < prefixAndBody.length(); i++) {
      crc.update(prefixAndBody.charAt(i)); // base62 digits are ASCII
    }
    long value = crc.getValue();
    char[] digits = new char[CHECKSUM];
    for (int i = CHECKSUM - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % BASE62.length()));
      value /= BASE62.length();
    }
    String token = prefixAndBody + new String(digits);
    if (!format.isWellFormed(token)) {
      throw new IllegalStateException(
          "the token format changed: a recomputed checksum is not accepted by " + format);
    }
    return token;
  }
}
