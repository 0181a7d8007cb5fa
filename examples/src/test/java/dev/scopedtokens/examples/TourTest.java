package dev.scopedtokens.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tour is part of the test suite: if the SDK stops doing what the tour shows, this fails. */
class TourTest {
  /** One run of the whole tour, shared: it starts a server and hashes with the default Argon2id. */
  private static Run tour;

  @BeforeAll
  static void runTheTour() {
    tour = run();
  }

  @Test
  void tour_behavesAsDescribed_andExitsZero() {
    Run run = tour;

    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output)
        .contains("9. Manage tokens from a session that began with a token")
        .contains("Every step behaved as described.")
        .doesNotContain("FAILED");
  }

  @Test
  void tour_showsEachSecretOnce() {
    Run run = tour;

    // Step 2 prints each of the four secrets once; nothing later prints one again.
    Matcher tokens = Pattern.compile("\\bstk_[0-9A-Za-z]{50}\\b").matcher(run.output);
    List<String> seen = new ArrayList<>();
    while (tokens.find()) {
      seen.add(tokens.group());
    }
    assertThat(seen).hasSize(4).doesNotHaveDuplicates();
  }

  @Test
  void help_exitsZero_andUnknownArgument_exitsTwo() {
    assertThat(run("--help").exitCode).isZero();
    Run bad = run("--frobnicate");
    assertThat(bad.exitCode).isEqualTo(2);
    assertThat(bad.output).contains("unknown argument: --frobnicate");
  }

  private static Run run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      exitCode = Tour.run(args, out);
    }
    return new Run(exitCode, bytes.toString(StandardCharsets.UTF_8));
  }

  private record Run(int exitCode, String output) {}
}
