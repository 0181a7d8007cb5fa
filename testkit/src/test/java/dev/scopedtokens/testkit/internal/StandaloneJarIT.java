package dev.scopedtokens.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The standalone jar as its users run it: {@code java -jar}, after the package step built it. The
 * path comes from the build ({@code scopedtokens.standaloneJar}); failsafe runs this class.
 */
class StandaloneJarIT {
  private static Path jar;

  @BeforeAll
  static void findTheJar() {
    String path = System.getProperty("scopedtokens.standaloneJar");
    assertThat(path).as("system property scopedtokens.standaloneJar").isNotBlank();
    jar = Paths.get(path);
    assertThat(jar).as("the standalone jar").isRegularFile();
  }

  @Test
  void help_listsEveryOptionAndExitsCleanly() throws Exception {
    Process process = java("--help").start();
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(out).startsWith("Usage: ");
      assertThat(out).contains("--port", "--user", "--plan", "--rate-limit", "--help");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void jar_printsTheListeningLineFirst_servesAndStopsCleanlyOnSigterm() throws Exception {
    Process process = java("--user", "alice:pw").start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String firstLine = out.readLine();
      assertThat(firstLine).matches("listening on http://127\\.0\\.0\\.1:[0-9]+");
      URI base = URI.create(firstLine.substring("listening on ".length()));
      assertThat(login(base, "alice", "pw")).isEqualTo(200);
      assertThat(login(base, "alice", "wrong")).isEqualTo(401);

      // SIGTERM on Unix; Process.destroy() would also close our end of its output.
      process.toHandle().destroy();

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      assertThat(out.readLine()).isEqualTo("stopped");
      assertThat(process.exitValue()).as("exit status after a clean stop").isZero();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void badArguments_exitWithStatus2AndSayWhatIsWrong() throws Exception {
    Process process = java("--port", "nope").start();
    try {
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(process.exitValue()).isEqualTo(StandaloneMain.USAGE_ERROR);
      assertThat(err).contains("--port: 'nope' is not a whole number");
    } finally {
      process.destroyForcibly();
    }
  }

  private static int login(URI base, String user, String password)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve("/v2/auth/token"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"identifier\":\"" + user + "\",\"secret\":\"" + password + "\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }

  private static ProcessBuilder java(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
