package dev.scopedtokens.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The README's Java code, read from {@code README.md} as it stands: every {@code ```java} block is
 * compiled against the SDK, and a block that needs nothing from the reader is also run. So a README
 * edit that no longer matches the API, or an API change that breaks the README, fails the build.
 *
 * <p>How a block is compiled:
 *
 * <ul>
 *   <li>Imports: every package that a {@code dev.scopedtokens} module on the test class path
 *       exports, a few of the JDK's ({@code java.time}, {@code java.util} ...), and AssertJ's and
 *       the testkit's {@code assertThat}. A block that uses another module (the server, the
 *       PostgreSQL store, HikariCP) compiles once that module is a test dependency of {@code
 *       examples}: its exported packages are imported by the same rule, nothing else to change.
 *   <li>A block of declarations (one that starts with {@code class}, {@code record}, {@code
 *       interface}, {@code enum} or an annotation) is a compilation unit of its own; any other
 *       block is the body of a method.
 *   <li>A body is compiled first on its own: when that compiles, it is run, and must finish without
 *       an exception. Otherwise it is compiled in a subclass of {@link ReadmeGivens}, which defines
 *       what the README leaves to the reader (the presented token, the registry's request); then it
 *       is only compiled.
 *   <li>A block whose first line is {@value #FRAGMENT_MARKER} followed by a reason is a deliberate
 *       fragment (it names a class the reader writes, say) and is not compiled; the README's
 *       contributing note says so. A marker without a reason fails.
 * </ul>
 */
class ReadmeBlocksTest {
  /** The first line of a block that is deliberately not complete code. */
  static final String FRAGMENT_MARKER = "// fragment:";

  private static final Pattern FENCE =
      Pattern.compile("(?m)^```java[ \\t]*\\n(.*?)^```[ \\t]*$", Pattern.DOTALL);
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");
  private static final Pattern DECLARATION =
      Pattern.compile("^(?:@|(?:public |abstract |final )*(?:class|record|interface|enum)\\b)");
  private static final List<String> JDK_IMPORTS =
      List.of(
          "java.time",
          "java.util",
          "java.util.function",
          "java.util.stream",
          "java.net",
          "java.security",
          "javax.crypto.spec");

  /** Libraries the README shows beside the SDK; each is a test dependency of this module. */
  private static final List<String> LIBRARY_IMPORTS = List.of("com.zaxxer.hikari");

  private static final List<String> STATIC_IMPORTS =
      List.of(
          "org.assertj.core.api.Assertions.assertThat",
          "dev.scopedtokens.testkit.TokenAssertions.assertThat");

  /** A {@code ```java} block of the README: where it is, and its code. */
  record Block(int line, String heading, String code) {
    boolean isFragment() {
      return code.strip().startsWith(FRAGMENT_MARKER);
    }

    @Override
    public String toString() {
      return "README.md:" + line + " (" + heading + ")";
    }
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockOfTheReadme_compiles_andRunsWhenItNeedsNothingGiven() {
    List<Block> blocks = blocks(readme());
    assertThat(blocks).as("java blocks in README.md").isNotEmpty();
    return blocks.stream()
        .map(block -> DynamicTest.dynamicTest(block.toString(), () -> check(block)));
  }

  @Test
  void theBlocksAreFound_withTheirLineAndHeading() {
    String text =
        "# Title\n\n## Part\n\ntext\n\n```java\nint a = 1;\n```\n\n```sh\nls\n```\n"
            + "```java\n// fragment: the reader's own store\nclass A {}\n```\n";

    List<Block> blocks = blocks(text);

    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0).toString()).isEqualTo("README.md:7 (Part)");
    assertThat(blocks.get(0).code()).isEqualTo("int a = 1;\n");
    assertThat(blocks.get(1).isFragment()).isTrue();
  }

  @Test
  void aBlockThatNoLongerMatchesTheApi_fails_namingItsLine() {
    Block stale = new Block(42, "Quick start", "TokenService tokens = TokenService.make();\n");

    Throwable thrown = catchFailure(() -> check(stale));

    assertThat(thrown)
        .hasMessageContaining("README.md:42 (Quick start) does not compile")
        .hasMessageContaining("make");
  }

  @Test
  void aFragmentMarkerWithoutAReason_fails() {
    Block bare = new Block(7, "Store", "// fragment:\nclass JdbcTokenStoreTest {}\n");

    assertThat(catchFailure(() -> check(bare))).hasMessageContaining("give the reason");
  }

  @Test
  void aSelfContainedBlock_isRun_andItsFailureFails() {
    Block failing =
        new Block(
            9, "Run", "assertThat(Scope.parse(\"repo:read\")).isEqualTo(Scope.REPO_WRITE);\n");

    assertThat(catchFailure(() -> check(failing)))
        .hasMessageContaining("README.md:9 (Run) failed when run");
  }

  // ---------------------------------------------------------------------------------------------

  private static String readme() {
    String configured = System.getProperty("readme.path");
    Path path = configured != null ? Path.of(configured) : Path.of("..", "README.md");
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("README.md not found at " + path.toAbsolutePath(), e);
    }
  }

  static List<Block> blocks(String markdown) {
    List<Block> blocks = new ArrayList<>();
    Matcher fence = FENCE.matcher(markdown);
    while (fence.find()) {
      int line = lineOf(markdown, fence.start());
      String heading = "top";
      Matcher h = HEADING.matcher(markdown.substring(0, fence.start()));
      while (h.find()) {
        heading = h.group(1).strip();
      }
      blocks.add(new Block(line, heading, fence.group(1)));
    }
    return blocks;
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static void check(Block block) throws Exception {
    if (block.isFragment()) {
      String reason = block.code().strip().lines().findFirst().orElseThrow();
      if (reason.substring(FRAGMENT_MARKER.length()).isBlank()) {
        fail(
            block
                + ": "
                + FRAGMENT_MARKER
                + " must give the reason the block is not complete code");
      }
      return;
    }
    String code = block.code();
    if (DECLARATION.matcher(code.strip()).find()) {
      compileOrFail(block, Map.of(firstTypeName(code), imports() + code), importLines());
      return;
    }
    String returnType =
        Pattern.compile("(?m)^\\s*return\\b").matcher(code).find() ? "Object" : "void";
    String alone = unit("ReadmeBlock", "", returnType, code);
    Compilation standalone = compile(Map.of("ReadmeBlock", alone), importLines() + 2);
    if (standalone.ok()) {
      run(block, standalone.loader());
      return;
    }
    compileOrFail(
        block,
        Map.of(
            "ReadmeBlock",
            unit("ReadmeBlock", " extends " + ReadmeGivens.class.getName(), returnType, code)),
        importLines() + 2);
  }

  private static String unit(String name, String parent, String returnType, String body) {
    return imports()
        + "public class "
        + name
        + parent
        + " {\n  public "
        + returnType
        + " block() throws Exception {\n"
        + body
        + "\n  }\n}\n";
  }

  private static void run(Block block, ClassLoader loader) throws Exception {
    Object instance = loader.loadClass("ReadmeBlock").getDeclaredConstructor().newInstance();
    try {
      instance.getClass().getMethod("block").invoke(instance);
    } catch (InvocationTargetException e) {
      throw new AssertionError(block + " failed when run: " + e.getCause(), e.getCause());
    }
  }

  private static void compileOrFail(Block block, Map<String, String> sources, long offset) {
    Compilation compilation = compile(sources, offset);
    if (!compilation.ok()) {
      fail(block + " does not compile against the SDK:\n" + compilation.errors());
    }
  }

  private static String firstTypeName(String code) {
    Matcher m = Pattern.compile("\\b(?:class|record|interface|enum)\\s+(\\w+)").matcher(code);
    if (!m.find()) {
      throw new IllegalArgumentException("no type declared in " + code);
    }
    return m.group(1);
  }

  private static Throwable catchFailure(org.junit.jupiter.api.function.Executable action) {
    try {
      action.execute();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure");
  }

  // ---------------------------------------------------------------------------------------------
  // Compiling in memory against the test class path

  private static String importsCache;

  private static synchronized String imports() {
    if (importsCache == null) {
      Set<String> packages = new TreeSet<>(JDK_IMPORTS);
      packages.addAll(LIBRARY_IMPORTS);
      packages.addAll(sdkPackages());
      StringBuilder out = new StringBuilder();
      packages.forEach(p -> out.append("import ").append(p).append(".*;\n"));
      STATIC_IMPORTS.forEach(s -> out.append("import static ").append(s).append(";\n"));
      importsCache = out.toString();
    }
    return importsCache;
  }

  /** Every package a {@code dev.scopedtokens} module on the class path exports to everyone. */
  private static Set<String> sdkPackages() {
    Set<String> packages = new TreeSet<>();
    for (String entry : classPath()) {
      Path path = Path.of(entry);
      if (!Files.exists(path)) {
        continue;
      }
      try {
        for (ModuleReference module : ModuleFinder.of(path).findAll()) {
          ModuleDescriptor descriptor = module.descriptor();
          if (descriptor.name().startsWith("dev.scopedtokens")) {
            descriptor.exports().stream()
                .filter(e -> !e.isQualified())
                .forEach(e -> packages.add(e.source()));
          }
        }
      } catch (RuntimeException notAModule) {
        // A jar whose automatic module name is not valid: not one of ours.
      }
    }
    assertThat(packages).as("packages exported by the SDK's modules").isNotEmpty();
    return packages;
  }

  private static List<String> classPath() {
    String path =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return List.of(path.split(java.io.File.pathSeparator));
  }

  record Compilation(boolean ok, String errors, ClassLoader loader) {}

  private static long importLines() {
    return imports().lines().count();
  }

  /** Compiles {@code sources}; {@code offset} lines of each come before the README's code. */
  private static Compilation compile(Map<String, String> sources, long offset) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK's compiler (run the tests on a JDK, not a JRE)").isNotNull();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
    Map<String, byte[]> classes = new ConcurrentHashMap<>();
    JavaFileManager files =
        new ForwardingJavaFileManager<>(standard) {
          @Override
          public JavaFileObject getJavaFileForOutput(
              Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(
                URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
              @Override
              public java.io.OutputStream openOutputStream() {
                return new java.io.ByteArrayOutputStream() {
                  @Override
                  public void close() {
                    classes.put(className, toByteArray());
                  }
                };
              }
            };
          }
        };
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach(
        (name, source) ->
            units.add(
                new SimpleJavaFileObject(
                    URI.create("string:///" + name + JavaFileObject.Kind.SOURCE.extension),
                    JavaFileObject.Kind.SOURCE) {
                  @Override
                  public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                  }
                }));
    List<String> options =
        List.of(
            "-classpath",
            String.join(java.io.File.pathSeparator, classPath()),
            "--release",
            "17",
            "-proc:none",
            "-Xlint:deprecation,removal",
            "-Werror");
    boolean ok = javac.getTask(null, files, diagnostics, options, null, units).call();
    StringBuilder errors = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.NOTE) {
        errors
            .append("  line ")
            .append(d.getLineNumber() - offset)
            .append(" of the block: ")
            .append(d.getMessage(Locale.ROOT).replace("\n", "\n    "))
            .append('\n');
      }
    }
    ClassLoader loader =
        new URLClassLoader(new URL[0], ReadmeBlocksTest.class.getClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
              throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
          }
        };
    return new Compilation(ok, errors.toString(), loader);
  }
}
