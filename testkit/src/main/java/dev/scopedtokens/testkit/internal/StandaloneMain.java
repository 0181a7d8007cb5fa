package dev.scopedtokens.testkit.internal;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.testkit.FakeDockerHub;
import dev.scopedtokens.testkit.FakeHubUser;
import dev.scopedtokens.testkit.Totp;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the fake Docker Hub on its own, as a local stand-in for Docker Hub's token API in tests
 * written in any language:
 *
 * <pre>
 * java -jar scopedtokens-testkit-VERSION-standalone.jar --port 5000 --user alice:secret
 * </pre>
 *
 * <p>The first line on standard output is {@code listening on http://127.0.0.1:PORT}. SIGTERM (or
 * Ctrl-C) stops the server cleanly, prints {@code stopped} and exits with status 0. Bad arguments
 * print a message to standard error and exit with status 2.
 */
public final class StandaloneMain {
  /** The exit status for bad arguments. */
  public static final int USAGE_ERROR = 2;

  static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: java -jar scopedtokens-testkit-standalone.jar [options]",
          "",
          "Runs a fake Docker Hub access-token API on 127.0.0.1.",
          "",
          "Options:",
          "  --port N                               listen on port N (default 0: any free port)",
          "  --user NAME:PASSWORD[:TOTP_BASE32]     add an account, with two-factor codes when a",
          "                                         TOTP secret is given (repeatable; NAME and",
          "                                         PASSWORD must not contain ':')",
          "  --plan NAME                            the accounts' plan, one of",
          "                                         " + String.join(", ", plans().keySet()),
          "                                         (default fair-use)",
          "  --rate-limit N                         allow N requests per minute per caller",
          "  --help                                 print this help and exit",
          "",
          "The first line printed is 'listening on http://127.0.0.1:PORT'. SIGTERM stops it (exit 0).");

  private StandaloneMain() {}

  /**
   * What the command line asked for.
   *
   * @param help whether to print the help and exit
   * @param port the port, 0 for any
   * @param users the accounts
   * @param plan the accounts' plan
   * @param rateLimit requests per minute per caller, 0 for none
   */
  record Options(boolean help, int port, List<FakeHubUser> users, Plan plan, int rateLimit) {}

  /** A command line that cannot be run; the message says what is wrong and never a password. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  /** Runs the server until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("Try --help for the options.");
      System.exit(USAGE_ERROR);
      return;
    }
    if (options.help()) {
      System.out.println(USAGE);
      return;
    }
    FakeDockerHub hub = start(options, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  hub.close();
                  System.out.println("stopped");
                  System.out.flush();
                  stopped.countDown();
                  // A stop asked for is a clean exit: 0, not the signal's 128 + 15. exit() would
                  // wait for this very hook; halt() ends the JVM now, after the output is out.
                  Runtime.getRuntime().halt(0);
                },
                "fake-docker-hub-shutdown"));
    stopped.await();
  }

  /** Starts the server and prints the line that announces it. */
  static FakeDockerHub start(Options options, PrintStream out) {
    FakeDockerHub.Builder builder =
        FakeDockerHub.builder()
            .port(options.port())
            .plan(options.plan())
            .rateLimitPerMinute(options.rateLimit());
    options.users().forEach(builder::user);
    FakeDockerHub hub = builder.start();
    out.println("listening on " + hub.baseUri());
    out.flush();
    return hub;
  }

  /**
   * Reads the command line.
   *
   * @throws UsageException naming the option, the problem and what is allowed
   */
  static Options parse(String[] args) throws UsageException {
    boolean help = false;
    int port = 0;
    int rateLimit = 0;
    Plan plan = Plan.FAIR_USE;
    List<FakeHubUser> users = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String option = arg;
      Optional<String> inline = Optional.empty();
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        option = arg.substring(0, eq);
        inline = Optional.of(arg.substring(eq + 1));
      }
      switch (option) {
        case "--help":
        case "-h":
          help = true;
          break;
        case "--port":
          port =
              number(
                  option, inline.isPresent() ? inline.get() : value(args, ++i, option), 0, 65_535);
          break;
        case "--rate-limit":
          rateLimit =
              number(
                  option,
                  inline.isPresent() ? inline.get() : value(args, ++i, option),
                  1,
                  1_000_000);
          break;
        case "--plan":
          plan = plan(inline.isPresent() ? inline.get() : value(args, ++i, option));
          break;
        case "--user":
          FakeHubUser user = user(inline.isPresent() ? inline.get() : value(args, ++i, option));
          if (names.contains(user.name())) {
            throw new UsageException("--user: " + user.name() + " is given twice");
          }
          names.add(user.name());
          users.add(user);
          break;
        default:
          throw new UsageException(
              "unknown option "
                  + (arg.length() > 40 ? arg.substring(0, 40) + "..." : arg)
                  + "; allowed are --port, --user, --plan, --rate-limit and --help");
      }
    }
    return new Options(help, port, List.copyOf(users), plan, rateLimit);
  }

  private static String value(String[] args, int index, String option) throws UsageException {
    if (index >= args.length) {
      throw new UsageException(option + ": a value is required");
    }
    return args[index];
  }

  private static int number(String option, String value, int min, int max) throws UsageException {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below with the allowed range.
    }
    throw new UsageException(
        option + ": '" + value + "' is not a whole number from " + min + " to " + max);
  }

  private static FakeHubUser user(String spec) throws UsageException {
    String[] parts = spec.split(":", 3);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      // The spec holds a password: name only what is wrong with its shape.
      throw new UsageException(
          "--user: expected NAME:PASSWORD or NAME:PASSWORD:TOTP_BASE32_SECRET");
    }
    try {
      FakeHubUser.Builder user = FakeHubUser.builder(parts[0], parts[1]);
      if (parts.length == 3) {
        user.totp(Totp.fromBase32(parts[2]));
      }
      return user.build();
    } catch (IllegalArgumentException e) {
      // These messages name the part and the rule, never the password or the TOTP secret.
      throw new UsageException("--user " + parts[0] + ": " + e.getMessage());
    }
  }

  private static Plan plan(String name) throws UsageException {
    Plan plan = plans().get(name.toLowerCase(Locale.ROOT));
    if (plan == null) {
      throw new UsageException(
          "--plan: unknown plan '"
              + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
              + "'; allowed are "
              + String.join(", ", plans().keySet()));
    }
    return plan;
  }

  private static Map<String, Plan> plans() {
    return Plan.presets();
  }
}
