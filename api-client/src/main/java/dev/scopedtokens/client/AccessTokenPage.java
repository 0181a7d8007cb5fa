package dev.scopedtokens.client;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an account's tokens, as {@code GET /v2/access-tokens} returns it.
 *
 * @param count how many tokens the account has over all pages ({@code count})
 * @param activeCount how many of them are active ({@code active_count})
 * @param next the absolute link to the following page, if there is one ({@code next})
 * @param previous the absolute link to the preceding page, if there is one ({@code previous})
 * @param tokens this page's tokens ({@code results}), never with a secret
 */
public record AccessTokenPage(
    long count,
    long activeCount,
    Optional<URI> next,
    Optional<URI> previous,
    List<HubAccessToken> tokens) {

  /**
   * Checks the components and makes {@code tokens} an unmodifiable copy.
   *
   * @param count how many tokens the account has over all pages
   * @param activeCount how many of them are active
   * @param next the link to the following page, if any
   * @param previous the link to the preceding page, if any
   * @param tokens this page's tokens
   */
  public AccessTokenPage {
    if (count < 0) {
      throw new IllegalArgumentException("count: " + count + " is negative");
    }
    if (activeCount < 0) {
      throw new IllegalArgumentException("activeCount: " + activeCount + " is negative");
    }
    Objects.requireNonNull(next, "next");
    Objects.requireNonNull(previous, "previous");
    tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
  }

  /**
   * Whether the server linked a following page.
   *
   * @return true when {@link #next()} is present
   */
  public boolean hasNext() {
    return next.isPresent();
  }
}
