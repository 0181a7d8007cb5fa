package dev.scopedtokens.token;

import dev.scopedtokens.secret.TokenSecret;
import java.util.Objects;
import java.util.Optional;

/**
 * A newly issued token with its secret: the only place the plaintext ever exists. Hand {@link
 * #secret()} to the owner once and drop it.
 *
 * <p>Not a record, because it holds a secret: {@code equals} and {@code hashCode} are identity, and
 * {@link #toString()} shows metadata only.
 */
public final class IssuedToken {
  private final AccessToken token;
  private final TokenSecret secret;
  private final Optional<AccessToken> evicted;

  IssuedToken(AccessToken token, TokenSecret secret, Optional<AccessToken> evicted) {
    this.token = Objects.requireNonNull(token, "token");
    this.secret = Objects.requireNonNull(secret, "secret");
    this.evicted = Objects.requireNonNull(evicted, "evicted");
  }

  /** Returns the new token's metadata. */
  public AccessToken token() {
    return token;
  }

  /** Returns the new token's secret; see {@link TokenSecret#reveal()}. */
  public TokenSecret secret() {
    return secret;
  }

  /**
   * Returns the auto-generated token deleted to make room for this one, when the account was at its
   * plan's cap. Always empty for manual tokens.
   */
  public Optional<AccessToken> evicted() {
    return evicted;
  }

  /** Returns the metadata; the secret is never part of it. */
  @Override
  public String toString() {
    return "IssuedToken[token="
        + token
        + ", secret=redacted, evicted="
        + evicted.map(e -> e.id().toString()).orElse("none")
        + "]";
  }
}
