package dev.scopedtokens.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.testkit.FakeDockerHub;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StandaloneMainTest {

  @Test
  void noArguments_meanAnyPortNoUsersFairUseNoLimit() throws Exception {
    StandaloneMain.Options options = StandaloneMain.parse(new String[0]);

    assertThat(options.port()).isZero();
    assertThat(options.users()).isEmpty();
    assertThat(options.plan()).isEqualTo(Plan.FAIR_USE);
    assertThat(options.rateLimit()).isZero();
    assertThat(options.help()).isFalse();
  }

  @Test
  void everyOption_isRead() throws Exception {
    StandaloneMain.Options options =
        StandaloneMain.parse(
            new String[] {
              "--port", "5000", "--user", "alice:pw", "--user=bob:pw2:JBSWY3DPEHPK3PXP",
              "--plan", "pro-2021", "--rate-limit", "60"
            });

    assertThat(options.port()).isEqualTo(5000);
    assertThat(options.users()).extracting(u -> u.name()).containsExactly("alice", "bob");
    assertThat(options.users().get(0).totp()).isEmpty();
    assertThat(options.users().get(1).totp()).isPresent();
    assertThat(options.plan()).isEqualTo(Plan.PRO_2021);
    assertThat(options.rateLimit()).isEqualTo(60);
  }

  @Test
  void help_isRecognised() throws Exception {
    assertThat(StandaloneMain.parse(new String[] {"--help"}).help()).isTrue();
    assertThat(StandaloneMain.USAGE).contains("--port", "--user", "--plan", "--rate-limit", "--help");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--port x               | --port: 'x' is not a whole number from 0 to 65535",
        "--port 70000           | --port: '70000' is not a whole number from 0 to 65535",
        "--port                 | --port: a value is required",
        "--rate-limit 0         | --rate-limit: '0' is not a whole number from 1",
        "--plan gold            | --plan: unknown plan 'gold'; allowed are personal-2021",
        "--user alice           | --user: expected NAME:PASSWORD",
        "--user :pw             | --user: expected NAME:PASSWORD",
        "--user alice:pw:not!b32 | --user alice: totp secret: not Base32 at position 3",
        "--user a:1 --user a:2  | --user: a is given twice",
        "--verbose              | unknown option --verbose",
      })
  void badArguments_areNamedAndExplained(String line, String message) {
    assertThatThrownBy(() -> StandaloneMain.parse(line.trim().split(" +")))
        .isInstanceOf(StandaloneMain.UsageException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void badUser_neverEchoesThePassword() {
    assertThatThrownBy(() -> StandaloneMain.parse(new String[] {"--user", "alice:hunter2:!!"}))
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void start_printsTheListeningLineFirst() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StandaloneMain.Options options = StandaloneMain.parse(new String[] {"--user", "alice:pw"});

    try (FakeDockerHub hub = StandaloneMain.start(options, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
      String firstLine = bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();

      assertThat(firstLine).isEqualTo("listening on " + hub.baseUri());
      assertThat(firstLine).matches("listening on http://127\\.0\\.0\\.1:[0-9]+");
      assertThat(login(hub.baseUri(), "alice", "pw")).isEqualTo(200);
    }
  }

  @Test
  void process_servesUntilSigtermThenStopsCleanly() throws Exception {
    Process process = java("--user", "alice:pw").start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String firstLine = out.readLine();
      assertThat(firstLine).matches("listening on http://127\\.0\\.0\\.1:[0-9]+");
      URI base = URI.create(firstLine.substring("listening on ".length()));
      assertThat(login(base, "alice", "pw")).isEqualTo(200);

      // SIGTERM on Unix; Process.destroy() would also close our end of its output.
      process.toHandle().destroy();

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      assertThat(out.readLine()).isEqualTo("stopped");
      assertThat(process.exitValue()).isEqualTo(143);
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void process_withBadArguments_exitsWithStatus2() throws Exception {
    Process process = java("--port", "nope").start();
    try {
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(StandaloneMain.USAGE_ERROR);
      assertThat(err).contains("--port: 'nope' is not a whole number");
    } finally {
      process.destroyForcibly();
    }
  }

  private static int login(URI base, String user, String password) throws Exception {
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

  /** A JVM running the main class on the class path the standalone jar bundles. */
  private static ProcessBuilder java(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(standaloneClassPath());
    command.add(StandaloneMain.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static String standaloneClassPath() throws ReflectiveOperationException, IOException, URISyntaxException {
    Set<String> entries = new LinkedHashSet<>();
    List<Class<?>> classes =
        List.of(
            StandaloneMain.class, Plan.class, ObjectMapper.class, JsonFactory.class,
            JsonProperty.class,
            // The core reads these two; the testkit module does not, so name them.
            Class.forName("de.mkammerer.argon2.Argon2Factory"),
            Class.forName("com.sun.jna.Native"));
    for (Class<?> c : classes) {
      entries.add(location(c.getProtectionDomain().getCodeSource().getLocation()));
    }
    // argon2-jvm holds only the native libraries, no classes to find it by.
    String platform =
        (String) Class.forName("com.sun.jna.Platform").getField("RESOURCE_PREFIX").get(null);
    URL nativeLibrary =
        StandaloneMainTest.class
            .getClassLoader()
            .getResource(platform + "/" + System.mapLibraryName("argon2"));
    if (nativeLibrary != null && nativeLibrary.getProtocol().equals("jar")) {
      String jar = nativeLibrary.getPath();
      entries.add(location(new URL(jar.substring(0, jar.indexOf("!/")))));
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String location(URL url) throws URISyntaxException {
    return Path.of(url.toURI()).toString();
  }
}
