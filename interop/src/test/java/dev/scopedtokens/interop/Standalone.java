package dev.scopedtokens.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The standalone server's jar, where the interop profile's build leaves it: its command line, and
 * servers started from it.
 */
final class Standalone {
  private final Path jar;

  private Standalone(Path jar) {
    this.jar = jar;
  }

  /** The jar the build made; fails, saying how to build it, when it is missing. */
  static Standalone locate() {
    Path jar = Path.of(System.getProperty("scopedtokens.standaloneJar", "missing"));
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          "the standalone jar " + jar + " is missing; run mvn verify -Pinterop from the root");
    }
    return new Standalone(jar);
  }

  /** A fresh directory for one run's keys, configurations and logs, under the build's. */
  static Path workDir(String prefix) throws IOException {
    Path base = Path.of(System.getProperty("scopedtokens.workDir", "target/interop-work"));
    Files.createDirectories(base);
    return Files.createTempDirectory(base.toAbsolutePath(), prefix);
  }

  /**
   * Runs the jar's command line, feeding it {@code stdin} (may be null); fails unless it exits 0.
   */
  String cli(String stdin, String... args) {
    Processes.Result result =
        Processes.run(
            Processes.concat(List.of("java", "-jar", jar.toString()), args), Map.of(), stdin);
    assertThat(result.ok()).as(result.toString()).isTrue();
    return result.output();
  }

  /** The hash an accounts entry holds for {@code password}, as the jar's command line makes it. */
  String hashPassword(String password) {
    return cli(password + "\n", "hash-password").strip();
  }

  /**
   * Starts a server on {@code config}, logging to {@code log}; started once it has written its
   * keys.
   */
  Daemon start(Path config, Path log) {
    return Daemon.start(
        List.of("java", "-jar", jar.toString(), "--config", config.toString()),
        log,
        "rootcertbundle:");
  }
}
