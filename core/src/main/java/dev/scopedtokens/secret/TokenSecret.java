package dev.scopedtokens.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The plaintext of a token: what its owner presents, shown once when the token is issued.
 *
 * <p>A {@code TokenSecret} never reveals itself by accident: {@link #toString()} prints a fixed
 * placeholder, and {@code equals} and {@code hashCode} are {@link Object}'s identity, so a secret
 * cannot end up in a log line, an exception message or a hash-based collection key. Reading the
 * plaintext is a named call, {@link #reveal()}, that is easy to find in a code review. Two secrets
 * are compared in constant time with {@link #matches(TokenSecret)}.
 */
public final class TokenSecret {
  private final String plaintext;

  private TokenSecret(String plaintext) {
    this.plaintext = plaintext;
  }

  /**
   * Wraps a presented or received token string, whatever it holds: the empty string, a password
   * typed where a token goes, ten megabytes of junk. Nothing is checked here, so that a verifier
   * can be handed what a client sent without a check of its own: verification judges it, and
   * answers a string that is not a token of its format as {@code MALFORMED}, never with an
   * exception (see {@link TokenFormat#isWellFormed(CharSequence)}).
   *
   * @param plaintext the string as presented; not null
   * @throws NullPointerException when {@code plaintext} is null (a client that sent no credential
   *     has nothing to verify)
   */
  public static TokenSecret of(String plaintext) {
    Objects.requireNonNull(plaintext, "plaintext: must not be null; wrap the string as presented");
    return new TokenSecret(plaintext);
  }

  /**
   * Returns the plaintext. Call it only to hand the token to its owner or to a transport; never
   * log, print or store the result.
   */
  public String reveal() {
    return plaintext;
  }

  /** Returns the plaintext's length, which is not secret for a token of a known format. */
  public int length() {
    return plaintext.length();
  }

  /** Compares two secrets in time that does not depend on where they first differ. */
  public boolean matches(TokenSecret other) {
    Objects.requireNonNull(other, "other");
    return MessageDigest.isEqual(
        plaintext.getBytes(StandardCharsets.UTF_8),
        other.plaintext.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns a placeholder; the plaintext is never part of it. */
  @Override
  public String toString() {
    return "TokenSecret[redacted]";
  }
}
