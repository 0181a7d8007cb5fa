package dev.scopedtokens.client;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.token.AccessToken;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * A client for Docker Hub's personal access token API ({@code /v2/access-tokens}), or for any
 * server that offers the same API.
 *
 * <pre>{@code
 * HubClient hub = HubClient.builder()
 *     .credentials(Credentials.password("alice", password, () -> totp.code(Instant.now())))
 *     .build();
 *
 * CreatedAccessToken created = hub.create("ci", Set.of(Scope.REPO_READ));
 * store(created.secret());                        // shown once; hand it over now
 * hub.stream().filter(t -> !t.active()).forEach(t -> hub.delete(t.uuid()));
 * }</pre>
 *
 * <h2>Authentication</h2>
 *
 * The client logs in on first use, keeps the JWT until shortly before its {@code exp}, then logs in
 * again; a 401 on a call makes it log in again once and repeat the call. See {@link Credentials}.
 *
 * <h2>Retries</h2>
 *
 * Following the {@link RetryPolicy}: a failure to connect is retried for every call; other
 * transport failures and 502, 503 and 504 only for calls that are safe to repeat (get, list,
 * rename, activate, deactivate, delete and the logins), never for {@link #create create}, whose
 * request may already have made a token; 429 for every call after the wait the server asked for
 * ({@code Retry-After} in seconds or as an HTTP date, else {@code X-Retry-After} as a unix time,
 * else the backoff). 400, 401 (apart from the one renewal), 403 and 404 are never retried.
 *
 * <h2>Redirects</h2>
 *
 * The client never follows a redirect: {@code HttpClient} would forward the Authorization header to
 * wherever the redirect points. A 3xx ends the call with {@link HubUnexpectedResponseException},
 * and the builder refuses an {@code HttpClient} that follows redirects.
 *
 * <h2>Asynchronous forms</h2>
 *
 * Each call has an {@code ...Async} form that runs the same synchronous pipeline (login, retries,
 * waits through the {@link Sleeper}) on the builder's {@linkplain Builder#executor(Executor)
 * executor} and completes the future with the result or with the {@link HubException}, unwrapped.
 * Arguments are checked before the future is returned. Cancelling the future does not interrupt the
 * request under way.
 *
 * <p>Implementations are thread-safe: share one client between threads.
 */
public interface HubClient {
  /** The page size {@link #stream()} and {@link #iterable()} use: what Docker's own tools use. */
  int DEFAULT_PAGE_SIZE = 100;

  /** The longest label the API accepts: the core's {@link AccessToken#MAX_LABEL_LENGTH}. */
  int MAX_LABEL_LENGTH = AccessToken.MAX_LABEL_LENGTH;

  /** The most tokens a page may hold, as Docker Hub allows: page sizes run from 1 to this. */
  int MAX_PAGE_SIZE = 100;

  /**
   * Starts a client; only the credentials are required.
   *
   * @return a new builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Creates a token that never expires. {@code POST /v2/access-tokens}; never retried once the
   * request may have reached the server.
   *
   * @param label the token's name, 1 to {@value #MAX_LABEL_LENGTH} characters
   * @param scopes the scopes, at least one; sent in the set's iteration order
   * @return the token with its secret, which the server never returns again
   * @throws IllegalArgumentException when the label or scopes are not allowed
   * @throws HubException when the call fails
   */
  CreatedAccessToken create(String label, Set<Scope> scopes);

  /**
   * Creates a token that expires at {@code expiresAt}.
   *
   * @param label the token's name, 1 to {@value #MAX_LABEL_LENGTH} characters
   * @param scopes the scopes, at least one; sent in the set's iteration order
   * @param expiresAt when the token stops working; after the client's clock's now
   * @return the token with its secret, which the server never returns again
   * @throws IllegalArgumentException when the label, scopes or expiry are not allowed
   * @throws HubException when the call fails
   */
  CreatedAccessToken create(String label, Set<Scope> scopes, Instant expiresAt);

  /**
   * Returns one page of the account's tokens. {@code GET /v2/access-tokens?page=&page_size=}.
   *
   * @param page the page number, from 1
   * @param pageSize the tokens per page, 1 to {@value #MAX_PAGE_SIZE}
   * @return the page
   * @throws IllegalArgumentException when the page or page size is out of range
   * @throws HubException when the call fails
   */
  AccessTokenPage listPage(int page, int pageSize);

  /**
   * Returns every token of the account, fetching pages of {@value #DEFAULT_PAGE_SIZE} lazily.
   *
   * @return the tokens, in the server's order
   * @see #stream(int)
   */
  Stream<HubAccessToken> stream();

  /**
   * Returns every token of the account, fetching pages lazily as the stream is consumed: the first
   * page when the first element is needed, then each {@code next} link the server sends. Every page
   * request asks for {@code pageSize}. A {@code next} link to another origin than the base URI is
   * not followed: the stream fails with {@link HubUnexpectedResponseException} there, so that
   * credentials never leave the server the client was pointed at.
   *
   * <p>A failure while fetching a page surfaces as the {@link HubException} from the terminal
   * operation. Tokens created or deleted while paging may shift pages, as with any offset paging. A
   * server that links pages without end (back to a page already read, through an empty page, or on
   * past the largest {@code count} it announced) ends the stream with {@link
   * HubUnexpectedResponseException}.
   *
   * @param pageSize the tokens per page, 1 to {@value #MAX_PAGE_SIZE}
   * @return the tokens, in the server's order
   * @throws IllegalArgumentException at the call, when the page size is out of range
   */
  Stream<HubAccessToken> stream(int pageSize);

  /**
   * Returns every token of the account, like {@link #stream()}; each {@code iterator()} starts
   * again from the first page.
   *
   * @return the tokens
   */
  Iterable<HubAccessToken> iterable();

  /**
   * Returns every token of the account, like {@link #stream(int)}; each {@code iterator()} starts
   * again from the first page.
   *
   * @param pageSize the tokens per page, 1 to {@value #MAX_PAGE_SIZE}
   * @return the tokens
   * @throws IllegalArgumentException at the call, when the page size is out of range
   */
  Iterable<HubAccessToken> iterable(int pageSize);

  /**
   * Returns one token. {@code GET /v2/access-tokens/{uuid}}.
   *
   * @param uuid the token's identifier
   * @return the token, without its secret
   * @throws HubNotFoundException when the account has no such token
   * @throws HubException when the call fails otherwise
   */
  HubAccessToken get(UUID uuid);

  /**
   * Renames a token. {@code PATCH /v2/access-tokens/{uuid}} with {@code {"token_label": ...}}.
   *
   * @param uuid the token's identifier
   * @param label the new name, 1 to {@value #MAX_LABEL_LENGTH} characters
   * @return the token as changed
   * @throws IllegalArgumentException when the label is not allowed
   * @throws HubException when the call fails
   */
  HubAccessToken rename(UUID uuid, String label);

  /**
   * Activates a token. {@code PATCH /v2/access-tokens/{uuid}} with {@code {"is_active": true}}.
   *
   * @param uuid the token's identifier
   * @return the token as changed
   * @throws HubException when the call fails
   */
  HubAccessToken activate(UUID uuid);

  /**
   * Deactivates a token, reversibly. {@code PATCH /v2/access-tokens/{uuid}} with {@code
   * {"is_active": false}} alone.
   *
   * @param uuid the token's identifier
   * @return the token as changed
   * @throws HubException when the call fails
   */
  HubAccessToken deactivate(UUID uuid);

  /**
   * Deletes a token for good. {@code DELETE /v2/access-tokens/{uuid}}.
   *
   * @param uuid the token's identifier
   * @throws HubNotFoundException when the account has no such token (also when a retried delete
   *     finds that its first attempt succeeded: then {@link HubException#attempts()} is above 1)
   * @throws HubException when the call fails otherwise
   */
  void delete(UUID uuid);

  /**
   * {@link #create(String, Set)} on the executor.
   *
   * @param label the token's name
   * @param scopes the scopes
   * @return the created token, or the failure
   */
  CompletableFuture<CreatedAccessToken> createAsync(String label, Set<Scope> scopes);

  /**
   * {@link #create(String, Set, Instant)} on the executor.
   *
   * @param label the token's name
   * @param scopes the scopes
   * @param expiresAt when the token stops working
   * @return the created token, or the failure
   */
  CompletableFuture<CreatedAccessToken> createAsync(
      String label, Set<Scope> scopes, Instant expiresAt);

  /**
   * {@link #listPage(int, int)} on the executor.
   *
   * @param page the page number, from 1
   * @param pageSize the tokens per page
   * @return the page, or the failure
   */
  CompletableFuture<AccessTokenPage> listPageAsync(int page, int pageSize);

  /**
   * Fetches every page on the executor and collects all tokens, through the same loop and with the
   * same guards as {@link #stream(int)}.
   *
   * @param pageSize the tokens per page, 1 to {@value #MAX_PAGE_SIZE}
   * @return every token in the server's order, or the failure
   * @throws IllegalArgumentException at the call, when the page size is out of range
   */
  CompletableFuture<List<HubAccessToken>> listAllAsync(int pageSize);

  /**
   * {@link #get(UUID)} on the executor.
   *
   * @param uuid the token's identifier
   * @return the token, or the failure
   */
  CompletableFuture<HubAccessToken> getAsync(UUID uuid);

  /**
   * {@link #rename(UUID, String)} on the executor.
   *
   * @param uuid the token's identifier
   * @param label the new name
   * @return the token as changed, or the failure
   */
  CompletableFuture<HubAccessToken> renameAsync(UUID uuid, String label);

  /**
   * {@link #activate(UUID)} on the executor.
   *
   * @param uuid the token's identifier
   * @return the token as changed, or the failure
   */
  CompletableFuture<HubAccessToken> activateAsync(UUID uuid);

  /**
   * {@link #deactivate(UUID)} on the executor.
   *
   * @param uuid the token's identifier
   * @return the token as changed, or the failure
   */
  CompletableFuture<HubAccessToken> deactivateAsync(UUID uuid);

  /**
   * {@link #delete(UUID)} on the executor.
   *
   * @param uuid the token's identifier
   * @return completes when the token is deleted, or with the failure
   */
  CompletableFuture<Void> deleteAsync(UUID uuid);

  /**
   * The server the client sends requests to.
   *
   * @return the base URI, without a trailing slash
   */
  URI baseUri();

  /**
   * Builds a {@link HubClient}. Only {@link #credentials(Credentials)} is required; each setter
   * checks its argument, and {@link #build()} checks the combination.
   */
  final class Builder {
    /** Docker Hub. */
    public static final URI DOCKER_HUB = URI.create("https://hub.docker.com");

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LONGEST_TIMEOUT = Duration.ofHours(1);

    private URI baseUri = DOCKER_HUB;
    private Credentials credentials;
    private HttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private RandomGenerator random;
    private Duration connectTimeout;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private String application;
    private Executor executor;

    private Builder() {}

    /**
     * Sets the server; default {@code https://hub.docker.com}. A path prefix is kept ({@code
     * https://registry.example/hub} sends to {@code https://registry.example/hub/v2/...}).
     *
     * @param baseUri absolute; {@code https}, or {@code http} only on a loopback host ({@code
     *     localhost}, {@code 127.0.0.1}, {@code ::1}); no user info, query or fragment
     * @return this builder
     * @throws IllegalArgumentException naming what is wrong
     */
    public Builder baseUri(URI baseUri) {
      this.baseUri = Origins.requireBaseUri(baseUri);
      return this;
    }

    /**
     * Sets the server from a string; see {@link #baseUri(URI)}.
     *
     * @param baseUri such as {@code https://hub.docker.com}
     * @return this builder
     * @throws IllegalArgumentException when it is not a valid URI or not allowed
     */
    public Builder baseUri(String baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      URI parsed;
      try {
        parsed = new URI(baseUri);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("baseUri: not a URI (" + e.getReason() + ")", e);
      }
      return baseUri(parsed);
    }

    /**
     * Sets how the client logs in. Required.
     *
     * @param credentials see {@link Credentials}
     * @return this builder
     */
    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Uses this {@code HttpClient} instead of building one. It must not follow redirects (build it
     * with {@code followRedirects(HttpClient.Redirect.NEVER)}, the default), because a redirect
     * would carry the Authorization header to another host. Its own connect timeout applies; {@link
     * #connectTimeout(Duration)} cannot be combined with it.
     *
     * @param httpClient the client to send requests with
     * @return this builder
     * @throws IllegalArgumentException when the client follows redirects
     */
    public Builder httpClient(HttpClient httpClient) {
      Objects.requireNonNull(httpClient, "httpClient");
      if (httpClient.followRedirects() != HttpClient.Redirect.NEVER) {
        throw new IllegalArgumentException(
            "httpClient: follows redirects ("
                + httpClient.followRedirects()
                + "), which would send the Authorization header to the redirect's target;"
                + " build it with followRedirects(HttpClient.Redirect.NEVER)");
      }
      this.httpClient = httpClient;
      return this;
    }

    /**
     * Sets the clock for JWT expiry and for rate-limit waits given as absolute times; default
     * {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how the client waits between attempts; default {@link Sleeper#system()}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets the retry policy; default {@link RetryPolicy#defaults()}, {@link RetryPolicy#none()} to
     * never retry.
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * Sets the source of backoff jitter; default the calling thread's {@link
     * java.util.concurrent.ThreadLocalRandom}. The source must be safe to call from several threads
     * when the client is shared ({@code SecureRandom} is).
     *
     * @param random the jitter source
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Sets how long connecting may take; default 10 seconds. Only for the {@code HttpClient} the
     * builder makes.
     *
     * @param connectTimeout more than zero, at most an hour
     * @return this builder
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = timeout("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * Sets how long each request may take once sent, until the last byte of the response body has
     * arrived; default 30 seconds. A server that sends its body slowly cannot hold a call past it.
     * It bounds each attempt: a call retried {@code n} times takes at most {@code n + 1} request
     * timeouts plus the retry policy's waits.
     *
     * @param requestTimeout more than zero, at most an hour
     * @return this builder
     */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = timeout("requestTimeout", requestTimeout);
      return this;
    }

    /**
     * Names the application in the User-Agent header, before the SDK's own product token: {@code
     * my-tool/1.2 scopedtokens-api-client/0.1.0 Java/17}.
     *
     * @param product such as {@code my-tool/1.2}; 1 to 100 visible ASCII characters or spaces
     * @return this builder
     */
    public Builder application(String product) {
      Objects.requireNonNull(product, "product");
      if (product.isBlank()
          || product.length() > 100
          || product.chars().anyMatch(c -> c < ' ' || c > '~')) {
        throw new IllegalArgumentException(
            "application: must be 1 to 100 visible ASCII characters or spaces, such as"
                + " my-tool/1.2");
      }
      this.application = product.trim();
      return this;
    }

    /**
     * Sets where the {@code ...Async} calls run; default a shared pool of daemon threads that grows
     * with demand and shrinks when idle.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the client.
     *
     * @return a thread-safe client
     * @throws IllegalStateException when the credentials are missing, or a connect timeout was set
     *     together with an {@code HttpClient}
     */
    public HubClient build() {
      if (credentials == null) {
        throw new IllegalStateException(
            "credentials: not set; call credentials(Credentials.password(username, password)) or"
                + " another Credentials factory");
      }
      if (httpClient != null && connectTimeout != null) {
        throw new IllegalStateException(
            "connectTimeout: cannot apply to the HttpClient you supplied; set it on that client's"
                + " builder instead");
      }
      HttpClient http =
          httpClient != null
              ? httpClient
              : HttpClient.newBuilder()
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .connectTimeout(connectTimeout != null ? connectTimeout : DEFAULT_CONNECT_TIMEOUT)
                  .build();
      String userAgent =
          application == null ? SdkVersion.userAgent() : application + " " + SdkVersion.userAgent();
      return new DefaultHubClient(
          new ClientConfig(
              baseUri,
              credentials,
              http,
              clock,
              sleeper,
              retryPolicy,
              random != null ? random : DefaultHubClient.threadLocalJitter(),
              requestTimeout,
              userAgent,
              executor != null ? executor : DefaultHubClient.defaultExecutor()));
    }

    private static Duration timeout(String field, Duration value) {
      Objects.requireNonNull(value, field);
      if (value.isNegative() || value.isZero() || value.compareTo(LONGEST_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            field
                + ": "
                + value
                + " is out of range; allowed more than PT0S up to "
                + LONGEST_TIMEOUT);
      }
      return value;
    }

    @Override
    public String toString() {
      return "HubClient.Builder[baseUri="
          + baseUri
          + ", credentials="
          + credentials
          + ", retryPolicy="
          + retryPolicy
          + "]";
    }
  }
}
