package dev.scopedtokens.server.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scopedtokens.internal.Durations;
import dev.scopedtokens.scope.RegistryScope;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.server.accounts.Account;
import dev.scopedtokens.server.accounts.AccountDirectory;
import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpRequestException;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.http.Parameters;
import dev.scopedtokens.server.jwt.JwtSigner;
import dev.scopedtokens.server.jwt.KeyIdMode;
import dev.scopedtokens.server.jwt.SigningKey;
import dev.scopedtokens.server.jwt.SigningKeys;
import dev.scopedtokens.token.RejectionReason;
import dev.scopedtokens.token.TokenVerifier;
import dev.scopedtokens.token.VerificationResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Docker registry token endpoint (distribution's {@code token.md}, {@code oauth.md} and {@code
 * jwt.md}): what a registry's {@code auth.token.realm} points at, where {@code docker login},
 * skopeo, podman and containerd trade credentials for a short-lived registry token.
 *
 * <ul>
 *   <li>{@code GET} with Basic credentials or none; {@code service}, {@code account}, {@code
 *       client_id}, {@code offline_token} and {@code scope} (repeated and/or space-separated).
 *   <li>{@code POST}, form-encoded, with {@code grant_type=password} ({@code username}, {@code
 *       password}, {@code access_type=offline} for a refresh token) or {@code
 *       grant_type=refresh_token} ({@code refresh_token}); {@code client_id} is required.
 * </ul>
 *
 * <p>A password is the account's own ({@link AccountDirectory#authenticate}), refused for an
 * account with two-factor authentication; a personal access token is checked by the core's {@link
 * TokenVerifier}, so its last use, events and cache behave as for any other use. The grant is what
 * was requested intersected with what is allowed, per repository, decided by the core's {@link
 * RegistryScope#grant}: a password has the account's own rights, a token its scopes within them, an
 * anonymous client pulls public repositories only. Good credentials with nothing granted (or no
 * scope asked, as {@code docker login} does) get 200 with {@code access: []}; bad credentials get
 * 401 with a challenge and a JSON error; this endpoint never answers 403.
 *
 * <pre>{@code
 * RegistryTokenEndpoint tokens = RegistryTokenEndpoint.builder()
 *     .service("my-registry")            // the registry's auth.token.service
 *     .issuer("my-token-server")         // the registry's auth.token.issuer
 *     .verifier(tokenService)
 *     .accounts(accountDirectory)
 *     .signingKeys(SigningKeys.of(SigningKey.fromPem(pem)))
 *     .build();
 * Files.writeString(bundle, tokens.certificateBundlePem());   // auth.token.rootcertbundle
 * }</pre>
 */
public final class RegistryTokenEndpoint implements HttpEndpoint {
  /** The token lifetime unless configured: 300 s, as Docker Hub's. */
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(5);

  /** The most scopes one request may ask for unless configured. */
  public static final int DEFAULT_MAX_SCOPES = 32;

  /** The most bytes of scope text one request may carry unless configured. */
  public static final int DEFAULT_MAX_SCOPE_BYTES = 8192;

  private static final Duration MIN_LIFETIME = Duration.ofSeconds(60);
  private static final Duration MAX_LIFETIME = Duration.ofDays(1);
  private static final int MAX_CREDENTIAL_CHARS = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a password login may do: the account's own rights, uncapped by any token scope. */
  private static final Set<Scope> ACCOUNT_RIGHTS = EnumSet.of(Scope.REPO_ADMIN);

  /** What an anonymous client may do: pull public repositories. */
  private static final Set<Scope> ANONYMOUS_RIGHTS = EnumSet.of(Scope.REPO_PUBLIC_READ);

  private final String service;
  private final String issuer;
  private final String realm;
  private final TokenVerifier verifier;
  private final AccountDirectory accounts;
  private final JwtSigner signer;
  private final Duration lifetime;
  private final Clock clock;
  private final SecureRandom random;
  private final RefreshTokens refreshTokens;
  private final boolean passwordRefreshTokens;
  private final boolean catalog;
  private final int maxScopes;
  private final int maxScopeBytes;

  private RegistryTokenEndpoint(Builder b) {
    this.service = b.service;
    this.issuer = b.issuer;
    this.realm = b.realm == null ? b.service : b.realm;
    this.verifier = b.verifier;
    this.accounts = b.accounts;
    this.signer = JwtSigner.of(b.keys, b.keyIdMode);
    this.lifetime = b.lifetime;
    this.clock = b.clock;
    this.random = b.random;
    this.refreshTokens =
        b.refreshKeys.isEmpty()
            ? null
            : new RefreshTokens(b.refreshKeys, b.service, b.issuer, b.random);
    this.passwordRefreshTokens = b.passwordRefreshTokens;
    this.catalog = b.catalog;
    this.maxScopes = b.maxScopes;
    this.maxScopeBytes = b.maxScopeBytes;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The service name: the registry's {@code auth.token.service} and every token's {@code aud}. */
  public String service() {
    return service;
  }

  /** The issuer: the registry's {@code auth.token.issuer} and every token's {@code iss}. */
  public String issuer() {
    return issuer;
  }

  /** How tokens name their signing key. */
  public KeyIdMode keyIdMode() {
    return signer.keyIdMode();
  }

  /** The signing keys. */
  public SigningKeys signingKeys() {
    return signer.keys();
  }

  /** The registry's {@code auth.token.rootcertbundle}: every key's root certificate, as PEM. */
  public String certificateBundlePem() {
    return signer.keys().certificateBundlePem();
  }

  /** The registry's {@code auth.token.jwks} (3.x): every key under the kid tokens carry. */
  public String jwks() {
    return signer.keys().jwks(signer.keyIdMode());
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    try {
      return switch (request.method()) {
        case "GET", "HEAD" -> get(request);
        case "POST" -> post(request);
        default ->
            TokenErrors.of(
                    new HttpRequestException(
                        405, "invalid_request", "method not allowed here; use GET or POST"))
                .withHeader("Allow", "GET, POST");
      };
    } catch (HttpRequestException e) {
      return TokenErrors.of(e);
    } catch (Rejected e) {
      return TokenErrors.unauthorized(realm, e.oauthError, e.getMessage());
    }
  }

  private HttpResponse get(HttpRequest request) {
    Parameters query = request.query();
    checkService(query);
    List<RegistryScope> requested = scopes(query.all("scope"));
    boolean offline =
        query.single("offline_token").map(v -> v.equalsIgnoreCase("true")).orElse(false);
    Optional<String> authorization = request.headers().first("Authorization");
    Principal principal;
    if (authorization.isEmpty()) {
      principal = Principal.ANONYMOUS;
    } else {
      String[] credentials = basic(authorization.get());
      Optional<String> account = query.single("account");
      if (account.isPresent()
          && !account.get().isEmpty()
          && !account.get().equals(credentials[0])) {
        throw HttpRequestException.badRequest(
            "account: must be the user name of the Basic credentials, or left out");
      }
      principal = login(credentials[0], credentials[1]);
    }
    return answer(principal, requested, offline, null, false);
  }

  private HttpResponse post(HttpRequest request) {
    Parameters form = request.form();
    String grantType =
        form.single("grant_type")
            .orElseThrow(
                () ->
                    HttpRequestException.badRequest(
                        "grant_type: required; use password or refresh_token"));
    if (form.single("client_id").filter(id -> !id.isBlank()).isEmpty()) {
      throw HttpRequestException.badRequest(
          "client_id: required; name the client, such as containerd-client");
    }
    checkService(form);
    List<RegistryScope> requested = scopes(form.all("scope"));
    switch (grantType) {
      case "password" -> {
        String username = required(form, "username");
        String password = required(form, "password");
        boolean offline = form.single("access_type").filter("offline"::equals).isPresent();
        return answer(login(username, password), requested, offline, null, true);
      }
      case "refresh_token" -> {
        String presented = required(form, "refresh_token");
        return answer(refresh(presented), requested, false, presented, true);
      }
      default ->
          throw new HttpRequestException(
              400, "unsupported_grant_type", "grant_type: use password or refresh_token");
    }
  }

  /** Who a client proved to be, what its credential may do, and what a refresh token would seal. */
  private record Principal(
      Optional<String> account,
      Set<Scope> rights,
      Optional<RefreshTokens.Kind> kind,
      Optional<String> credential) {
    static final Principal ANONYMOUS =
        new Principal(Optional.empty(), ANONYMOUS_RIGHTS, Optional.empty(), Optional.empty());

    @Override
    public String toString() {
      return "Principal[" + account.orElse("anonymous") + ", " + rights + "]";
    }
  }

  /** Credentials that were not accepted: answered 401. */
  private static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String oauthError;

    Rejected(String oauthError, String message) {
      super(message, null, false, false);
      this.oauthError = oauthError;
    }
  }

  private static final String BAD_CREDENTIALS = "incorrect username or password";

  private Principal login(String username, String password) {
    if (username.isEmpty()
        || password.isEmpty()
        || username.length() > MAX_CREDENTIAL_CHARS
        || password.length() > MAX_CREDENTIAL_CHARS) {
      throw new Rejected("invalid_grant", BAD_CREDENTIALS);
    }
    VerificationResult result = verifier.verify(username, TokenSecret.of(password));
    if (result instanceof VerificationResult.Verified verified) {
      return new Principal(
          Optional.of(verified.token().owner()),
          verified.token().scopes(),
          Optional.of(RefreshTokens.Kind.ACCESS_TOKEN),
          Optional.of(password));
    }
    // Only a password can fail the token format check: anything shaped like a token is one.
    if (((VerificationResult.Rejected) result).reason() != RejectionReason.MALFORMED) {
      throw new Rejected("invalid_grant", BAD_CREDENTIALS);
    }
    Account account =
        accounts
            .authenticate(username, password)
            .orElseThrow(() -> new Rejected("invalid_grant", BAD_CREDENTIALS));
    if (account.twoFactor()) {
      throw new Rejected(
          "invalid_grant",
          "this account has two-factor authentication: sign in with a personal access token"
              + " instead of the password");
    }
    return new Principal(
        Optional.of(account.name()),
        ACCOUNT_RIGHTS,
        Optional.of(RefreshTokens.Kind.PASSWORD),
        Optional.of(password));
  }

  private Principal refresh(String presented) {
    if (refreshTokens == null) {
      throw new Rejected("invalid_grant", "the refresh token is not valid");
    }
    RefreshTokens.Opened opened =
        refreshTokens
            .open(presented)
            .orElseThrow(() -> new Rejected("invalid_grant", "the refresh token is not valid"));
    if (opened.kind() == RefreshTokens.Kind.PASSWORD && !passwordRefreshTokens) {
      throw new Rejected("invalid_grant", "the refresh token is no longer valid");
    }
    Principal principal;
    try {
      principal = login(opened.owner(), opened.credential());
    } catch (Rejected e) {
      throw new Rejected("invalid_grant", "the refresh token is no longer valid");
    }
    if (principal.kind().orElseThrow() != opened.kind()) {
      throw new Rejected("invalid_grant", "the refresh token is no longer valid");
    }
    return principal;
  }

  private HttpResponse answer(
      Principal principal,
      List<RegistryScope> requested,
      boolean offline,
      String presentedRefreshToken,
      boolean oauth) {
    List<RegistryScope> granted = grant(principal, requested);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    long issuedAt = now.getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("sub", principal.account().orElse(""));
    claims.put("aud", service);
    claims.put("exp", issuedAt + lifetime.toSeconds());
    claims.put("nbf", issuedAt);
    claims.put("iat", issuedAt);
    claims.put("jti", jti());
    claims.put("access", access(granted));
    String token = signer.sign(claims, now);

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", token);
    body.put("access_token", token);
    body.put("expires_in", lifetime.toSeconds());
    body.put("issued_at", now.toString());
    if (oauth) {
      body.put("scope", RegistryScope.formatAll(granted));
    }
    refreshToken(principal, offline, presentedRefreshToken, now)
        .ifPresent(r -> body.put("refresh_token", r));
    try {
      return HttpResponse.json(200, JSON.writeValueAsBytes(body))
          .withHeader("Cache-Control", "no-store")
          .withHeader("Pragma", "no-cache");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a token answer could not be written", e);
    }
  }

  private Optional<String> refreshToken(
      Principal principal, boolean offline, String presented, Instant now) {
    if (presented != null) {
      return Optional.of(presented); // the same value: Docker breaks under rotation
    }
    if (!offline || refreshTokens == null || principal.kind().isEmpty()) {
      return Optional.empty();
    }
    if (principal.kind().get() == RefreshTokens.Kind.PASSWORD && !passwordRefreshTokens) {
      return Optional.empty();
    }
    return Optional.of(
        refreshTokens.seal(
            principal.kind().get(),
            principal.account().orElseThrow(),
            principal.credential().orElseThrow(),
            now));
  }

  private List<RegistryScope> grant(Principal principal, List<RegistryScope> requested) {
    List<RegistryScope> granted =
        new ArrayList<>(
            RegistryScope.grant(
                principal.rights(),
                requested,
                name -> accounts.repositoryAccess(principal.account(), name)));
    if (catalog
        && principal.account().isPresent()
        && Scope.effective(principal.rights()).implies(Scope.REPO_READ)
        && requested.stream().anyMatch(RegistryTokenEndpoint::asksForCatalog)
        && accounts.mayListCatalog(principal.account().get())) {
      granted.add(RegistryScope.CATALOG);
    }
    return granted;
  }

  private static boolean asksForCatalog(RegistryScope scope) {
    return scope.resourceType().equals(RegistryScope.REGISTRY)
        && scope.resourceClass().isEmpty()
        && scope.name().equals("catalog")
        && scope.actions().contains(RegistryScope.WILDCARD);
  }

  private static List<Map<String, Object>> access(List<RegistryScope> granted) {
    List<Map<String, Object>> access = new ArrayList<>(granted.size());
    for (RegistryScope scope : granted) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", scope.resourceType());
      scope.resourceClass().ifPresent(c -> entry.put("class", c));
      entry.put("name", scope.name());
      entry.put("actions", List.copyOf(scope.actions()));
      access.add(entry);
    }
    return access;
  }

  private String jti() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private void checkService(Parameters parameters) {
    Optional<String> asked = parameters.single("service");
    if (asked.isPresent() && !asked.get().equals(service)) {
      throw new HttpRequestException(
          400,
          "invalid_request",
          "service: this token server issues tokens for the service "
              + service
              + " only; set the registry's auth.token.service to it");
    }
  }

  private List<RegistryScope> scopes(List<String> values) {
    long bytes = 0;
    for (String value : values) {
      bytes += value.getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > maxScopeBytes) {
      throw new HttpRequestException(
          400,
          "invalid_scope",
          "scope: "
              + bytes
              + " bytes of scope; a request may carry at most "
              + maxScopeBytes
              + " bytes");
    }
    List<String> items = new ArrayList<>();
    for (String value : values) {
      for (String part : value.split(" ")) {
        if (!part.isEmpty()) {
          items.add(part);
        }
      }
    }
    if (items.size() > maxScopes) {
      throw new HttpRequestException(
          400,
          "invalid_scope",
          "scope: " + items.size() + " scopes; a request may ask for at most " + maxScopes);
    }
    List<RegistryScope> scopes = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        scopes.add(RegistryScope.parse(items.get(i)));
      } catch (IllegalArgumentException e) {
        throw new HttpRequestException(
            400,
            "invalid_scope",
            "scope: scope "
                + (i + 1)
                + " is not <type>:<name>:<actions>, such as repository:team/app:pull,push, with a"
                + " repository name of lowercase [a-z0-9] components joined by '.', '_', '__' or"
                + " '-' and separated by '/', and actions of lowercase letters or *");
      }
    }
    return scopes;
  }

  private static String required(Parameters form, String name) {
    return form.single(name)
        .filter(v -> !v.isEmpty())
        .orElseThrow(() -> HttpRequestException.badRequest(name + ": required"));
  }

  /** The user name and password of a Basic authorization header. */
  private static String[] basic(String header) {
    String trimmed = header.strip();
    int space = trimmed.indexOf(' ');
    if (space < 0 || !trimmed.substring(0, space).toLowerCase(Locale.ROOT).equals("basic")) {
      throw HttpRequestException.badRequest(
          "Authorization: this endpoint takes Basic credentials, or none for anonymous access");
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(trimmed.substring(space + 1).strip());
    } catch (IllegalArgumentException e) {
      throw HttpRequestException.badRequest(
          "Authorization: the Basic credentials are not standard base64");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(decoded))
              .toString();
    } catch (CharacterCodingException e) {
      throw HttpRequestException.badRequest("Authorization: the Basic credentials are not UTF-8");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw HttpRequestException.badRequest(
          "Authorization: the Basic credentials must be username:password in base64");
    }
    return new String[] {text.substring(0, colon), text.substring(colon + 1)};
  }

  @Override
  public String toString() {
    return "RegistryTokenEndpoint[service="
        + service
        + ", issuer="
        + issuer
        + ", "
        + signer.keyIdMode()
        + ", lifetime="
        + lifetime
        + ", refreshTokens="
        + (refreshTokens == null ? "off" : passwordRefreshTokens ? "tokens+passwords" : "tokens")
        + "]";
  }

  /**
   * Builds a {@link RegistryTokenEndpoint}. {@code service}, {@code issuer}, {@code verifier},
   * {@code accounts} and {@code signingKeys} are required; the rest have secure defaults: tokens
   * live 300 s, name their key in {@code x5c}, no refresh tokens, no catalog listing, at most 32
   * scopes and 8 KiB of scope per request.
   */
  public static final class Builder {
    private String service;
    private String issuer;
    private String realm;
    private TokenVerifier verifier;
    private AccountDirectory accounts;
    private SigningKeys keys;
    private KeyIdMode keyIdMode = KeyIdMode.X5C;
    private Duration lifetime = DEFAULT_TOKEN_LIFETIME;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random;
    private List<RefreshTokenKey> refreshKeys = List.of();
    private boolean passwordRefreshTokens;
    private boolean catalog;
    private int maxScopes = DEFAULT_MAX_SCOPES;
    private int maxScopeBytes = DEFAULT_MAX_SCOPE_BYTES;

    private Builder() {}

    /**
     * The service name: must equal the registry's {@code auth.token.service}; becomes {@code aud}.
     */
    public Builder service(String service) {
      this.service = name(service, "service");
      return this;
    }

    /**
     * The issuer name: must equal the registry's {@code auth.token.issuer}; becomes {@code iss}.
     */
    public Builder issuer(String issuer) {
      this.issuer = name(issuer, "issuer");
      return this;
    }

    /** The realm of the Basic challenge on a 401; the service name unless set. */
    public Builder challengeRealm(String realm) {
      this.realm = name(realm, "challengeRealm");
      return this;
    }

    /** What checks personal access tokens: the core's {@code TokenService}, as a verifier. */
    public Builder verifier(TokenVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /** The registry's accounts and repositories. */
    public Builder accounts(AccountDirectory accounts) {
      this.accounts = Objects.requireNonNull(accounts, "accounts");
      return this;
    }

    /** The keys that sign tokens: the newest active one signs, all are published. */
    public Builder signingKeys(SigningKeys keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** How tokens name their signing key; {@link KeyIdMode#X5C} by default. */
    public Builder keyIdMode(KeyIdMode mode) {
      this.keyIdMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * How long a token lives: 60 s (clients raise anything lower) to 1 day; 300 s by default.
     *
     * @throws IllegalArgumentException if out of range or not whole seconds
     */
    public Builder tokenLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.compareTo(MIN_LIFETIME) < 0
          || lifetime.compareTo(MAX_LIFETIME) > 0
          || lifetime.getNano() != 0) {
        throw new IllegalArgumentException(
            "tokenLifetime: "
                + Durations.forPeople(lifetime)
                + "; must be whole seconds from 1 minute to 1 day");
      }
      this.lifetime = lifetime;
      return this;
    }

    /**
     * Turns refresh tokens on: a login that asks for one ({@code offline_token=true}, {@code
     * access_type=offline}) with a personal access token gets one, sealed with the first key; the
     * others still open refresh tokens they sealed. Off by default.
     *
     * @throws IllegalArgumentException if no key is given
     */
    public Builder refreshTokens(RefreshTokenKey... keys) {
      Objects.requireNonNull(keys, "keys");
      if (keys.length == 0) {
        throw new IllegalArgumentException("refreshTokens: give at least one key");
      }
      for (RefreshTokenKey key : keys) {
        Objects.requireNonNull(key, "keys must not contain null");
      }
      this.refreshKeys = List.of(keys);
      return this;
    }

    /**
     * Lets a password login get a refresh token too (the password, sealed, checked again on every
     * refresh). Off by default: a refresh token that holds a password outlives nothing but a
     * password change. Needs {@link #refreshTokens}.
     */
    public Builder allowPasswordRefreshTokens() {
      this.passwordRefreshTokens = true;
      return this;
    }

    /**
     * Grants {@code registry:catalog:*} to a signed-in client whose account the directory allows
     * ({@link AccountDirectory#mayListCatalog}), by password or with a token of at least {@code
     * repo:read}. Off by default.
     */
    public Builder allowCatalog() {
      this.catalog = true;
      return this;
    }

    /**
     * The most scopes one request may ask for, 1 to 256; 32 by default.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxScopes(int maxScopes) {
      if (maxScopes < 1 || maxScopes > 256) {
        throw new IllegalArgumentException("maxScopes: " + maxScopes + "; must be 1 to 256");
      }
      this.maxScopes = maxScopes;
      return this;
    }

    /**
     * The most bytes of scope text one request may carry, 512 to 65536; 8192 by default.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxScopeBytes(int maxScopeBytes) {
      if (maxScopeBytes < 512 || maxScopeBytes > 65_536) {
        throw new IllegalArgumentException(
            "maxScopeBytes: " + maxScopeBytes + "; must be 512 to 65536");
      }
      this.maxScopeBytes = maxScopeBytes;
      return this;
    }

    /**
     * The clock for {@code iat}, {@code exp} and key activation; the system UTC clock by default.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of token ids and refresh-token nonces; a new {@link SecureRandom} by default. */
    public Builder random(SecureRandom random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The endpoint.
     *
     * @throws IllegalStateException if a required setting is missing or settings contradict each
     *     other, saying what to do
     */
    public RegistryTokenEndpoint build() {
      require(service, "service", "the registry's auth.token.service");
      require(issuer, "issuer", "the registry's auth.token.issuer");
      require(verifier, "verifier", "a TokenService");
      require(accounts, "accounts", "the registry's AccountDirectory");
      require(keys, "signingKeys", "SigningKeys.of(SigningKey.generate(...))");
      if (passwordRefreshTokens && refreshKeys.isEmpty()) {
        throw new IllegalStateException(
            "allowPasswordRefreshTokens() needs refresh tokens on: call refreshTokens(key) too, or"
                + " drop allowPasswordRefreshTokens()");
      }
      Instant now = clock.instant();
      if (!keys.anyActive(now)) {
        throw new IllegalStateException(
            "signingKeys: no key is active at "
                + now
                + "; give a key whose activeFrom is not in the future, so tokens can be signed"
                + " now");
      }
      SigningKey current = keys.signingKey(now);
      if (keyIdMode == KeyIdMode.X5C
          && current.certificateChain().get(0).getNotAfter().toInstant().isBefore(now)) {
        throw new IllegalStateException(
            "signingKeys: the certificate of the signing key "
                + current.libtrustFingerprint()
                + " expired; registries refuse its x5c: generate a new key");
      }
      if (random == null) {
        random = new SecureRandom();
      }
      return new RegistryTokenEndpoint(this);
    }

    private static void require(Object value, String setting, String what) {
      if (value == null) {
        throw new IllegalStateException(setting + ": required; set it to " + what);
      }
    }

    private static String name(String value, String setting) {
      Objects.requireNonNull(value, setting);
      if (value.isEmpty()
          || value.length() > 255
          || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
        throw new IllegalArgumentException(
            setting
                + ": must be 1 to 255 printable ASCII characters without spaces, quotes or"
                + " backslashes");
      }
      return value;
    }
  }
}
