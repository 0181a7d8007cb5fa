package dev.scopedtokens.server.standalone;

import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.server.accounts.FileAccountDirectory;
import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.http.Routes;
import dev.scopedtokens.server.hub.HubApi;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.KeyIdMode;
import dev.scopedtokens.server.jwt.SigningKey;
import dev.scopedtokens.server.jwt.SigningKeys;
import dev.scopedtokens.server.registry.RefreshTokenKey;
import dev.scopedtokens.server.registry.RegistryTokenEndpoint;
import dev.scopedtokens.token.TokenService;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The standalone token server's command line.
 *
 * <pre>
 * java -jar scopedtokens-server-VERSION-standalone.jar --config server.yml
 * java -jar scopedtokens-server-VERSION-standalone.jar keygen --name ISSUER --out signing.pem
 *     [--algorithm ES256|RS256] [--days 365]
 * java -jar scopedtokens-server-VERSION-standalone.jar refresh-keygen --out refresh.key
 * java -jar scopedtokens-server-VERSION-standalone.jar hash-password   (reads the password)
 * </pre>
 *
 * <p>Serving, it prints the {@code auth.token} block to paste into the registry's {@code
 * config.yml}, then one {@code key=value} line per request; it stops cleanly, with exit status 0,
 * on SIGTERM or SIGINT. A bad configuration exits 2 with a message that names the key.
 */
public final class Main {
  private static final AtomicBoolean EXITING = new AtomicBoolean();

  private Main() {}

  /**
   * Runs a command.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    // Jetty's own start-up chatter is not the structured log; its warnings and errors still show.
    if (System.getProperty("org.eclipse.jetty.LEVEL") == null) {
      System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
    }
    // Nor is the pool's; it says when connections fail (and never prints the password).
    if (System.getProperty("com.zaxxer.hikari.LEVEL") == null) {
      System.setProperty("com.zaxxer.hikari.LEVEL", "WARN");
    }
    int status;
    try {
      status = run(args, System.out, System.err);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      status = 2;
    } catch (RuntimeException e) {
      e.printStackTrace();
      status = 1;
    }
    if (status != 0) {
      EXITING.set(true);
      System.exit(status);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> list = new ArrayList<>(Arrays.asList(args));
    if (list.isEmpty() || list.contains("--help") || list.contains("-h")) {
      err.println(usage());
      return list.isEmpty() ? 2 : 0;
    }
    switch (list.get(0)) {
      case "keygen" -> {
        return keygen(list.subList(1, list.size()), out);
      }
      case "refresh-keygen" -> {
        Path file = Path.of(option(list, "--out", null));
        writeSecret(file, RefreshTokenKey.generate(new SecureRandom()).exportBase64() + "\n");
        out.println("wrote " + file + "; set token.refreshTokens.keyFile to it");
        return 0;
      }
      case "hash-password" -> {
        out.println(hashPassword());
        return 0;
      }
      case "--config", "serve" -> {
        serve(Path.of(option(list, "--config", null)), out);
        return 0;
      }
      default ->
          throw new IllegalArgumentException("unknown command " + list.get(0) + "\n" + usage());
    }
  }

  private static String usage() {
    return String.join(
        "\n",
        "usage:",
        "  java -jar scopedtokens-server-VERSION-standalone.jar --config server.yml",
        "  java -jar scopedtokens-server-VERSION-standalone.jar keygen --name ISSUER"
            + " --out signing.pem [--algorithm ES256|RS256] [--days 365]",
        "  java -jar scopedtokens-server-VERSION-standalone.jar refresh-keygen --out refresh.key",
        "  java -jar scopedtokens-server-VERSION-standalone.jar hash-password   (reads the password)");
  }

  private static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    if (i < 0 || i + 1 >= args.size()) {
      if (fallback != null) {
        return fallback;
      }
      throw new IllegalArgumentException(name + ": missing; " + usage());
    }
    return args.get(i + 1);
  }

  private static int keygen(List<String> args, PrintStream out) {
    String name = option(args, "--name", null);
    Path file = Path.of(option(args, "--out", null));
    JwtAlgorithm algorithm;
    try {
      algorithm = JwtAlgorithm.valueOf(option(args, "--algorithm", "ES256"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--algorithm: must be ES256 or RS256", e);
    }
    int days;
    try {
      days = Integer.parseInt(option(args, "--days", "365"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--days: must be a whole number of days", e);
    }
    SigningKey key =
        SigningKey.generate(
            algorithm, name, Instant.now(), Duration.ofDays(days), new SecureRandom());
    writeSecret(file, key.exportPrivateKeyPem() + key.certificateChainPem());
    out.println("wrote " + file + ": " + key);
    out.println("add it to token.keys in server.yml; the server prints the registry's block");
    return 0;
  }

  /** Writes a file only its owner can read, refusing to overwrite one. */
  private static void writeSecret(Path file, String text) {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IllegalArgumentException(file + ": exists; choose another file or remove it", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be written (" + e.getMessage() + ")", e);
    }
  }

  private static String hashPassword() {
    String password;
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("password: ");
      password = typed == null ? "" : new String(typed);
    } else {
      try {
        String line =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        password = line == null ? "" : line;
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the password from standard input", e);
      }
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("the password is empty; type one");
    }
    return Argon2idHasher.defaults().hash(TokenSecret.of(password));
  }

  /** Loads the configuration, starts the server, prints the registry's block, and waits. */
  static void serve(Path configFile, PrintStream out) {
    // The hook is in place before the server starts, so a SIGTERM at any moment stops it cleanly.
    java.util.concurrent.atomic.AtomicReference<Running> running =
        new java.util.concurrent.atomic.AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("time=" + Instant.now() + " event=stop");
                  Running r = running.get();
                  if (r != null) {
                    r.close();
                  }
                  out.flush();
                  stopped.countDown();
                  if (!EXITING.get()) {
                    // A signal asked us to stop and we did, cleanly: say so with status 0
                    // rather than the JVM's 128 + signal.
                    Runtime.getRuntime().halt(0);
                  }
                },
                "scopedtokens-shutdown"));
    running.set(start(configFile, out, Clock.systemUTC()));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A started server with what it holds open. */
  record Running(StandaloneServer server, AutoCloseable store) implements AutoCloseable {
    @Override
    public void close() {
      // The server stops first, so no request is left holding a connection; then the pool closes.
      try {
        server.close();
      } finally {
        try {
          store.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing the store failed: " + e.getMessage(), e);
        }
      }
    }
  }

  static Running start(Path configFile, PrintStream out, Clock clock) {
    StandaloneConfig config = StandaloneConfig.load(configFile);
    Argon2idHasher hasher = Argon2idHasher.defaults();
    FileAccountDirectory accounts = FileAccountDirectory.load(configFile, hasher, clock);
    StandaloneConfig.TokenSettings token = config.token();

    List<SigningKey> keyList = new ArrayList<>();
    for (Path file : token.keys()) {
      try {
        keyList.add(SigningKey.fromPem(Files.readString(file, StandardCharsets.US_ASCII)));
      } catch (IOException e) {
        throw new IllegalArgumentException("token.keys: " + file + " cannot be read", e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("token.keys: " + file + ": " + e.getMessage(), e);
      }
    }
    SigningKeys keys = SigningKeys.of(keyList);
    KeyIdMode mode =
        switch (token.keyId()) {
          case "libtrust" -> KeyIdMode.LIBTRUST_FINGERPRINT;
          case "thumbprint" -> KeyIdMode.DISTRIBUTION_THUMBPRINT;
          case "jwks" -> KeyIdMode.JWKS;
          default -> KeyIdMode.X5C;
        };

    Optional<KeyPair> sessionKeys =
        config.sessionKeyFile().map(file -> SessionKeyFile.read(file, keyList));

    Stores.Opened store = Stores.open(config.store());
    try {
      return serve(configFile, out, clock, config, accounts, keys, mode, sessionKeys, store);
    } catch (RuntimeException e) {
      // Nothing is left open by a start that failed: the pool's connections close too.
      try {
        store.closer().close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static Running serve(
      Path configFile,
      PrintStream out,
      Clock clock,
      StandaloneConfig config,
      FileAccountDirectory accounts,
      SigningKeys keys,
      KeyIdMode mode,
      Optional<KeyPair> sessionKeys,
      Stores.Opened store) {
    StandaloneConfig.TokenSettings token = config.token();
    TokenService tokens = TokenService.builder().store(store.store()).clock(clock).build();

    RegistryTokenEndpoint.Builder endpoint =
        RegistryTokenEndpoint.builder()
            .service(token.service())
            .issuer(token.issuer())
            .challengeRealm(token.realm())
            .verifier(tokens)
            .accounts(accounts)
            .signingKeys(keys)
            .keyIdMode(mode)
            .tokenLifetime(token.lifetime())
            .clock(clock);
    if (token.refreshKeyFile().isPresent()) {
      Path file = token.refreshKeyFile().get();
      try {
        endpoint.refreshTokens(
            RefreshTokenKey.fromBase64(Files.readString(file, StandardCharsets.US_ASCII).strip()));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "token.refreshTokens.keyFile: " + file + " cannot be read", e);
      }
      if (token.refreshForPasswords()) {
        endpoint.allowPasswordRefreshTokens();
      }
    }
    if (token.catalog()) {
      endpoint.allowCatalog();
    }
    HttpEndpoint registry = endpoint.build();

    HttpEndpoint own =
        Routes.builder()
            .route("GET", "/token", registry)
            .route("POST", "/token", registry)
            .route("GET", "/health", request -> HttpResponse.json(200, "{\"status\":\"ok\"}"))
            .build();
    // The Docker Hub-compatible management API lives under /v2/, as on Docker Hub.
    HubApi.Builder hubBuilder =
        HubApi.builder(tokens, accounts).issuer(token.issuer()).clock(clock);
    sessionKeys.ifPresent(hubBuilder::sessionKeys);
    HttpEndpoint hub = hubBuilder.build();
    HttpEndpoint app =
        request -> request.path().startsWith("/v2/") ? hub.handle(request) : own.handle(request);

    Path trust = trustFile(configFile, mode, keys);
    StandaloneServer.Listen listen =
        new StandaloneServer.Listen(
            config.host(),
            config.port(),
            config.limits(),
            config.maxThreads(),
            config.maxConnections(),
            config.minReadBytesPerSecond(),
            config.tls().map(TlsFiles::load));
    StandaloneServer server = StandaloneServer.start(app, listen, new RequestLogLine(out, clock));
    try {
      out.println(
          "time="
              + clock.instant()
              + " event=start listen="
              + (config.tls().isPresent() ? "https" : "http")
              + "://"
              + config.host()
              + ":"
              + server.address().getPort()
              + " store="
              + store.description()
              + " accounts="
              + accounts);
      out.println("# paste into the registry's config.yml:");
      out.println("auth:");
      out.println("  token:");
      out.println("    realm: " + token.realm());
      out.println("    service: " + token.service());
      out.println("    issuer: " + token.issuer());
      out.println(
          "    "
              + (mode == KeyIdMode.JWKS ? "jwks: " : "rootcertbundle: ")
              + trust.toAbsolutePath());
      out.flush();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    // On stop: the service ends its change-feed subscription (closing the LISTEN connection) and
    // writes the last uses it holds, then the store's pool closes.
    return new Running(
        server,
        () -> {
          try {
            tokens.flushLastUse();
            tokens.close();
          } finally {
            store.closer().close();
          }
        });
  }

  /** Writes what the registry trusts next to the configuration: a certificate bundle or a JWKS. */
  private static Path trustFile(Path configFile, KeyIdMode mode, SigningKeys keys) {
    Path dir = Optional.ofNullable(configFile.toAbsolutePath().getParent()).orElse(Path.of("."));
    Path file =
        dir.resolve(mode == KeyIdMode.JWKS ? "registry-jwks.json" : "registry-rootcertbundle.pem");
    try {
      Files.writeString(
          file,
          mode == KeyIdMode.JWKS ? keys.jwks(mode) : keys.certificateBundlePem(),
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be written (" + e.getMessage() + ")", e);
    }
    return file;
  }
}
