package dev.scopedtokens.scope;

import static dev.scopedtokens.scope.RegistryAction.DELETE;
import static dev.scopedtokens.scope.RegistryAction.PULL;
import static dev.scopedtokens.scope.RegistryAction.PUSH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

class RegistryScopeTest {

  @Test
  void parse_readsTypeNameAndActions() {
    RegistryScope scope = RegistryScope.parse("repository:team/app:pull,push");

    assertThat(scope.resourceType()).isEqualTo("repository");
    assertThat(scope.resourceClass()).isEmpty();
    assertThat(scope.name()).isEqualTo("team/app");
    assertThat(scope.actions()).containsExactly("pull", "push");
  }

  @Test
  void parse_takesTheNameUpToTheLastColon_soItMayCarryAHostAndPort() {
    RegistryScope scope = RegistryScope.parse("repository:localhost:5000/team/app:pull,push");

    assertThat(scope.name()).isEqualTo("localhost:5000/team/app");
    assertThat(scope.actions()).containsExactly("pull", "push");
  }

  @Test
  void parse_readsTheCatalogScope() {
    assertThat(RegistryScope.parse("registry:catalog:*")).isEqualTo(RegistryScope.CATALOG);
  }

  @Test
  void parse_readsAResourceClass() {
    RegistryScope scope = RegistryScope.parse("repository(plugin):vieux/sshfs:pull");

    assertThat(scope.resourceType()).isEqualTo("repository");
    assertThat(scope.resourceClass()).contains("plugin");
    assertThat(scope.name()).isEqualTo("vieux/sshfs");
    assertThat(scope.format()).isEqualTo("repository(plugin):vieux/sshfs:pull");
  }

  @Test
  void parse_keepsAnUnknownAction() {
    assertThat(RegistryScope.parse("repository:team/app:pull,mount").actions())
        .containsExactly("pull", "mount");
  }

  @Test
  void parse_putsActionsInCanonicalOrder_andDropsDuplicates() {
    RegistryScope scope = RegistryScope.parse("repository:app:zap,*,delete,push,pull,push,abc");

    assertThat(scope.actions()).containsExactly("pull", "push", "delete", "*", "abc", "zap");
    assertThat(scope.format()).isEqualTo("repository:app:pull,push,delete,*,abc,zap");
  }

  @Test
  void scopesNamingTheSameActionsInAnotherOrder_areEqual() {
    assertThat(RegistryScope.parse("repository:app:push,pull"))
        .isEqualTo(RegistryScope.parse("repository:app:pull,push"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "app",
        "team/app",
        "team/sub/app",
        "a.b_c__d-e--f/x",
        "localhost/app",
        "localhost:5000/app",
        "registry.example.com/team/app",
        "My-Registry.example.com:443/team/app",
        "127.0.0.1:5000/app",
        "0/1"
      })
  void parse_acceptsValidRepositoryNames(String name) {
    assertThat(RegistryScope.parse("repository:" + name + ":pull").name()).isEqualTo(name);
  }

  /** Each malformed input and the words its error must contain, naming the offending part. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          repository                      | expected <type>:<name>:<actions>
          repository:team/app             | expected <type>:<name>:<actions>
          ''                              | expected <type>:<name>:<actions>
          Repository:app:pull             | resource type "Repository" must be one or more of [a-z0-9]
          :app:pull                       | resource type "" must be one or more of [a-z0-9]
          repo-sitory:app:pull            | resource type "repo-sitory"
          (plugin):app:pull               | resource type "(plugin)" must be <type> or <type>(<class>)
          repository(plugin:app:pull      | resource type "repository(plugin" must be <type> or <type>(<class>)
          repository(Plugin):app:pull     | resource class "Plugin" must be one or more of [a-z0-9]
          repository():app:pull           | resource class "" must be one or more of [a-z0-9]
          repository::pull                | resource name "" must be 1 to 255 characters long
          repository:Team/App:pull        | "Team/App" is not a repository name
          repository:team//app:pull       | "team//app" is not a repository name
          repository:team/app/:pull       | "team/app/" is not a repository name
          repository:/app:pull            | "/app" is not a repository name
          repository:-app:pull            | "-app" is not a repository name
          repository:app.:pull            | "app." is not a repository name
          repository:a___b:pull           | "a___b" is not a repository name
          repository:a._b:pull            | "a._b" is not a repository name
          repository:host:port/app:pull   | "host:port/app" is not a repository name
          repository:-host:5000/app:pull  | "-host:5000/app" is not a repository name
          repository:localhost:5000:pull  | "localhost:5000" is not a repository name
          registry:cat alog:*             | resource name "cat alog" must be printable ASCII without spaces
          repository:app:                 | action "" must be lowercase letters or *
          repository:app:pull,            | action "" must be lowercase letters or *
          repository:app:,pull            | action "" must be lowercase letters or *
          repository:app:Pull             | action "Pull" must be lowercase letters or *
          repository:app:pull push        | action "pull push" must be lowercase letters or *
          repository:app:**               | action "**" must be lowercase letters or *
          repository:localhost:5000/app   | action "5000/app" must be lowercase letters or *
          """)
  void parse_rejectsMalformedInput_namingTheOffendingPart(String input, String expected) {
    assertThatThrownBy(() -> RegistryScope.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("registry scope \"" + input + "\": ")
        .hasMessageContaining(expected);
  }

  @Test
  void parse_rejectsANameLongerThan255Characters() {
    String name = "a".repeat(256);

    assertThatThrownBy(() -> RegistryScope.parse("repository:" + name + ":pull"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be 1 to 255 characters long");
  }

  @Test
  void parse_acceptsANameOf255Characters() {
    String name = "a".repeat(255);

    assertThat(RegistryScope.parse("repository:" + name + ":pull").name()).hasSize(255);
  }

  @Test
  void parse_boundsWhatItEchoesOfHugeInput() {
    String huge = "repository:" + "a/".repeat(50_000) + ":pull";

    assertThatThrownBy(() -> RegistryScope.parse(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600));
  }

  @Test
  void parse_escapesControlCharactersInWhatItEchoes() {
    assertThatThrownBy(() -> RegistryScope.parse("repository:app\n:pull"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("app\\u000a")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void parse_ofNull_isANullPointer() {
    assertThatThrownBy(() -> RegistryScope.parse(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void parseAll_readsSpaceSeparatedScopes() {
    assertThat(
            RegistryScope.parseAll(
                "repository:a:pull repository:localhost:5000/b:push registry:catalog:*"))
        .containsExactly(
            RegistryScope.repository("a", PULL),
            RegistryScope.repository("localhost:5000/b", PUSH),
            RegistryScope.CATALOG);
  }

  @Test
  void parseAll_ignoresRunsOfSpacesAtEitherEndAndBetween() {
    assertThat(RegistryScope.parseAll("  repository:a:pull    repository:b:pull  "))
        .containsExactly(RegistryScope.repository("a", PULL), RegistryScope.repository("b", PULL));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "    "})
  void parseAll_ofNothing_isEmpty(String blank) {
    assertThat(RegistryScope.parseAll(blank)).isEmpty();
  }

  @Test
  void parseAll_rejectsTheFirstMalformedScope_namingIt() {
    assertThatThrownBy(() -> RegistryScope.parseAll("repository:a:pull repository:B:pull"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("registry scope \"repository:B:pull\": ");
  }

  @Test
  void parseAll_rejectsATabAsASeparator() {
    assertThatThrownBy(() -> RegistryScope.parseAll("repository:a:pull\trepository:b:pull"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void format_writesTheWireForm() {
    assertThat(RegistryScope.repository("localhost:5000/team/app", PUSH, PULL).format())
        .isEqualTo("repository:localhost:5000/team/app:pull,push");
  }

  @Test
  void toString_isTheWireForm() {
    assertThat(RegistryScope.repository("app", PULL)).hasToString("repository:app:pull");
  }

  @Test
  void formatAll_joinsWithSingleSpaces() {
    assertThat(
            RegistryScope.formatAll(
                List.of(RegistryScope.repository("a", PULL), RegistryScope.CATALOG)))
        .isEqualTo("repository:a:pull registry:catalog:*");
  }

  @Test
  void formatAll_ofNoScopes_isEmpty() {
    assertThat(RegistryScope.formatAll(List.of())).isEmpty();
  }

  @Test
  void repository_withNoAction_isRejected() {
    assertThatThrownBy(() -> RegistryScope.repository("app"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "registry scope: must name at least one action, such as pull, push, delete or *");
  }

  @Test
  void repository_withAnInvalidName_isRejected() {
    assertThatThrownBy(() -> RegistryScope.repository("App", PULL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("registry scope: \"App\" is not a repository name");
  }

  @Test
  void constructor_validatesLikeParse() {
    assertThatThrownBy(() -> new RegistryScope("repository", "app", Set.of("PULL")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "registry scope: action \"PULL\" must be lowercase letters or *, such as pull, push,"
                + " delete or *");
  }

  @Test
  void actions_areUnmodifiable() {
    Set<String> actions = RegistryScope.parse("repository:app:pull").actions();

    assertThatThrownBy(() -> actions.add("push")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void registryActions_expandTheWildcardToEveryAction() {
    assertThat(RegistryScope.parse("repository:app:*").registryActions())
        .containsExactly(PULL, PUSH, DELETE);
  }

  @Test
  void registryActions_leaveOutUnknownActions() {
    assertThat(RegistryScope.parse("repository:app:mount,push").registryActions())
        .containsExactly(PUSH);
  }

  @Test
  void registryActions_ofANonRepositoryScope_areEmpty() {
    assertThat(RegistryScope.CATALOG.registryActions()).isEmpty();
  }

  @Test
  void aRepositoryOfAnyResourceClass_isARepository() {
    assertThat(RegistryScope.parse("repository(plugin):app:pull").isRepository()).isTrue();
    assertThat(RegistryScope.CATALOG.isRepository()).isFalse();
  }

  // Properties

  private static final Gen<String> ALPHA_NUMERIC =
      strings()
          .betweenCodePoints('a', 'z')
          .ofLengthBetween(1, 4)
          .mix(strings().numericBetween(0, 999));
  private static final Gen<String> SEPARATOR = arbitrary().pick(".", "_", "__", "-", "---");
  private static final Gen<String> PATH_COMPONENT =
      lists()
          .of(SEPARATOR.zip(ALPHA_NUMERIC, String::concat))
          .ofSizeBetween(0, 2)
          .zip(ALPHA_NUMERIC, (tail, head) -> head + String.join("", tail));
  private static final Gen<String> HOST_COMPONENT =
      arbitrary().pick("localhost", "Registry", "example", "a", "my-host", "x1-2-y", "127", "0");
  private static final Gen<Optional<String>> HOST =
      lists()
          .of(HOST_COMPONENT)
          .ofSizeBetween(1, 3)
          .zip(
              integers().between(0, 70000).toOptionals(50),
              (parts, port) -> String.join(".", parts) + port.map(p -> ":" + p).orElse(""))
          .toOptionals(60);
  private static final Gen<String> REPOSITORY_NAMES =
      lists()
          .of(PATH_COMPONENT)
          .ofSizeBetween(1, 3)
          .zip(HOST, (path, host) -> host.map(h -> h + "/").orElse("") + String.join("/", path));
  private static final Gen<Set<String>> ACTION_SETS =
      lists()
          .of(arbitrary().pick("pull", "push", "delete", "*", "mount", "x"))
          .ofSizeBetween(1, 5)
          .map(l -> l.stream().collect(Collectors.toSet()));

  private static final Gen<RegistryScope> REPOSITORY_SCOPES =
      REPOSITORY_NAMES.zip(
          ACTION_SETS,
          arbitrary().pick("", "plugin").toOptionals(20),
          (name, actions, resourceClass) ->
              new RegistryScope(
                  RegistryScope.REPOSITORY,
                  resourceClass.filter(c -> !c.isEmpty()),
                  name,
                  actions));

  private static final Gen<RegistryScope> OTHER_SCOPES =
      arbitrary()
          .pick("catalog", "x:y", "Any.Thing(1)", "a,b")
          .zip(
              ACTION_SETS,
              arbitrary().pick("registry", "plugin", "t0"),
              (name, actions, type) -> new RegistryScope(type, name, actions));

  private static final Gen<RegistryScope> VALID_SCOPES = REPOSITORY_SCOPES.mix(OTHER_SCOPES, 20);

  @Test
  void format_thenParse_givesAnEqualScope() {
    qt().forAll(VALID_SCOPES)
        .checkAssert(scope -> assertThat(RegistryScope.parse(scope.format())).isEqualTo(scope));
  }

  @Test
  void formatAll_thenParseAll_givesEqualScopes() {
    qt().forAll(lists().of(VALID_SCOPES).ofSizeBetween(0, 5))
        .checkAssert(
            scopes ->
                assertThat(RegistryScope.parseAll(RegistryScope.formatAll(scopes)))
                    .isEqualTo(scopes));
  }

  @Test
  void parse_thenFormat_isStable() {
    qt().forAll(VALID_SCOPES)
        .checkAssert(
            scope -> {
              String once = scope.format();
              assertThat(RegistryScope.parse(once).format()).isEqualTo(once);
            });
  }

  /** Junk that reaches every branch of the parser: the grammar's own characters, shuffled. */
  private static final Gen<String> STRUCTURED_JUNK =
      lists()
          .of(
              arbitrary()
                  .pick(
                      "repository",
                      "registry",
                      ":",
                      ":",
                      ",",
                      "/",
                      "(",
                      ")",
                      " ",
                      "*",
                      "pull",
                      "Push",
                      "a",
                      "Z",
                      "0",
                      ".",
                      "_",
                      "__",
                      "-",
                      "\t",
                      "\n",
                      "\u0000",
                      "é",
                      "\uD83D",
                      "5000"))
          .ofSizeBetween(0, 30)
          .map(parts -> String.join("", parts));

  private static final Gen<String> JUNK =
      strings().allPossible().ofLengthBetween(0, 300).mix(STRUCTURED_JUNK, 70);

  @Test
  void parse_rejectsJunkWithAnIllegalArgumentOnly() {
    qt().forAll(JUNK)
        .checkAssert(
            junk -> {
              try {
                RegistryScope parsed = RegistryScope.parse(junk);
                assertThat(parsed.format()).isNotEmpty();
              } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage())
                    .startsWith("registry scope ")
                    .hasSizeLessThan(600);
              }
            });
  }

  @Test
  void parseAll_rejectsJunkWithAnIllegalArgumentOnly() {
    qt().forAll(JUNK)
        .checkAssert(
            junk -> {
              try {
                RegistryScope.parseAll(junk);
              } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage())
                    .startsWith("registry scope ")
                    .hasSizeLessThan(600);
              }
            });
  }

  @Test
  void parse_acceptsOnlyWhatFormatsBackToItself() {
    qt().forAll(STRUCTURED_JUNK)
        .checkAssert(
            junk -> {
              try {
                RegistryScope parsed = RegistryScope.parse(junk);
                assertThat(RegistryScope.parse(parsed.format())).isEqualTo(parsed);
              } catch (IllegalArgumentException rejected) {
                assertThat(rejected).hasMessageStartingWith("registry scope ");
              }
            });
  }
}
