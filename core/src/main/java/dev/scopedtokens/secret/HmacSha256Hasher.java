package dev.scopedtokens.secret;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The fast verifier: HMAC-SHA-256 of the token under a server-side pepper.
 *
 * <p>A password needs a slow hash because people choose guessable ones. A token from {@link
 * TokenFormat#generate} has more than 160 random bits in its secret part alone, which no amount of
 * guessing covers, so a keyed fast hash is enough, and a store that leaks without the pepper
 * reveals nothing checkable at all. Choose it over {@link Argon2idHasher} when verification rate
 * matters and the pepper can be kept apart from the store (a KMS, a secret manager, an environment
 * the database cannot read).
 *
 * <p>The encoded hash is self-describing, in the style of a PHC string:
 *
 * <pre>{@code
 * $hmac-sha256$v=1$<base64 of the 32-byte MAC, standard alphabet, no padding>
 * }</pre>
 *
 * The MAC input is the label {@code "dev.scopedtokens.secret-hmac.v1"}, a zero byte, and the
 * token's UTF-8 bytes, so that a pepper shared by mistake with another HMAC use cannot produce
 * matching values there. Verification compares with {@link MessageDigest#isEqual}, which takes time
 * independent of where the values differ.
 *
 * <p>The pepper never leaves this object: {@link #toString()} does not show it. Pepper rotation
 * needs a verifier per pepper; {@link #needsRehash} cannot detect a hash made under another pepper
 * (it would not verify either).
 *
 * <pre>{@code
 * SecretKey pepper = new SecretKeySpec(pepperBytesFromYourSecretManager, "HmacSHA256");
 * SecretHasher hasher = HmacSha256Hasher.withPepper(pepper);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class HmacSha256Hasher implements SecretHasher {
  /** The shortest pepper accepted: the HMAC-SHA-256 output size, as RFC 2104 recommends. */
  static final int MIN_PEPPER_BYTES = 32;

  private static final String ALGORITHM = "HmacSHA256";
  private static final String ENCODING_PREFIX = "$hmac-sha256$v=1$";
  private static final int MAC_BYTES = 32;
  private static final int ENCODED_MAC_LENGTH = 43; // ceil(32 * 4 / 3), unpadded
  private static final byte[] LABEL =
      "dev.scopedtokens.secret-hmac.v1\0".getBytes(StandardCharsets.US_ASCII);

  private final SecretKey pepper;
  private final Mac prototype;
  private final String decoyHash;

  private HmacSha256Hasher(SecretKey pepper, Mac prototype) {
    this.pepper = pepper;
    this.prototype = prototype;
    // Any fixed value serves: finding a token whose MAC is all zeros is a 2^-256 event.
    this.decoyHash = encode(new byte[MAC_BYTES]);
  }

  /**
   * Returns a hasher keyed with {@code pepper}, whose encoded key material must be at least 32
   * bytes. The key is used as given; keep it out of the store the hashes go to.
   *
   * @throws IllegalArgumentException when the pepper is shorter than 32 bytes, does not expose its
   *     key material (so its length cannot be checked), or is refused by the HmacSHA256
   *     implementation; the message never contains key material
   */
  public static HmacSha256Hasher withPepper(SecretKey pepper) {
    Objects.requireNonNull(pepper, "pepper");
    byte[] material = pepper.getEncoded();
    if (material == null) {
      throw new IllegalArgumentException(
          "pepper: the key does not expose its material (format "
              + pepper.getFormat()
              + "), so its length cannot be checked; pass a SecretKeySpec of at least "
              + MIN_PEPPER_BYTES
              + " bytes");
    }
    int length = material.length;
    Arrays.fill(material, (byte) 0);
    if (length < MIN_PEPPER_BYTES) {
      throw new IllegalArgumentException(
          "pepper: "
              + length
              + " bytes; must be at least "
              + MIN_PEPPER_BYTES
              + " bytes from a CSPRNG");
    }
    Mac mac = newMac();
    try {
      mac.init(pepper);
    } catch (InvalidKeyException e) {
      // Only the key's algorithm and format, which are not secret, reach the message.
      throw new IllegalArgumentException(
          "pepper: refused by "
              + ALGORITHM
              + " (key algorithm "
              + pepper.getAlgorithm()
              + ", format "
              + pepper.getFormat()
              + "): "
              + e.getMessage(),
          e);
    }
    return new HmacSha256Hasher(pepper, mac);
  }

  @Override
  public String hash(TokenSecret secret) {
    Objects.requireNonNull(secret, "secret");
    return encode(mac(secret));
  }

  @Override
  public boolean verify(String encodedHash, TokenSecret presented) {
    Objects.requireNonNull(encodedHash, "encodedHash");
    Objects.requireNonNull(presented, "presented");
    byte[] actual = mac(presented);
    byte[] expected = decode(encodedHash);
    // An unreadable hash still costs the MAC above, and compares against nothing.
    return expected != null && MessageDigest.isEqual(expected, actual);
  }

  /**
   * Computes the MAC and compares it with a decoy digest, through the same code as {@link #verify}.
   */
  @Override
  public void verifyDecoy(TokenSecret presented) {
    verify(decoyHash, presented);
  }

  /**
   * Returns {@code true} when {@code encodedHash} is not a {@code $hmac-sha256$v=1$} hash of the
   * right length; this hasher has no parameters that could be outdated.
   */
  @Override
  public boolean needsRehash(String encodedHash) {
    Objects.requireNonNull(encodedHash, "encodedHash");
    return decode(encodedHash) == null;
  }

  private byte[] mac(TokenSecret secret) {
    Mac mac = copyOfPrototype();
    byte[] token = secret.reveal().getBytes(StandardCharsets.UTF_8);
    try {
      mac.update(LABEL);
      mac.update(token);
      return mac.doFinal();
    } finally {
      Arrays.fill(token, (byte) 0);
    }
  }

  /** A {@link Mac} is not thread-safe; a clone of the initialised one skips the key setup. */
  private Mac copyOfPrototype() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      Mac mac = newMac();
      try {
        mac.init(pepper);
      } catch (InvalidKeyException impossible) {
        throw new IllegalStateException(
            ALGORITHM + " refused a key it accepted before", impossible);
      }
      return mac;
    }
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE implementation must provide HmacSHA256.
      throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
    }
  }

  private static String encode(byte[] mac) {
    return ENCODING_PREFIX + Base64.getEncoder().withoutPadding().encodeToString(mac);
  }

  /** Returns the MAC in {@code encodedHash}, or {@code null} when it is not this hasher's form. */
  private static byte[] decode(String encodedHash) {
    if (!encodedHash.startsWith(ENCODING_PREFIX)
        || encodedHash.length() != ENCODING_PREFIX.length() + ENCODED_MAC_LENGTH) {
      return null;
    }
    byte[] mac;
    try {
      mac = Base64.getDecoder().decode(encodedHash.substring(ENCODING_PREFIX.length()));
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
    return mac.length == MAC_BYTES ? mac : null;
  }

  /** Names the algorithm only; the pepper is never shown. */
  @Override
  public String toString() {
    return "HmacSha256Hasher[pepper=redacted]";
  }
}
