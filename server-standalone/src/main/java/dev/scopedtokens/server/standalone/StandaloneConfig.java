package dev.scopedtokens.server.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.scopedtokens.server.http.HttpLimits;
import dev.scopedtokens.store.postgres.PostgresTokenStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server's configuration file ({@code server.yml}), read strictly: an unknown key, a
 * value of the wrong kind or out of range is an error that names the key and what it accepts.
 * Relative file names are read from the configuration file's folder. The {@code accounts:}, {@code
 * namespaces:} and {@code catalog:} keys belong to {@link
 * dev.scopedtokens.server.accounts.FileAccountDirectory}, which reads the same file.
 *
 * <pre>{@code
 * listen: {host: 0.0.0.0, port: 5001}      # tls: {pem: tls.pem} or {pkcs12: tls.p12, passwordFile: p}
 * limits: {readTimeout: 10s, idleTimeout: 30s, maxThreads: 32}
 * token:
 *   realm: https://auth.example.com/token  # what the registry sends clients to
 *   service: registry.example.com          # the registry's auth.token.service
 *   issuer: scopedtokens                   # the registry's auth.token.issuer
 *   keys: [signing.pem]                    # from the keygen command; the newest signs
 *   keyId: x5c                             # x5c, libtrust, thumbprint or jwks
 *   lifetime: 5m
 *   refreshTokens: {keyFile: refresh.key}  # off when absent
 * sessions: {keyFile: session.pem}         # the management API's session key, from keygen; the
 *                                          #   same file on every node; a key per process if absent
 * store: memory                            # or {url: jdbc:postgresql://db/tokens, user: tokens,
 *                                          #   passwordFile: db.pass, schemaMode: migrate}
 * accounts: ...
 * }</pre>
 */
record StandaloneConfig(
    Path file,
    String host,
    int port,
    Optional<TlsPaths> tls,
    HttpLimits limits,
    int maxThreads,
    int maxConnections,
    long minReadBytesPerSecond,
    TokenSettings token,
    Optional<Path> sessionKeyFile,
    StoreSettings store) {

  private static final Set<String> TOP =
      Set.of("listen", "limits", "token", "sessions", "store", "accounts", "namespaces", "catalog");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
  // PgJDBC's password=, sslpassword= and the like, as URL parameters.
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(^|&)[a-z]*password=");

  /** TLS material: a PEM file with key and chain, or a PKCS#12 key store with its password. */
  record TlsPaths(Optional<Path> pem, Optional<Path> pkcs12, Optional<Path> passwordFile) {}

  /**
   * Where tokens live: {@code memory}, or PostgreSQL: a JDBC URL without a password, the user,
   * where the password comes from (a file or an environment variable, never the configuration
   * itself), the schema and what to do about it, and the pool's size.
   */
  record StoreSettings(
      String url,
      Optional<String> user,
      Optional<Path> passwordFile,
      Optional<String> passwordEnv,
      String schema,
      PostgresTokenStore.SchemaMode schemaMode,
      int maxConnections) {
    static final StoreSettings MEMORY =
        new StoreSettings(
            "memory",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "public",
            PostgresTokenStore.SchemaMode.NONE,
            0);

    boolean inMemory() {
      return url.equals("memory");
    }

    /** The URL without its parameters: where the store is, for log lines and messages. */
    String where() {
      int query = url.indexOf('?');
      return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
      return inMemory() ? "memory" : "postgresql " + where();
    }
  }

  /** The registry token endpoint's settings. */
  record TokenSettings(
      String realm,
      String service,
      String issuer,
      List<Path> keys,
      String keyId,
      Duration lifetime,
      Optional<Path> refreshKeyFile,
      boolean refreshForPasswords,
      boolean catalog) {}

  /**
   * Reads a configuration file.
   *
   * @throws IllegalArgumentException naming the file, the key and what it accepts
   */
  static StandaloneConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file + ": cannot be read (" + e.getClass().getSimpleName() + ")", e);
    }
    try {
      return parse(file, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  static StandaloneConfig parse(Path file, String text) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (IOException e) {
      String where =
          e instanceof com.fasterxml.jackson.core.JsonProcessingException p
                  && p.getLocation() != null
              ? " at line " + p.getLocation().getLineNr()
              : "";
      throw new IllegalArgumentException("not valid YAML" + where, e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("must be a mapping with listen:, token: and accounts:");
    }
    keys(root, "", TOP);
    Path dir = Objects.requireNonNullElse(file.toAbsolutePath().getParent(), Path.of("."));

    JsonNode listen = root.path("listen");
    keys(listen, "listen", Set.of("host", "port", "tls"));
    String host = text(listen, "listen.host", "127.0.0.1");
    int port = integer(listen, "listen.port", 5001, 0, 65_535);
    Optional<TlsPaths> tls = Optional.empty();
    JsonNode tlsNode = listen.path("tls");
    if (!tlsNode.isMissingNode() && !tlsNode.isNull()) {
      keys(tlsNode, "listen.tls", Set.of("pem", "pkcs12", "passwordFile"));
      Optional<Path> pem = optionalPath(tlsNode, "listen.tls.pem", dir);
      Optional<Path> p12 = optionalPath(tlsNode, "listen.tls.pkcs12", dir);
      Optional<Path> pass = optionalPath(tlsNode, "listen.tls.passwordFile", dir);
      if (pem.isPresent() == p12.isPresent()) {
        throw new IllegalArgumentException(
            "listen.tls: give either pem: (key and certificate chain) or pkcs12: with"
                + " passwordFile:");
      }
      if (p12.isPresent() && pass.isEmpty()) {
        throw new IllegalArgumentException("listen.tls.passwordFile: needed with pkcs12:");
      }
      tls = Optional.of(new TlsPaths(pem, p12, pass));
    }

    JsonNode limitsNode = root.path("limits");
    keys(
        limitsNode,
        "limits",
        Set.of(
            "maxBodyBytes",
            "maxHeaderBytes",
            "maxHeaderCount",
            "readTimeout",
            "idleTimeout",
            "maxThreads",
            "maxConnections",
            "minReadBytesPerSecond"));
    HttpLimits defaults = HttpLimits.DEFAULTS;
    HttpLimits limits;
    try {
      limits =
          new HttpLimits(
              integer(limitsNode, "limits.maxBodyBytes", defaults.maxBodyBytes(), 1, 64 << 20),
              integer(
                  limitsNode, "limits.maxHeaderBytes", defaults.maxHeaderBytes(), 1024, 1 << 20),
              integer(limitsNode, "limits.maxHeaderCount", defaults.maxHeaderCount(), 1, 10_000),
              duration(limitsNode, "limits.readTimeout", defaults.readTimeout()),
              duration(limitsNode, "limits.idleTimeout", defaults.idleTimeout()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("limits." + e.getMessage(), e);
    }
    int maxThreads = integer(limitsNode, "limits.maxThreads", 32, 8, 1024);
    int maxConnections = integer(limitsNode, "limits.maxConnections", 1024, 1, 100_000);
    int minRate = integer(limitsNode, "limits.minReadBytesPerSecond", 1024, 0, 1 << 30);

    JsonNode token = root.path("token");
    if (!token.isObject()) {
      throw new IllegalArgumentException(
          "token: missing; give at least realm:, service:, issuer: and keys:");
    }
    keys(
        token,
        "token",
        Set.of(
            "realm", "service", "issuer", "keys", "keyId", "lifetime", "refreshTokens", "catalog"));
    List<Path> keyFiles = new ArrayList<>();
    JsonNode keysNode = token.path("keys");
    if (!keysNode.isArray() || keysNode.isEmpty()) {
      throw new IllegalArgumentException(
          "token.keys: must list at least one signing key file (make one with keygen)");
    }
    for (JsonNode k : keysNode) {
      if (!k.isTextual() || k.asText().isBlank()) {
        throw new IllegalArgumentException("token.keys: each entry must be a file name");
      }
      keyFiles.add(dir.resolve(k.asText()));
    }
    String keyId = text(token, "token.keyId", "x5c");
    if (!Set.of("x5c", "libtrust", "thumbprint", "jwks").contains(keyId)) {
      throw new IllegalArgumentException("token.keyId: must be x5c, libtrust, thumbprint or jwks");
    }
    Optional<Path> refreshKey = Optional.empty();
    boolean refreshForPasswords = false;
    JsonNode refresh = token.path("refreshTokens");
    if (!refresh.isMissingNode() && !refresh.isNull()) {
      keys(refresh, "token.refreshTokens", Set.of("keyFile", "forPasswords"));
      refreshKey = optionalPath(refresh, "token.refreshTokens.keyFile", dir);
      if (refreshKey.isEmpty()) {
        throw new IllegalArgumentException(
            "token.refreshTokens.keyFile: needed to turn refresh tokens on (make one with keygen)");
      }
      refreshForPasswords = bool(refresh, "token.refreshTokens.forPasswords", false);
    }
    TokenSettings settings =
        new TokenSettings(
            required(token, "token.realm"),
            required(token, "token.service"),
            required(token, "token.issuer"),
            List.copyOf(keyFiles),
            keyId,
            duration(token, "token.lifetime", Duration.ofMinutes(5)),
            refreshKey,
            refreshForPasswords,
            bool(token, "token.catalog", false));

    Optional<Path> sessionKeyFile = Optional.empty();
    JsonNode sessions = root.path("sessions");
    if (!sessions.isMissingNode() && !sessions.isNull()) {
      if (!sessions.isObject()) {
        throw new IllegalArgumentException(
            "sessions: must be a mapping {keyFile: session.pem} (make the key with keygen)");
      }
      keys(sessions, "sessions", Set.of("keyFile"));
      sessionKeyFile = optionalPath(sessions, "sessions.keyFile", dir);
      if (sessionKeyFile.isEmpty()) {
        throw new IllegalArgumentException(
            "sessions.keyFile: needed under sessions: (make the key with keygen)");
      }
    }

    StoreSettings store = store(root.path("store"), dir);
    return new StandaloneConfig(
        file,
        host,
        port,
        tls,
        limits,
        maxThreads,
        maxConnections,
        minRate,
        settings,
        sessionKeyFile,
        store);
  }

  private static StoreSettings store(JsonNode node, Path dir) {
    if (node.isMissingNode() || node.isNull()) {
      return StoreSettings.MEMORY;
    }
    if (!node.isObject()) {
      if (node.isTextual() && node.asText().equals("memory")) {
        return StoreSettings.MEMORY;
      }
      throw new IllegalArgumentException(
          "store: must be memory or a mapping {url: jdbc:postgresql://host:5432/db, user: ...,"
              + " passwordFile: ... or passwordEnv: ..., schemaMode: validate, migrate or none}");
    }
    keys(
        node,
        "store",
        Set.of(
            "url",
            "user",
            "passwordFile",
            "passwordEnv",
            "schema",
            "schemaMode",
            "maxConnections"));
    String url = required(node, "store.url");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "store.url: must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db)");
    }
    int query = url.indexOf('?');
    if (query >= 0
        && PASSWORD_PARAMETER.matcher(url.substring(query + 1).toLowerCase(Locale.ROOT)).find()) {
      // The URL appears in log lines and messages; a password must not.
      throw new IllegalArgumentException(
          "store.url: must not carry a password; give it in store.passwordFile or"
              + " store.passwordEnv");
    }
    Optional<Path> passwordFile = optionalPath(node, "store.passwordFile", dir);
    Optional<String> passwordEnv = Optional.ofNullable(text(node, "store.passwordEnv", null));
    if (passwordFile.isPresent() && passwordEnv.isPresent()) {
      throw new IllegalArgumentException(
          "store: give the password in passwordFile or passwordEnv, not both");
    }
    String mode = text(node, "store.schemaMode", "validate");
    PostgresTokenStore.SchemaMode schemaMode =
        switch (mode) {
          case "validate" -> PostgresTokenStore.SchemaMode.VALIDATE;
          case "migrate" -> PostgresTokenStore.SchemaMode.MIGRATE;
          case "none" -> PostgresTokenStore.SchemaMode.NONE;
          default ->
              throw new IllegalArgumentException(
                  "store.schemaMode: must be validate (refuse a schema of another version),"
                      + " migrate (create or upgrade it) or none (leave it to the DBA)");
        };
    String schema = text(node, "store.schema", "public");
    return new StoreSettings(
        url,
        Optional.ofNullable(text(node, "store.user", null)),
        passwordFile,
        passwordEnv,
        schema,
        schemaMode,
        integer(node, "store.maxConnections", 10, 1, 200));
  }

  private static void keys(JsonNode node, String where, Set<String> allowed) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          (where.isEmpty() ? "the document" : where) + ": must be a mapping");
    }
    for (var it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            (where.isEmpty() ? "" : where + ".")
                + key
                + ": unknown key; allowed"
                + (where.isEmpty() ? "" : " under " + where)
                + " are "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static String required(JsonNode node, String where) {
    String value = text(node, where, null);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(where + ": missing");
    }
    return value;
  }

  private static String text(JsonNode node, String where, String fallback) {
    JsonNode value = node.path(leaf(where));
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isValueNode() || value.isBoolean()) {
      throw new IllegalArgumentException(where + ": must be text");
    }
    return value.asText();
  }

  private static boolean bool(JsonNode node, String where, boolean fallback) {
    JsonNode value = node.path(leaf(where));
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new IllegalArgumentException(where + ": must be true or false");
    }
    return value.asBoolean();
  }

  private static int integer(JsonNode node, String where, int fallback, int min, int max) {
    JsonNode value = node.path(leaf(where));
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.asInt() < min
        || value.asInt() > max) {
      throw new IllegalArgumentException(
          where + ": must be a whole number from " + min + " to " + max);
    }
    return value.asInt();
  }

  private static Duration duration(JsonNode node, String where, Duration fallback) {
    String text = text(node, where, null);
    if (text == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          where + ": must be a duration such as 500ms, 10s, 5m or 1h");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  private static Optional<Path> optionalPath(JsonNode node, String where, Path dir) {
    return Optional.ofNullable(text(node, where, null)).map(dir::resolve);
  }

  private static String leaf(String where) {
    return where.substring(where.lastIndexOf('.') + 1);
  }
}
