package dev.scopedtokens.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.testkit.FakeDockerHub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line, in process; {@link StandaloneJarIT} runs the packaged jar itself. */
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
              "--port",
              "5000",
              "--user",
              "alice:pw",
              "--user=bob:pw2:JBSWY3DPEHPK3PXP",
              "--plan",
              "pro-2021",
              "--rate-limit",
              "60"
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
    assertThat(StandaloneMain.USAGE)
        .contains("--port", "--user", "--plan", "--rate-limit", "--help");
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
  void strayArgument_isNotEchoed() {
    assertThatThrownBy(() -> StandaloneMain.parse(new String[] {"--port", "1", "hunter2"}))
        .hasMessageStartingWith("unknown argument in position 3")
        .hasMessageNotContaining("hunter2");
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

    try (FakeDockerHub hub =
        StandaloneMain.start(options, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
      String firstLine = bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();

      assertThat(firstLine).isEqualTo("listening on " + hub.baseUri());
      assertThat(firstLine).matches("listening on http://127\\.0\\.0\\.1:[0-9]+");
      assertThat(login(hub.baseUri(), "alice", "pw")).isEqualTo(200);
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
}
