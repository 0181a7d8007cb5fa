package dev.scopedtokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.scopedtokens.secret.TokenFormat;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The core's module descriptor, read from the compiled classes as a consumer's module system would
 * read it, whether this suite runs on the module path or the class path.
 */
class CoreModuleDescriptorTest {

  /**
   * The API packages, exported to everyone. Every other package stays hidden from applications. A
   * new API package is added here with its export.
   */
  private static final Set<String> API_PACKAGES =
      Set.of(
          "dev.scopedtokens.plan",
          "dev.scopedtokens.scope",
          "dev.scopedtokens.secret",
          "dev.scopedtokens.store",
          "dev.scopedtokens.token");

  /** The runtime dependencies outside the JDK: the core is dependency-light by contract. */
  private static final Set<String> REQUIRED_LIBRARIES =
      Set.of("de.mkammerer.argon2.nolibs", "com.sun.jna");

  private static ModuleDescriptor core() throws Exception {
    Path classes =
        Paths.get(TokenFormat.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ModuleFinder.of(classes)
        .find("dev.scopedtokens.core")
        .map(ModuleReference::descriptor)
        .orElseThrow(() -> new AssertionError("no module dev.scopedtokens.core in " + classes));
  }

  /** The project's own modules, the only readers of the shared internal package. */
  private static final Set<String> FRIEND_MODULES =
      Set.of("dev.scopedtokens.client", "dev.scopedtokens.server", "dev.scopedtokens.testkit");

  @Test
  void exportsExactlyTheApiPackages_toEveryone() throws Exception {
    ModuleDescriptor core = core();

    assertThat(
            core.exports().stream()
                .filter(e -> !e.isQualified())
                .map(Exports::source)
                .collect(Collectors.toSet()))
        .isEqualTo(API_PACKAGES);
  }

  @Test
  void exportsTheInternalPackage_onlyToTheProjectsOwnModules() throws Exception {
    assertThat(core().exports())
        .filteredOn(Exports::isQualified)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("dev.scopedtokens.internal");
              assertThat(e.targets()).isEqualTo(FRIEND_MODULES);
            });
  }

  @Test
  void containsEveryApiPackage() throws Exception {
    assertThat(core().packages()).containsAll(API_PACKAGES);
  }

  @Test
  void opensNothingToReflection() throws Exception {
    ModuleDescriptor core = core();

    assertThat(core.isOpen()).isFalse();
    assertThat(core.opens()).isEmpty();
  }

  @Test
  void requiresOnlyTheDocumentedLibraries() throws Exception {
    Set<String> libraries =
        core().requires().stream()
            .map(Requires::name)
            .filter(name -> !name.startsWith("java.") && !name.startsWith("jdk."))
            .collect(Collectors.toSet());

    assertThat(libraries).isEqualTo(REQUIRED_LIBRARIES);
  }

  @Test
  void passesNoLibraryOnToConsumers() throws Exception {
    // No third-party type appears in core's API, so a reader of the core needs nothing else.
    assertThat(core().requires())
        .filteredOn(r -> !r.name().startsWith("java.") && !r.name().startsWith("jdk."))
        .allSatisfy(r -> assertThat(r.modifiers()).doesNotContain(Requires.Modifier.TRANSITIVE));
  }
}
