package dev.scopedtokens.store;

import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.token.AccessToken;
import java.util.Objects;

/**
 * What a {@link TokenStore} keeps for one token: its metadata, the key under which a presented
 * secret finds it, and the encoded hash that verifies the secret. Never the secret itself.
 *
 * <p>Equal when all three parts are equal. {@link #toString()} shows the metadata only: the encoded
 * hash is not the secret, but it is what an offline guessing attack needs, so it is not printed.
 */
public final class StoredToken {
  private final AccessToken token;
  private final LookupKey lookupKey;
  private final String encodedHash;

  private StoredToken(AccessToken token, LookupKey lookupKey, String encodedHash) {
    this.token = Objects.requireNonNull(token, "token");
    this.lookupKey = Objects.requireNonNull(lookupKey, "lookupKey");
    this.encodedHash = Objects.requireNonNull(encodedHash, "encodedHash");
    if (encodedHash.isEmpty()) {
      throw new IllegalArgumentException("encodedHash: must not be empty");
    }
  }

  /**
   * Returns a stored token.
   *
   * @param token the metadata
   * @param lookupKey the key derived from the secret, which never changes for a token
   * @param encodedHash the hasher's self-describing encoding of the secret's hash, not empty
   */
  public static StoredToken of(AccessToken token, LookupKey lookupKey, String encodedHash) {
    return new StoredToken(token, lookupKey, encodedHash);
  }

  /** Returns the token's metadata. */
  public AccessToken token() {
    return token;
  }

  /** Returns the key under which a presented secret finds this token. */
  public LookupKey lookupKey() {
    return lookupKey;
  }

  /** Returns the encoded hash that verifies a presented secret. */
  public String encodedHash() {
    return encodedHash;
  }

  /** Returns a copy with other metadata; the lookup key and the hash stay. */
  public StoredToken withToken(AccessToken newToken) {
    return new StoredToken(newToken, lookupKey, encodedHash);
  }

  /** Returns a copy with another encoded hash of the same secret, as after a re-hash. */
  public StoredToken withEncodedHash(String newEncodedHash) {
    return new StoredToken(token, lookupKey, newEncodedHash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredToken other
        && token.equals(other.token)
        && lookupKey.equals(other.lookupKey)
        && encodedHash.equals(other.encodedHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(token, lookupKey, encodedHash);
  }

  /** Returns the metadata; the encoded hash is never part of it. */
  @Override
  public String toString() {
    return "StoredToken[token=" + token + ", encodedHash=redacted]";
  }
}
