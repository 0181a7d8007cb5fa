package dev.scopedtokens.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/** Checks base URIs and compares origins, so credentials only ever go where the user pointed. */
final class Origins {
  private Origins() {}

  /**
   * Returns the base URI without a trailing slash, after checking that it is absolute, uses {@code
   * https} (or {@code http} on a loopback host), and has no user info, query or fragment.
   *
   * @throws IllegalArgumentException naming what is wrong and what is allowed
   */
  static URI requireBaseUri(URI uri) {
    Objects.requireNonNull(uri, "baseUri");
    if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "baseUri: "
              + uri
              + " is not an absolute URI with a host; expected such as https://hub.docker.com");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http")) {
      if (!isLoopback(uri.getHost())) {
        throw new IllegalArgumentException(
            "baseUri: http is allowed only on a loopback host (localhost, 127.0.0.1, ::1), not "
                + uri.getHost()
                + "; use https");
      }
    } else if (!scheme.equals("https")) {
      throw new IllegalArgumentException(
          "baseUri: scheme " + uri.getScheme() + " is not supported; use https");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "baseUri: must not contain user info; pass credentials to the builder instead");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("baseUri: must not have a query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    try {
      return new URI(scheme + "://" + uri.getRawAuthority() + path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("baseUri: " + e.getMessage(), e);
    }
  }

  /** Returns whether the host is one of the loopback names this client accepts for http. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("::1") || h.equals("[::1]");
  }

  /** Returns whether both URIs have the same scheme, host and port (default ports resolved). */
  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme() != null
        && b.getScheme() != null
        && a.getHost() != null
        && b.getHost() != null
        && a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  /**
   * Returns the scheme, host and port of a URI, for messages; a URI without a host (a relative link
   * resolves to one with a host, so this is a {@code mailto:} or {@code urn:} link) is named by its
   * scheme alone.
   */
  static String origin(URI uri) {
    if (uri.getHost() == null) {
      return (uri.getScheme() == null ? "a link" : uri.getScheme() + ":") + " (no host)";
    }
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }
}
