package dev.scopedtokens.client;

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
 * caller's page size. {@link HubClient#stream(int)}, {@link HubClient#iterable(int)} and {@link
 * HubClient#listAllAsync(int)} all walk pages through this one loop.
 *
 * <p>A server cannot keep the loop going for ever: a link back to a page already read, an empty
 * page that links on, and a page that links on after the client has read as many tokens as the
 * largest {@code count} any page announced all end the walk with {@link
 * HubUnexpectedResponseException}. Messages name the path of a link, cleaned, and never its query,
 * which a server may fill with anything.
 */
final class TokenPages implements Iterator<HubAccessToken> {
  private final DefaultHubClient client;
  private final int pageSize;
  private final Set<URI> visited = new HashSet<>();
  private Iterator<HubAccessToken> current = Collections.emptyIterator();
  private URI next;
  private long read;
  private long announced;

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
      String path = "GET " + client.describePath(uri);
      visited.add(uri);
      DefaultHubClient.FetchedPage fetched = client.fetch(uri);
      AccessTokenPage page = fetched.page();
      current = page.tokens().iterator();
      read += page.tokens().size();
      announced = Math.max(announced, page.count());
      if (page.next().isEmpty()) {
        continue;
      }
      // A page past the end is empty and has no next link. An empty page that links on would let
      // a server keep this loop fetching forever without the caller ever seeing a token.
      if (page.tokens().isEmpty()) {
        throw stop(
            path
                + ": the server sent an empty page that links to a next one; stopping instead of"
                + " paging without end",
            fetched.status(),
            fetched.attempts());
      }
      // Tokens created while paging may raise the count, which each page announces afresh; a
      // server that links on past every count it announced is paging without end.
      if (read >= announced) {
        throw stop(
            path
                + ": the server links a next page after "
                + read
                + " tokens, though it counts "
                + announced
                + "; stopping instead of paging without end",
            fetched.status(),
            fetched.attempts());
      }
      next = follow(page.next().get(), path, fetched);
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

  private URI follow(URI link, String path, DefaultHubClient.FetchedPage from) {
    if (!Origins.sameOrigin(link, client.baseUri())) {
      throw stop(
          "GET "
              + client.describePath(client.baseUri())
              + "/v2/access-tokens: the server's next link points at "
              + client.clean(Origins.origin(link))
              + ", not at "
              + Origins.origin(client.baseUri())
              + "; the client does not send credentials to another origin",
          from.status(),
          from.attempts());
    }
    URI next = withPageSize(link, pageSize);
    if (visited.contains(next)) {
      throw stop(
          path
              + ": the server's next link leads back to a page already read; stopping instead of"
              + " looping",
          from.status(),
          from.attempts());
    }
    return next;
  }

  private static HubUnexpectedResponseException stop(String message, int status, int attempts) {
    return new HubUnexpectedResponseException(message, status, Optional.empty(), attempts);
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
