package dev.scopedtokens.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private final StringBuffer output = new StringBuffer();
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
                    daemon.output.append(line).append('\n');
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
            command.get(0) + " did not start; its output (" + log + "):\n" + daemon.output);
      }
      return daemon;
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Everything printed so far. */
  String output() {
    return output.toString();
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
