package dev.scopedtokens.client;

import dev.scopedtokens.secret.TokenSecret;
import java.util.Objects;

/**
 * A token just created, with its secret. The server returns the secret this once and never again:
 * hand it to its user now. {@link #toString()} shows the metadata only.
 *
 * <p>Not a record, so that the secret is never part of {@code toString}, {@code equals} or {@code
 * hashCode}.
 */
public final class CreatedAccessToken {
  private final HubAccessToken token;
  private final TokenSecret secret;

  /**
   * Pairs a created token's metadata with its secret.
   *
   * @param token the metadata
   * @param secret the secret the server returned
   */
  CreatedAccessToken(HubAccessToken token, TokenSecret secret) {
    this.token = Objects.requireNonNull(token, "token");
    this.secret = Objects.requireNonNull(secret, "secret");
  }

  /**
   * The token's metadata.
   *
   * @return the metadata, as the server described the token
   */
  public HubAccessToken token() {
    return token;
  }

  /**
   * The secret; call {@link TokenSecret#reveal()} only to hand it to its user.
   *
   * @return the secret the server returned once
   */
  public TokenSecret secret() {
    return secret;
  }

  @Override
  public String toString() {
    return "CreatedAccessToken[token=" + token + ", secret=redacted]";
  }
}
