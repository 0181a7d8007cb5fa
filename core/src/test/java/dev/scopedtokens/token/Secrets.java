package dev.scopedtokens.token;

import dev.scopedtokens.secret.TokenSecret;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Crafts presented tokens for verification tests: a well-formed token with the same lookup part as
 * a real one but another secret part, which finds the real token and must fail its hash.
 */
final class Secrets {
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int LOOKUP_PART = 16;
  private static final int BODY = 44;

  private Secrets() {}

  /** Returns {@code real} with one character of its secret part changed and a valid checksum. */
  static TokenSecret wrongSecretFor(TokenSecret real) {
    String token = real.reveal();
    int prefixEnd = token.lastIndexOf('_') + 1;
    char[] body = token.substring(prefixEnd, prefixEnd + BODY).toCharArray();
    int at = LOOKUP_PART + 5;
    body[at] = BASE62.charAt((BASE62.indexOf(body[at]) + 1) % BASE62.length());
    String newBody = new String(body);
    return TokenSecret.of(token.substring(0, prefixEnd) + newBody + checksum(newBody));
  }

  private static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    long value = crc.getValue();
    char[] digits = new char[6];
    for (int i = 5; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }
}
