/**
 * Scoped Tokens testkit: {@link dev.scopedtokens.testkit.FakeClock}, a fake Docker Hub backed by
 * the real core ({@link dev.scopedtokens.testkit.FakeDockerHub}), the {@link
 * dev.scopedtokens.testkit.TokenStoreContract} and {@link
 * dev.scopedtokens.testkit.TokenServiceContract} for store implementations, and AssertJ assertions
 * ({@link dev.scopedtokens.testkit.TokenAssertions}).
 */
@SuppressWarnings("requires-automatic")
module dev.scopedtokens.testkit {
  requires transitive dev.scopedtokens.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  // TokenServiceContract generates its sequences with QuickTheories, whose jar has no module name
  // of its own: javac derives it from the file name and warns (suppressed on the declaration).
  requires quicktheories;
  requires jdk.httpserver;
  requires com.fasterxml.jackson.databind;
  requires java.logging;

  exports dev.scopedtokens.testkit;

  // Jackson writes the wire records of the fake server by reflection.
  opens dev.scopedtokens.testkit.internal to
      com.fasterxml.jackson.databind;
}
