package dev.scopedtokens.client.internal;

import dev.scopedtokens.client.AccessTokenPage;
import dev.scopedtokens.client.HubAccessToken;
import dev.scopedtokens.client.HubUnexpectedResponseException;
import java.net.URI;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Walks every page lazily: a page is fetched only when the tokens before it are used up. Follows
 * the server's absolute {@code next} links, but only on the base URI's origin, and always with the
 * caller's page size.
 */
final class TokenPages implements Iterator<HubAccessToken> {
  private final DefaultHubClient client;
  private final int pageSize;
  private final Set<URI> visited = new HashSet<>();
  private Iterator<HubAccessToken> current = Collections.emptyIterator();
  private URI next;

  TokenPages(DefaultHubClient client, URI first, int pageSize) {
    this.client = client;
    this.next = first;
    this.pageSize = pageSize;
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext() && next != null) {
      URI uri = next;
      next = null;
      if (!visited.add(uri)) {
        throw new HubUnexpectedResponseException(
            "GET "
                + uri.getRawPath()
                + ": the server's next link leads back to a page already read ("
                + uri.getRawQuery()
                + "); stopping instead of looping",
            200,
            Optional.empty(),
            0);
      }
      AccessTokenPage page = client.fetchPage(uri);
      current = page.tokens().iterator();
      // A page past the end is empty and has no next link. An empty page that links on would let
      // a server keep this loop fetching forever without the caller ever seeing a token.
      if (page.tokens().isEmpty() && page.next().isPresent()) {
        throw new HubUnexpectedResponseException(
            "GET "
                + uri.getRawPath()
                + ": the server sent an empty page ("
                + uri.getRawQuery()
                + ") that links to a next one; stopping instead of paging without end",
            200,
            Optional.empty(),
            0);
      }
      if (page.next().isPresent()) {
        next = follow(page.next().get());
      }
    }
    return current.hasNext();
  }

  @Override
  public HubAccessToken next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more tokens");
    }
    return current.next();
  }

  private URI follow(URI link) {
    if (!Origins.sameOrigin(link, client.baseUri())) {
      throw new HubUnexpectedResponseException(
          "GET "
              + client.baseUri().getRawPath()
              + "/v2/access-tokens: the server's next link points at "
              + Origins.origin(link)
              + ", not at "
              + Origins.origin(client.baseUri())
              + "; the client does not send credentials to another origin",
          200,
          Optional.empty(),
          0);
    }
    return withPageSize(link, pageSize);
  }

  /**
   * Keeps every query parameter of the link but {@code page_size}, which is always the caller's.
   */
  static URI withPageSize(URI link, int pageSize) {
    StringBuilder query = new StringBuilder();
    if (link.getRawQuery() != null) {
      for (String part : link.getRawQuery().split("&")) {
        if (part.isEmpty() || part.equals("page_size") || part.startsWith("page_size=")) {
          continue;
        }
        query.append(query.length() == 0 ? "" : "&").append(part);
      }
    }
    query.append(query.length() == 0 ? "" : "&").append("page_size=").append(pageSize);
    String base = link.toString();
    int cut = base.indexOf('?');
    int hash = base.indexOf('#');
    String prefix =
        cut >= 0 ? base.substring(0, cut) : (hash >= 0 ? base.substring(0, hash) : base);
    return URI.create(prefix + "?" + query);
  }
}
