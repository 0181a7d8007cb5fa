package dev.scopedtokens.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scopedtokens.scope.RegistryScope;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the registry token-protocol scope parser, {@link RegistryScope#parse} and {@link
 * RegistryScope#parseAll}. Whatever the string, parsing either yields scopes whose canonical form
 * parses back to equal scopes, or throws an {@link IllegalArgumentException} whose message starts
 * with the part it is about, stays short, and holds no control character (so hostile input can
 * neither flood nor forge a log line). Any other exception is a finding.
 *
 * <p>{@code mvn verify} replays the committed corpus in {@code
 * src/test/resources/dev/scopedtokens/robustness/RegistryScopeFuzzTestInputs/<method>/}. To fuzz
 * for longer:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m mvn -B -ntp -pl robustness-tests -am test \
 *     -Dtest='RegistryScopeFuzzTest#oneScope_parsesToACanonicalFormOrIsRefusedByPart' \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
class RegistryScopeFuzzTest {
  /**
   * A message quotes at most two parts of the input, each cut to 60 characters, and a character may
   * be escaped to six ({@code \u0000}): about 800 characters with the fixed explanation, however
   * long the input.
   */
  private static final int MAX_MESSAGE_LENGTH = 1_000;

  @FuzzTest
  void oneScope_parsesToACanonicalFormOrIsRefusedByPart(byte[] input) {
    String wire = new String(input, StandardCharsets.UTF_8);
    RegistryScope scope;
    try {
      scope = RegistryScope.parse(wire);
    } catch (IllegalArgumentException refused) {
      assertRefusal(refused, "registry scope ");
      return;
    }
    String canonical = scope.format();
    assertThat(RegistryScope.parse(canonical)).isEqualTo(scope);
    assertThat(RegistryScope.parse(canonical).format()).isEqualTo(canonical);
    // Deciding what a scope names never fails once it parsed.
    scope.registryActions();
  }

  @FuzzTest
  void scopeList_parsesToACanonicalFormOrIsRefusedByPart(byte[] input) {
    String wire = new String(input, StandardCharsets.UTF_8);
    List<RegistryScope> scopes;
    try {
      scopes = RegistryScope.parseAll(wire);
    } catch (IllegalArgumentException refused) {
      assertRefusal(refused, "registry scope ");
      return;
    }
    String canonical = RegistryScope.formatAll(scopes);
    assertThat(RegistryScope.parseAll(canonical)).isEqualTo(scopes);
    assertThat(canonical).doesNotContain("  ").doesNotStartWith(" ").doesNotEndWith(" ");
  }

  private static void assertRefusal(IllegalArgumentException refused, String part) {
    String message = refused.getMessage();
    assertThat(message).startsWith(part).hasSizeLessThanOrEqualTo(MAX_MESSAGE_LENGTH);
    assertThat(message.chars().noneMatch(c -> c < 0x20 || c == 0x7f))
        .as("no control character in %s", message)
        .isTrue();
  }
}
