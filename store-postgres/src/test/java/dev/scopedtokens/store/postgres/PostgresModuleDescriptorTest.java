package dev.scopedtokens.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module descriptor, read from the compiled classes as a consumer's module system reads it. */
class PostgresModuleDescriptorTest {

  private static ModuleDescriptor descriptor() throws Exception {
    Path classes =
        Paths.get(
            PostgresTokenStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ModuleFinder.of(classes)
        .find("dev.scopedtokens.store.postgres")
        .map(ModuleReference::descriptor)
        .orElseThrow(() -> new AssertionError("no module descriptor in " + classes));
  }

  @Test
  void exportsOnlyTheStorePackage_toEveryone() throws Exception {
    assertThat(descriptor().exports())
        .extracting(Exports::source, Exports::isQualified)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dev.scopedtokens.store.postgres", false));
  }

  @Test
  void requiresOnlyTheCoreJdbcAndTheDriver() throws Exception {
    // The driver for the change feed's PGConnection.getNotifications; the store uses only JDBC.
    assertThat(
            descriptor().requires().stream()
                .map(Requires::name)
                .filter(name -> !name.equals("java.base"))
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.scopedtokens.core", "java.sql", "org.postgresql.jdbc");
  }

  @Test
  void theImplementationIsPackagePrivate() {
    for (Class<?> type : new Class<?>[] {Schema.class, Failures.class, TokenRows.class}) {
      assertThat(Modifier.isPublic(type.getModifiers())).as(type.getName()).isFalse();
    }
  }
}
