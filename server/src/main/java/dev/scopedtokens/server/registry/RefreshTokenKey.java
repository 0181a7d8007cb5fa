package dev.scopedtokens.server.registry;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret key that seals refresh tokens (AES-256-GCM). Every node of a token server shares the
 * same keys; give the newest first, so that it seals, and keep older ones while refresh tokens they
 * sealed are still in use.
 *
 * <p>A secret: it has no {@code equals}, {@code hashCode} or revealing {@code toString}, and leaves
 * only through {@link #exportBase64()}, a named call for key-generation tools.
 */
public final class RefreshTokenKey {
  private static final int LENGTH = 32;

  private final SecretKey key;

  private RefreshTokenKey(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, "AES");
  }

  /** A new random key. */
  public static RefreshTokenKey generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] bytes = new byte[LENGTH];
    random.nextBytes(bytes);
    return new RefreshTokenKey(bytes);
  }

  /**
   * A key from its standard base64 form, as {@link #exportBase64()} writes it.
   *
   * @throws IllegalArgumentException if the text is not base64 of exactly 32 bytes (the message
   *     does not repeat it)
   */
  public static RefreshTokenKey fromBase64(String base64) {
    Objects.requireNonNull(base64, "base64");
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("refresh token key: not standard base64");
    }
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "refresh token key: must be " + LENGTH + " bytes (44 base64 characters)");
    }
    try {
      return new RefreshTokenKey(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The key in standard base64. This is the secret: store it where only the server can read. */
  public String exportBase64() {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  SecretKey secretKey() {
    return key;
  }

  /** A placeholder; the key is never part of it. */
  @Override
  public String toString() {
    return "RefreshTokenKey[redacted]";
  }
}
