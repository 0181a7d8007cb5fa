package dev.scopedtokens.interop;

import java.nio.ByteBuffer;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** RFC 6238 codes, as an authenticator app computes them, for the two-factor account. */
final class Totp {
  private Totp() {}

  static String code(String base32) {
    try {
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
      ByteBuffer key = ByteBuffer.allocate(base32.length());
      int buffer = 0;
      int bits = 0;
      for (char c : base32.toCharArray()) {
        buffer = (buffer << 5) | alphabet.indexOf(c);
        bits += 5;
        if (bits >= 8) {
          key.put((byte) (buffer >>> (bits - 8)));
          bits -= 8;
        }
      }
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key.array(), 0, key.position(), "HmacSHA1"));
      byte[] h =
          mac.doFinal(ByteBuffer.allocate(8).putLong(Instant.now().getEpochSecond() / 30).array());
      int o = h[19] & 0xf;
      int v =
          ((h[o] & 0x7f) << 24)
              | ((h[o + 1] & 0xff) << 16)
              | ((h[o + 2] & 0xff) << 8)
              | (h[o + 3] & 0xff);
      return String.format("%06d", v % 1_000_000);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
