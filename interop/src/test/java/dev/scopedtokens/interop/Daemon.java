package dev.scopedtokens.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A long-running process (the standalone server, the registry) whose output is copied to a log
 * file; started means a line containing a marker has been printed.
 */
final class Daemon implements AutoCloseable {
  private final Process process;
  private final Path log;

  /** Everything printed so far; guarded by this daemon's monitor, notified on every line. */
  private final StringBuilder output = new StringBuilder();

  private Thread pump;

  private Daemon(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static Daemon start(List<String> command, Path log, String readyMarker) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Daemon daemon = new Daemon(process, log);
      CountDownLatch ready = new CountDownLatch(1);
      Thread pump =
          new Thread(
              () -> {
                try (BufferedReader in =
                        new BufferedReader(
                            new InputStreamReader(
                                process.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter file =
                        new PrintWriter(
                            Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    file.println(line);
                    daemon.printed(line);
                    if (line.contains(readyMarker)) {
                      ready.countDown();
                    }
                  }
                } catch (IOException e) {
                  // The process ended; what it printed is in the log.
                } finally {
                  ready.countDown();
                }
              },
              "log-" + log.getFileName());
      pump.setDaemon(true);
      daemon.pump = pump;
      pump.start();
      if (!ready.await(2, TimeUnit.MINUTES) || !process.isAlive()) {
        process.destroyForcibly();
        throw new AssertionError(
            command.get(0) + " did not start; its output (" + log + "):\n" + daemon.output());
      }
      return daemon;
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Starts Debian's docker-registry on {@code port} of 127.0.0.1, storing under {@code work} and
   * sending its clients to the token server at {@code realmPort}, whose keys {@code rootCertBundle}
   * holds.
   */
  static Daemon registry(
      Path work, int port, int realmPort, String service, String issuer, Path rootCertBundle)
      throws IOException {
    Path config = work.resolve("registry.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log: {level: info}
        storage:
          filesystem: {rootdirectory: %s}
          delete: {enabled: true}
        http:
          addr: 127.0.0.1:%d
          secret: interop-http-secret
        auth:
          token:
            realm: http://localhost:%d/token
            service: %s
            issuer: %s
            rootcertbundle: %s
        """
            .formatted(
                work.resolve("registry-data"), port, realmPort, service, issuer, rootCertBundle));
    return start(
        List.of("docker-registry", "serve", config.toString()),
        work.resolve("registry.log"),
        "listening on");
  }

  /** A loopback port free now, for a daemon to bind. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private synchronized void printed(String line) {
    output.append(line).append('\n');
    notifyAll();
  }

  /** Everything printed so far. */
  synchronized String output() {
    return output.toString();
  }

  /**
   * Blocks until the output holds {@code needle} more than {@code before} times: a server logs a
   * request after answering it, so its line may trail the client by a moment.
   *
   * @throws AssertionError when it does not within {@code timeout}
   */
  synchronized void awaitCount(String needle, int before, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (count(needle) <= before) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no new \"" + needle + "\" line within " + timeout.toSeconds() + " s; see " + log);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** How many times the output so far contains {@code needle}. */
  synchronized int count(String needle) {
    String text = output.toString();
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  /** Sends SIGTERM and returns the exit status. */
  int terminate() {
    // Through the handle: Process.destroy() would also close our end of its output, losing the
    // lines it prints while it stops.
    process.toHandle().destroy();
    try {
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("did not stop within a minute of SIGTERM; see " + log);
      }
      // Everything the process printed before it ended is read before we answer.
      pump.join(60_000);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      terminate();
    }
  }
}
