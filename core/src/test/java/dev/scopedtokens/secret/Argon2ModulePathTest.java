package dev.scopedtokens.secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import de.mkammerer.argon2.Argon2Factory;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * argon2-jvm (through JNA) must work whether an application puts the SDK on the module path or on
 * the class path. Each test starts a fresh JVM running {@link Argon2ModeProbe} with the paths of
 * this test run's own core classes and dependencies, so it checks both modes however the suite
 * itself is launched.
 */
class Argon2ModulePathTest {
  /** de.mkammerer:argon2-jvm, as opposed to argon2-jvm-nolibs. */
  private static final Pattern BUNDLED_LIBRARIES_JAR = Pattern.compile("argon2-jvm-[0-9].*\\.jar");

  @Test
  void onTheModulePath_argon2idHashesAndVerifiesInNamedModules() throws Exception {
    List<String> command = new ArrayList<>();
    command.add("--module-path");
    command.add(joined(runtimePaths()));
    command.add("--patch-module");
    command.add("dev.scopedtokens.core=" + location(Argon2ModeProbe.class));
    command.add("--module");
    command.add("dev.scopedtokens.core/" + Argon2ModeProbe.class.getName());

    assertThat(run(command, "com.sun.jna"))
        .isEqualTo("core=dev.scopedtokens.core argon2=de.mkammerer.argon2.nolibs verified=true");
  }

  @Test
  void onTheClassPath_argon2idHashesAndVerifiesInTheUnnamedModule() throws Exception {
    Set<Path> paths = runtimePaths();
    paths.add(location(Argon2ModeProbe.class));
    List<String> command = List.of("-cp", joined(paths), Argon2ModeProbe.class.getName());

    assertThat(run(command, "ALL-UNNAMED")).isEqualTo("core=unnamed argon2=unnamed verified=true");
  }

  @Test
  void withoutLoadableNativeCode_constructionFailsNamingTheCauseAndTheFixes() throws Exception {
    Set<Path> paths = runtimePaths();
    paths.add(location(Argon2ModeProbe.class));
    // JNA may then load its own native dispatcher neither from the system nor from its jar.
    List<String> command =
        List.of(
            "-Djna.nosys=true",
            "-Djna.noclasspath=true",
            "-cp",
            joined(paths),
            Argon2ModeProbe.class.getName());

    assertThat(run(command, "ALL-UNNAMED"))
        .startsWith("error=Argon2idHasher: the native Argon2 library could not be loaded")
        .contains("UnsatisfiedLinkError")
        .contains("apt-get install libargon2-1")
        .contains("de.mkammerer:argon2-jvm")
        .contains("HmacSha256Hasher");
  }

  /**
   * The core classes and the jars of its runtime dependencies, wherever this run loaded them from,
   * plus the argon2-jvm jar with the bundled native libraries when this run has it (JNA still
   * prefers the system's libargon2).
   */
  private static Set<Path> runtimePaths() throws URISyntaxException {
    Set<Path> paths = new LinkedHashSet<>();
    paths.add(location(TokenFormat.class));
    paths.add(location(Argon2Factory.class));
    paths.add(location(Library.class));
    Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
        .flatMap(path -> Arrays.stream(path.split(File.pathSeparator)))
        .filter(entry -> BUNDLED_LIBRARIES_JAR.matcher(new File(entry).getName()).matches())
        .map(Paths::get)
        .forEach(paths::add);
    return paths;
  }

  private static Path location(Class<?> type) throws URISyntaxException {
    return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static String joined(Set<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * Runs {@code java} with {@code arguments} and returns its output, trimmed.
   *
   * @param nativeAccess the module that calls {@code System.load} (JNA's), granted native access on
   *     a JDK that warns without it (22 and later), as a user of the SDK would do there
   */
  private static String run(List<String> arguments, String nativeAccess)
      throws IOException, InterruptedException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    if (Runtime.version().feature() >= 22) {
      command.add("--enable-native-access=" + nativeAccess);
    }
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    // A guard against a hung child, not a timing assertion.
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("probe finished").isTrue();
    assertThat(process.exitValue()).as("probe exit status; output:%n%s", output).isZero();
    return output.trim();
  }
}
