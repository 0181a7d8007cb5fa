package dev.scopedtokens.secret;

/**
 * Turns a token secret into what the store keeps, and checks a presented secret against it.
 *
 * <p>Implementations are thread-safe. {@link #verify} and {@link #verifyDecoy} cost the same work,
 * so that a token that does not exist cannot be told apart from one whose secret is wrong by how
 * long the answer takes.
 */
public interface SecretHasher {

  /** Returns the self-describing encoded hash of {@code secret} (a PHC string for Argon2id). */
  String hash(TokenSecret secret);

  /**
   * Returns whether {@code presented} is the secret behind {@code encodedHash}, comparing in
   * constant time. A hash this hasher cannot read yields {@code false}, never an exception; an
   * unchecked exception means the verification itself could not run (for instance the thread was
   * interrupted while waiting for a bounded resource), not that the secret is wrong.
   */
  boolean verify(String encodedHash, TokenSecret presented);

  /**
   * Spends the same work as {@link #verify} on a token that was not found, and discards the
   * outcome.
   */
  void verifyDecoy(TokenSecret presented);

  /**
   * Returns whether {@code encodedHash} was made with other parameters than this hasher's, so that
   * it should be replaced by {@link #hash} after the next successful verification.
   */
  boolean needsRehash(String encodedHash);
}
