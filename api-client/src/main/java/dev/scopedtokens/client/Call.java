package dev.scopedtokens.client;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * One API call as the request pipeline runs it: what to send, whether it may be repeated, and how
 * to read the answer.
 *
 * @param <T> what the call returns
 */
final class Call<T> {
  /** Reads an accepted response; throws {@link WireException} for a body that does not fit. */
  @FunctionalInterface
  interface Reader<T> {
    T read(Response response) throws WireException;
  }

  /**
   * A response as the pipeline saw it.
   *
   * @param status the HTTP status
   * @param headers the headers
   * @param body the whole body, possibly empty
   * @param attempts how many requests the call has sent so far
   */
  record Response(int status, HttpHeaders headers, byte[] body, int attempts) {}

  static final IntPredicate SUCCESS = status -> status >= 200 && status < 300;

  final String method;
  final URI uri;
  final String description;
  final Optional<byte[]> body;
  final boolean repeatable;
  final boolean authenticated;
  final IntPredicate accepts;
  final Reader<T> reader;

  private Call(
      String method,
      URI uri,
      String description,
      Optional<byte[]> body,
      boolean repeatable,
      boolean authenticated,
      IntPredicate accepts,
      Reader<T> reader) {
    this.method = method;
    this.uri = uri;
    this.description = description;
    this.body = body;
    this.repeatable = repeatable;
    this.authenticated = authenticated;
    this.accepts = accepts;
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /**
   * A call with the bearer JWT. GET, PATCH and DELETE are safe to repeat; POST is not.
   *
   * @param description the method and path, for messages, such as {@code GET /v2/access-tokens}
   */
  static <T> Call<T> authenticated(
      String method, URI uri, String description, Optional<byte[]> body, Reader<T> reader) {
    return new Call<>(
        method, uri, description, body, !method.equals("POST"), true, SUCCESS, reader);
  }

  /**
   * A login call, without a bearer. Repeating a login creates nothing, so it is safe to repeat.
   *
   * @param accepts the statuses the reader handles itself (2xx, and 401 for the two-factor step)
   */
  static <T> Call<T> login(
      URI uri, String description, byte[] body, IntPredicate accepts, Reader<T> reader) {
    return new Call<>("POST", uri, description, Optional.of(body), true, false, accepts, reader);
  }

  @Override
  public String toString() {
    return description;
  }
}
