package dev.scopedtokens.server.http;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as an adapter hands it to an {@link HttpEndpoint}: method, raw path and query,
 * header fields, and the whole body, already read and bounded by the adapter's {@link HttpLimits}.
 *
 * <p>{@link #toString()} shows the method and path only: the query, headers and body may hold
 * credentials.
 */
public final class HttpRequest {
  private final String method;
  private final String path;
  private final String rawQuery;
  private final HttpHeaders headers;
  private final byte[] body;
  private final String remoteAddress;
  private final boolean secure;
  private final Map<String, String> pathParameters;

  private HttpRequest(Builder b, Map<String, String> pathParameters) {
    this.method = b.method;
    this.path = b.path;
    this.rawQuery = b.rawQuery;
    this.headers = b.headers;
    this.body = b.body;
    this.remoteAddress = b.remoteAddress;
    this.secure = b.secure;
    this.pathParameters = pathParameters;
  }

  private HttpRequest(HttpRequest request, Map<String, String> pathParameters) {
    this.method = request.method;
    this.path = request.path;
    this.rawQuery = request.rawQuery;
    this.headers = request.headers;
    this.body = request.body;
    this.remoteAddress = request.remoteAddress;
    this.secure = request.secure;
    this.pathParameters = Map.copyOf(pathParameters);
  }

  /** This request with the path parameters a {@link Routes} template matched. */
  HttpRequest withPathParameters(Map<String, String> parameters) {
    return new HttpRequest(this, parameters);
  }

  /**
   * The decoded value of a path parameter that the {@link Routes} template matched, such as {@code
   * id} in {@code /v2/access-tokens/{id}}.
   *
   * @throws IllegalStateException if the route has no such parameter
   */
  public String pathParameter(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalStateException("no path parameter " + name + " in the matched route");
    }
    return value;
  }

  /**
   * A builder for adapters and tests.
   *
   * @param method the request method, such as {@code GET}; upper-cased
   * @param path the raw (still percent-encoded) path, starting with {@code /}
   */
  public static Builder builder(String method, String path) {
    return new Builder(method, path);
  }

  /** The method, upper-case ({@code GET}, {@code POST}, ...). */
  public String method() {
    return method;
  }

  /** The raw path, still percent-encoded, without the query. */
  public String path() {
    return path;
  }

  /** The raw query string without the {@code ?}, if the request had one. */
  public Optional<String> rawQuery() {
    return Optional.ofNullable(rawQuery);
  }

  /**
   * The decoded query parameters.
   *
   * @throws HttpRequestException (400) if the query is not well-formed
   */
  public Parameters query() {
    return rawQuery == null ? Parameters.empty() : Parameters.parse(rawQuery, "query");
  }

  /**
   * The decoded form parameters of an {@code application/x-www-form-urlencoded} body.
   *
   * @throws HttpRequestException (415) if the body is of another type, (400) if it is not
   *     well-formed
   */
  public Parameters form() {
    String type = headers.first("Content-Type").orElse("");
    String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/x-www-form-urlencoded")) {
      throw new HttpRequestException(
          415,
          "unsupported_media_type",
          "Content-Type: expected application/x-www-form-urlencoded");
    }
    return Parameters.parse(bodyText("form body"), "form body");
  }

  /** The header fields. */
  public HttpHeaders headers() {
    return headers;
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** A copy of the body; empty if there was none. */
  public byte[] body() {
    return body.clone();
  }

  /**
   * The body as UTF-8 text.
   *
   * @param what what the body is, for the error message
   * @throws HttpRequestException (400) if the body is not UTF-8
   */
  public String bodyText(String what) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      throw HttpRequestException.badRequest(what + ": not UTF-8");
    }
  }

  /** The client's IP address as text, as the adapter saw it. */
  public String remoteAddress() {
    return remoteAddress;
  }

  /** Whether the request arrived over TLS. */
  public boolean secure() {
    return secure;
  }

  /** Method and path only: the query, headers and body may hold credentials. */
  @Override
  public String toString() {
    return method + " " + path;
  }

  /** Builds an {@link HttpRequest}; for adapters and tests. */
  public static final class Builder {
    private final String method;
    private final String path;
    private String rawQuery;
    private HttpHeaders headers = HttpHeaders.empty();
    private byte[] body = new byte[0];
    private String remoteAddress = "";
    private boolean secure;

    private Builder(String method, String path) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      if (method.isEmpty() || !method.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("method: must be a non-empty token of visible ASCII");
      }
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path: must start with '/'");
      }
      this.method = method.toUpperCase(Locale.ROOT);
      this.path = path;
    }

    /** The raw query string without the {@code ?}; {@code null} for none. */
    public Builder rawQuery(String rawQuery) {
      this.rawQuery = rawQuery;
      return this;
    }

    /** The header fields. */
    public Builder headers(HttpHeaders headers) {
      this.headers = Objects.requireNonNull(headers, "headers");
      return this;
    }

    /** The whole body (copied). */
    public Builder body(byte[] body) {
      this.body = Objects.requireNonNull(body, "body").clone();
      return this;
    }

    /** The client's IP address as text. */
    public Builder remoteAddress(String remoteAddress) {
      this.remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress");
      return this;
    }

    /** Whether the request arrived over TLS. */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /** The request. */
    public HttpRequest build() {
      return new HttpRequest(this, Map.of());
    }
  }
}
