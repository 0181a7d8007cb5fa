package dev.scopedtokens.testkit;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a fresh {@link FakeDockerHub} before each test and stops it after, and hands it to test
 * methods that declare a {@code FakeDockerHub} parameter.
 *
 * <p>With the defaults:
 *
 * <pre>{@code
 * @ExtendWith(FakeDockerHubExtension.class)
 * class ClientTest {
 *   @Test
 *   void listsTokens(FakeDockerHub hub) { ... }
 * }
 * }</pre>
 *
 * <p>Configured, as a field:
 *
 * <pre>{@code
 * final FakeClock clock = FakeClock.atDefaultStart();
 *
 * @RegisterExtension
 * final FakeDockerHubExtension hub =
 *     FakeDockerHubExtension.using(() -> FakeDockerHub.builder().clock(clock));
 *
 * @Test
 * void expiredSession_isRefused() {
 *   URI api = hub.server().baseUri();
 *   ...
 * }
 * }</pre>
 */
public final class FakeDockerHubExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FakeDockerHubExtension.class);

  private final Supplier<FakeDockerHub.Builder> configuration;
  private volatile FakeDockerHub current;

  /** An extension that starts servers with {@link FakeDockerHub#builder()}'s defaults. */
  public FakeDockerHubExtension() {
    this(FakeDockerHub::builder);
  }

  private FakeDockerHubExtension(Supplier<FakeDockerHub.Builder> configuration) {
    this.configuration = configuration;
  }

  /**
   * Returns an extension that starts each test's server from a fresh builder out of {@code
   * configuration}.
   */
  public static FakeDockerHubExtension using(Supplier<FakeDockerHub.Builder> configuration) {
    return new FakeDockerHubExtension(Objects.requireNonNull(configuration, "configuration"));
  }

  /**
   * Returns the server of the running test.
   *
   * @throws IllegalStateException outside a test
   */
  public FakeDockerHub server() {
    FakeDockerHub hub = current;
    if (hub == null) {
      throw new IllegalStateException("no fake Docker Hub is running: call server() from a test");
    }
    return hub;
  }

  /** Starts the test's server. */
  @Override
  public void beforeEach(ExtensionContext context) {
    FakeDockerHub hub =
        Objects.requireNonNull(configuration.get(), "configuration returned null").start();
    context.getStore(NAMESPACE).put(context.getUniqueId(), hub);
    current = hub;
  }

  /** Stops the test's server. */
  @Override
  public void afterEach(ExtensionContext context) {
    FakeDockerHub hub =
        context.getStore(NAMESPACE).remove(context.getUniqueId(), FakeDockerHub.class);
    current = null;
    if (hub != null) {
      hub.close();
    }
  }

  /** Supports test-method parameters of type {@link FakeDockerHub}. */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FakeDockerHub.class
        && parameter.getDeclaringExecutable() instanceof Method;
  }

  /** Returns the test's server. */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    FakeDockerHub hub = context.getStore(NAMESPACE).get(context.getUniqueId(), FakeDockerHub.class);
    return hub != null ? hub : server();
  }
}
