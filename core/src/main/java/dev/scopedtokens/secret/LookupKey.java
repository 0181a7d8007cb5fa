package dev.scopedtokens.secret;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The key under which a store finds a token from its presented secret in O(1), without scanning an
 * account's tokens. It is derived by {@link TokenFormat#lookupKey} so that it does not reveal the
 * secret; it is still printed by length only, because it need not be printed at all.
 */
public final class LookupKey {
  private final byte[] bytes;

  private LookupKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Wraps a copy of {@code bytes}, as a store reads them back.
   *
   * @throws IllegalArgumentException when {@code bytes} is empty or longer than 64 bytes
   */
  public static LookupKey of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0 || bytes.length > 64) {
      throw new IllegalArgumentException("lookup key: " + bytes.length + " bytes; must be 1 to 64");
    }
    return new LookupKey(bytes.clone());
  }

  /** Returns a copy of the key's bytes, for a store to persist. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LookupKey other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "LookupKey[" + bytes.length + " bytes]";
  }
}
