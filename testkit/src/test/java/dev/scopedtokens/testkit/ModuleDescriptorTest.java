package dev.scopedtokens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module descriptor, read from the compiled classes as a user's module path would see it. */
class ModuleDescriptorTest {
  private static ModuleDescriptor descriptor() throws Exception {
    Path classes =
        Path.of(FakeClock.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ModuleFinder.of(classes)
        .find("dev.scopedtokens.testkit")
        .orElseThrow(() -> new AssertionError("no module dev.scopedtokens.testkit in " + classes))
        .descriptor();
  }

  @Test
  void exportsOnlyTheApiPackage() throws Exception {
    assertThat(descriptor().exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactly("dev.scopedtokens.testkit");
    assertThat(descriptor().exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
  }

  @Test
  void opensNothing() throws Exception {
    assertThat(descriptor().opens()).isEmpty();
  }

  @Test
  void requiresTheCoreAndTheTestLibrariesTransitively() throws Exception {
    Set<String> transitive =
        descriptor().requires().stream()
            .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());

    assertThat(transitive)
        .containsExactlyInAnyOrder(
            "dev.scopedtokens.core", "org.junit.jupiter.api", "org.assertj.core");
  }

  @Test
  void keepsJacksonAndTheServerPrivate() throws Exception {
    assertThat(descriptor().requires())
        .filteredOn(
            r ->
                Set.of("com.fasterxml.jackson.databind", "dev.scopedtokens.server")
                    .contains(r.name()))
        .hasSize(2)
        .allSatisfy(
            r ->
                assertThat(r.modifiers())
                    .doesNotContain(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
  }

  @Test
  void theInternalPackageIsPartOfTheModule() throws Exception {
    assertThat(descriptor().packages())
        .containsExactlyInAnyOrder("dev.scopedtokens.testkit", "dev.scopedtokens.testkit.internal");
  }
}
