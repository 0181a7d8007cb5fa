package dev.scopedtokens.token;

import java.util.List;
import java.util.Objects;

/**
 * One page of an account's tokens, newest first.
 *
 * @param tokens the page's tokens; empty past the last page
 * @param page the page number, 1-based
 * @param pageSize the requested page size
 * @param total how many tokens the account holds over all pages, of every origin and status
 * @param activeCount how many of them were {@link TokenStatus#ACTIVE} when the page was listed
 */
public record TokenPage(
    List<AccessToken> tokens, int page, int pageSize, long total, long activeCount) {

  /** Validates the components and makes {@code tokens} an unmodifiable copy. */
  public TokenPage {
    tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
    if (page < 1) {
      throw new IllegalArgumentException("page: " + page + "; must be 1 or more");
    }
    if (pageSize < 1 || tokens.size() > pageSize) {
      throw new IllegalArgumentException(
          "pageSize: " + pageSize + "; must be 1 or more and hold the page's tokens");
    }
    if (total < 0 || activeCount < 0 || activeCount > total) {
      throw new IllegalArgumentException(
          "counts: total " + total + ", active " + activeCount + "; must be 0 <= active <= total");
    }
  }

  /** Returns whether a later page holds more tokens. */
  public boolean hasNext() {
    return (long) page * pageSize < total;
  }

  /** Returns whether this is not the first page. */
  public boolean hasPrevious() {
    return page > 1;
  }
}
