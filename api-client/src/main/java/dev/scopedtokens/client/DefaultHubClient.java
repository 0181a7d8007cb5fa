package dev.scopedtokens.client;

import dev.scopedtokens.client.internal.Wire;
import dev.scopedtokens.internal.Messages;
import dev.scopedtokens.scope.Scope;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** The {@link HubClient} behind {@link HubClient#builder()}. */
final class DefaultHubClient implements HubClient {
  private static final String TOKENS = "/v2/access-tokens";

  private final ClientConfig config;
  private final RequestExecutor executor;
  private final Session session;
  private final Redactor redactor;

  /** Makes a client from checked settings. */
  DefaultHubClient(ClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.redactor = new Redactor();
    redactor.addLongLived(longLivedSecret(config.credentials()));
    this.executor = new RequestExecutor(config, redactor);
    this.session =
        new Session(config.credentials(), config.baseUri(), config.clock(), redactor, executor);
  }

  private static String longLivedSecret(Credentials credentials) {
    if (credentials instanceof Credentials.UsernamePassword c) {
      return c.password();
    }
    if (credentials instanceof Credentials.IdentifierSecret c) {
      return c.secret();
    }
    return ((Credentials.BearerToken) credentials).jwt();
  }

  /** Returns the executor the asynchronous forms use when the builder was given none. */
  static Executor defaultExecutor() {
    return AsyncPool.EXECUTOR;
  }

  /** Returns a jitter source that uses the calling thread's {@link ThreadLocalRandom}. */
  static RandomGenerator threadLocalJitter() {
    return ThreadLocalJitter.INSTANCE;
  }

  @Override
  public URI baseUri() {
    return config.baseUri();
  }

  // ---------------------------------------------------------------- calls

  @Override
  public CreatedAccessToken create(String label, Set<Scope> scopes) {
    return create(checkLabel(label), checkScopes(scopes), Optional.empty());
  }

  @Override
  public CreatedAccessToken create(String label, Set<Scope> scopes, Instant expiresAt) {
    return create(checkLabel(label), checkScopes(scopes), Optional.of(checkExpiry(expiresAt)));
  }

  private CreatedAccessToken create(
      String label, List<String> scopes, Optional<Instant> expiresAt) {
    byte[] body =
        WireFormat.write(
            new Wire.CreateBody(label, scopes, expiresAt.map(Rfc3339::format).orElse(null)));
    return send("POST", TOKENS, Optional.of(body), answer -> WireFormat.created(answer.body()));
  }

  @Override
  public AccessTokenPage listPage(int page, int pageSize) {
    checkPage(page);
    checkPageSize(pageSize);
    return fetchPage(pageUri(page, pageSize));
  }

  /**
   * One page as it arrived: the page, the status it came with, and the requests it took.
   *
   * @param page the page
   * @param status the response's status
   * @param attempts the requests sent for it
   */
  record FetchedPage(AccessTokenPage page, int status, int attempts) {}

  AccessTokenPage fetchPage(URI uri) {
    return fetch(uri).page();
  }

  /**
   * Fetches the page at {@code uri}, which may be a link the server chose: the message names its
   * path only, cleaned, and never its query.
   */
  FetchedPage fetch(URI uri) {
    return send(
        "GET",
        uri,
        "GET " + describePath(uri),
        Optional.empty(),
        answer ->
            new FetchedPage(
                WireFormat.page(answer.body(), uri), answer.status(), answer.attempts()));
  }

  /** A path for a message: cleaned like any server text, since a {@code next} link chose it. */
  String describePath(URI uri) {
    return redactor.clean(uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** Server text cleaned for a message. */
  String clean(String text) {
    return redactor.clean(text);
  }

  @Override
  public Stream<HubAccessToken> stream() {
    return stream(DEFAULT_PAGE_SIZE);
  }

  @Override
  public Stream<HubAccessToken> stream(int pageSize) {
    checkPageSize(pageSize);
    return StreamSupport.stream(
        () ->
            Spliterators.spliteratorUnknownSize(
                new TokenPages(this, pageUri(1, pageSize), pageSize),
                Spliterator.ORDERED | Spliterator.NONNULL),
        Spliterator.ORDERED | Spliterator.NONNULL,
        false);
  }

  @Override
  public Iterable<HubAccessToken> iterable() {
    return iterable(DEFAULT_PAGE_SIZE);
  }

  @Override
  public Iterable<HubAccessToken> iterable(int pageSize) {
    checkPageSize(pageSize);
    return () -> new TokenPages(this, pageUri(1, pageSize), pageSize);
  }

  @Override
  public HubAccessToken get(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    return send("GET", TOKENS + "/" + uuid, Optional.empty(), DefaultHubClient::token);
  }

  @Override
  public HubAccessToken rename(UUID uuid, String label) {
    Objects.requireNonNull(uuid, "uuid");
    return patch(uuid, new Wire.PatchBody(checkLabel(label), null));
  }

  @Override
  public HubAccessToken activate(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    return patch(uuid, new Wire.PatchBody(null, true));
  }

  @Override
  public HubAccessToken deactivate(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    // {"is_active": false} alone, as Docker's own hub-tool sends it.
    return patch(uuid, new Wire.PatchBody(null, false));
  }

  private HubAccessToken patch(UUID uuid, Wire.PatchBody body) {
    return send(
        "PATCH", TOKENS + "/" + uuid, Optional.of(WireFormat.write(body)), DefaultHubClient::token);
  }

  @Override
  public void delete(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    send("DELETE", TOKENS + "/" + uuid, Optional.empty(), answer -> Boolean.TRUE);
  }

  /** Sends one call with the bearer to {@code path} under the base URI. */
  private <T> T send(String method, String path, Optional<byte[]> body, Call.Reader<T> reader) {
    return send(method, uri(path), method + " " + path, body, reader);
  }

  private <T> T send(
      String method, URI uri, String description, Optional<byte[]> body, Call.Reader<T> reader) {
    return executor.execute(Call.authenticated(method, uri, description, body, reader), session);
  }

  private static HubAccessToken token(Call.Response answer) throws WireException {
    return WireFormat.token(WireFormat.read(answer.body(), Wire.TokenBody.class), "token");
  }

  // ---------------------------------------------------------------- asynchronous forms

  @Override
  public CompletableFuture<CreatedAccessToken> createAsync(String label, Set<Scope> scopes) {
    String checkedLabel = checkLabel(label);
    List<String> checkedScopes = checkScopes(scopes);
    return async(() -> create(checkedLabel, checkedScopes, Optional.empty()));
  }

  @Override
  public CompletableFuture<CreatedAccessToken> createAsync(
      String label, Set<Scope> scopes, Instant expiresAt) {
    String checkedLabel = checkLabel(label);
    List<String> checkedScopes = checkScopes(scopes);
    Instant checkedExpiry = checkExpiry(expiresAt);
    return async(() -> create(checkedLabel, checkedScopes, Optional.of(checkedExpiry)));
  }

  @Override
  public CompletableFuture<AccessTokenPage> listPageAsync(int page, int pageSize) {
    checkPage(page);
    checkPageSize(pageSize);
    return async(() -> listPage(page, pageSize));
  }

  @Override
  public CompletableFuture<List<HubAccessToken>> listAllAsync(int pageSize) {
    checkPageSize(pageSize);
    // The very loop of stream(): the same origin check, the same guards against a server that
    // links pages without end.
    return async(
        () -> {
          List<HubAccessToken> all = new ArrayList<>();
          new TokenPages(this, pageUri(1, pageSize), pageSize).forEachRemaining(all::add);
          return List.copyOf(all);
        });
  }

  @Override
  public CompletableFuture<HubAccessToken> getAsync(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    return async(() -> get(uuid));
  }

  @Override
  public CompletableFuture<HubAccessToken> renameAsync(UUID uuid, String label) {
    Objects.requireNonNull(uuid, "uuid");
    checkLabel(label);
    return async(() -> rename(uuid, label));
  }

  @Override
  public CompletableFuture<HubAccessToken> activateAsync(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    return async(() -> activate(uuid));
  }

  @Override
  public CompletableFuture<HubAccessToken> deactivateAsync(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    return async(() -> deactivate(uuid));
  }

  @Override
  public CompletableFuture<Void> deleteAsync(UUID uuid) {
    Objects.requireNonNull(uuid, "uuid");
    return async(
        () -> {
          delete(uuid);
          return null;
        });
  }

  /** Runs a synchronous call on the executor; the future fails with the exception itself. */
  private <T> CompletableFuture<T> async(Supplier<T> call) {
    CompletableFuture<T> future = new CompletableFuture<>();
    try {
      config
          .executor()
          .execute(
              () -> {
                try {
                  future.complete(call.get());
                } catch (Throwable t) {
                  future.completeExceptionally(t);
                }
              });
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(e);
    }
    return future;
  }

  @Override
  public String toString() {
    return "HubClient[baseUri=" + config.baseUri() + ", credentials=" + config.credentials() + "]";
  }

  // ---------------------------------------------------------------- arguments and URIs

  private URI uri(String path) {
    return URI.create(config.baseUri() + path);
  }

  URI pageUri(int page, int pageSize) {
    return uri(TOKENS + "?page=" + page + "&page_size=" + pageSize);
  }

  private static String checkLabel(String label) {
    Objects.requireNonNull(label, "label");
    int length = label.codePointCount(0, label.length());
    if (label.isBlank() || length > MAX_LABEL_LENGTH) {
      throw new IllegalArgumentException(
          "label: "
              + (label.isBlank() ? "blank" : length + " characters")
              + "; must be 1 to "
              + MAX_LABEL_LENGTH
              + " characters and not only whitespace");
    }
    return label;
  }

  private static List<String> checkScopes(Set<Scope> scopes) {
    Objects.requireNonNull(scopes, "scopes");
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException(
          "scopes: must not be empty; give at least one of " + Messages.validScopes());
    }
    List<String> wire = new ArrayList<>(scopes.size());
    for (Scope scope : scopes) {
      wire.add(Objects.requireNonNull(scope, "scopes must not contain null").wireValue());
    }
    return wire;
  }

  private Instant checkExpiry(Instant expiresAt) {
    Objects.requireNonNull(expiresAt, "expiresAt");
    Instant now = config.clock().instant();
    if (!expiresAt.isAfter(now)) {
      throw new IllegalArgumentException(
          "expiresAt: "
              + expiresAt
              + " is not in the future (now is "
              + now
              + "); omit it for a token that never expires");
    }
    return expiresAt;
  }

  private static void checkPage(int page) {
    if (page < 1) {
      throw new IllegalArgumentException("page: " + page + " is out of range; pages count from 1");
    }
  }

  private static void checkPageSize(int pageSize) {
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "pageSize: " + pageSize + " is out of range; allowed 1 to " + MAX_PAGE_SIZE);
    }
  }

  /** Jitter from the calling thread's generator, so that a shared client needs no lock. */
  private enum ThreadLocalJitter implements RandomGenerator {
    INSTANCE;

    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public long nextLong(long bound) {
      return ThreadLocalRandom.current().nextLong(bound);
    }
  }

  /** Daemon threads, so that an unused client never keeps a JVM alive. */
  private static final class AsyncPool {
    static final ExecutorService EXECUTOR;

    static {
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              0,
              Integer.MAX_VALUE,
              60,
              TimeUnit.SECONDS,
              new SynchronousQueue<>(),
              runnable -> {
                Thread thread =
                    new Thread(runnable, "scopedtokens-client-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      EXECUTOR = pool;
    }
  }
}
