/**
 * Scoped Tokens testkit: {@link dev.scopedtokens.testkit.FakeClock}, a fake Docker Hub backed by
 * the real core and the server's management API ({@link dev.scopedtokens.testkit.FakeDockerHub}),
 * the {@link dev.scopedtokens.testkit.TokenStoreContract} and {@link
 * dev.scopedtokens.testkit.TokenServiceContract} for store implementations, AssertJ assertions
 * ({@link dev.scopedtokens.testkit.TokenAssertions}), and a scripted {@code HttpClient} ({@link
 * dev.scopedtokens.testkit.ScriptedHttpClient}) for code that takes one.
 */
@SuppressWarnings("requires-automatic")
module dev.scopedtokens.testkit {
  requires transitive dev.scopedtokens.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  // TokenServiceContract generates its sequences with QuickTheories, whose jar has no module name
  // of its own: javac derives it from the file name and warns (suppressed on the declaration).
  requires quicktheories;
  requires transitive java.net.http;
  requires dev.scopedtokens.server;
  requires com.fasterxml.jackson.databind;

  exports dev.scopedtokens.testkit;
}
