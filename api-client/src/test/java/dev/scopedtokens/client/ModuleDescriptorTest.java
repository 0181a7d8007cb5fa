package dev.scopedtokens.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Read from the compiled module-info, so the check holds however the tests themselves run. */
class ModuleDescriptorTest {
  private static ModuleDescriptor descriptor() {
    return ModuleFinder.of(Path.of("target", "classes"))
        .find("dev.scopedtokens.client")
        .orElseThrow()
        .descriptor();
  }

  @Test
  void onlyTheApiPackageIsExported() {
    assertThat(descriptor().exports())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("dev.scopedtokens.client");
              assertThat(e.isQualified()).isFalse();
            });
  }

  @Test
  void internalPackageIsOpenOnlyToJackson() {
    assertThat(descriptor().opens())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.source()).isEqualTo("dev.scopedtokens.client.internal");
              assertThat(o.targets()).containsExactly("com.fasterxml.jackson.databind");
            });
  }

  @Test
  void jacksonIsNotReExported() {
    Set<String> transitive =
        descriptor().requires().stream()
            .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());

    assertThat(transitive).containsExactlyInAnyOrder("dev.scopedtokens.core", "java.net.http");
  }
}
