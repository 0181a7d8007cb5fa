package dev.scopedtokens.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real tools and reports what they said. */
final class Processes {
  private Processes() {}

  /** A finished command: its exit status and everything it printed (stdout and stderr). */
  record Result(int status, String output) {
    boolean ok() {
      return status == 0;
    }

    @Override
    public String toString() {
      return "exit " + status + ":\n" + output;
    }
  }

  /**
   * Fails, naming what to install, unless every tool is on the PATH. The interop suite never skips:
   * a machine without the tools fails here.
   */
  static void requireTools(String... tools) {
    StringBuilder missing = new StringBuilder();
    for (String tool : tools) {
      if (which(tool) == null) {
        missing.append(' ').append(tool);
      }
    }
    if (missing.length() > 0) {
      throw new AssertionError(
          "the interop suite needs these tools on the PATH, and they are missing:"
              + missing
              + ". On Debian, as root: apt-get update && apt-get install -y docker-registry skopeo"
              + " podman (the docker CLI comes from docker-ce-cli or docker.io); scripts/test-all.sh"
              + " does this when run as root.");
    }
  }

  static Path which(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, tool);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Runs {@code command}, feeding {@code stdin} (may be null), waiting at most two minutes. */
  static Result run(List<String> command, Map<String, String> env, String stdin) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      byte[] out;
      try (InputStream output = process.getInputStream()) {
        out = output.readAllBytes();
      }
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** {@code head} followed by {@code tail}, as a new list: a command line with more arguments. */
  static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  /**
   * Closes each of {@code resources} that is not null, in order, trying every one even when an
   * earlier one fails (so no process outlives a failed stop); then throws the first failure, with
   * the later ones suppressed.
   */
  static void closeAll(AutoCloseable... resources) {
    Throwable first = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Throwable e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof RuntimeException e) {
      throw e;
    }
    if (first instanceof Error e) {
      throw e;
    }
    if (first != null) {
      throw new AssertionError("closing: " + first, first);
    }
  }

  /**
   * Deletes a scratch directory the tools wrote (podman's storage), so runs do not pile up under
   * {@code /tmp}. A failure to delete is reported on stderr, never thrown: the tests' outcome
   * stands.
   */
  static void deleteScratch(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      System.err.println("could not delete scratch directory " + dir + ": " + e);
    }
  }
}
