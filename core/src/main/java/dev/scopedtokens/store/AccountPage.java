package dev.scopedtokens.store;

import java.util.List;
import java.util.Objects;

/**
 * One page of an account's tokens as {@link TokenStore#list} returns it.
 *
 * @param tokens the tokens of the page, newest first ({@link TokenStore#NEWEST_FIRST})
 * @param total how many tokens the account holds over all pages, of every origin and status
 * @param activeCount how many of them were {@linkplain dev.scopedtokens.token.TokenStatus#ACTIVE
 *     active} at the instant the listing was asked for
 */
public record AccountPage(List<StoredToken> tokens, long total, long activeCount) {

  /** Validates the counts and makes {@code tokens} an unmodifiable copy. */
  public AccountPage {
    tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
    if (total < tokens.size()) {
      throw new IllegalArgumentException(
          "total: " + total + "; must be at least the page's " + tokens.size() + " tokens");
    }
    if (activeCount < 0 || activeCount > total) {
      throw new IllegalArgumentException(
          "activeCount: " + activeCount + "; must be 0 to total (" + total + ")");
    }
  }
}
