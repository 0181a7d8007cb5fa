/**
 * Scoped Tokens testkit: {@link dev.scopedtokens.testkit.FakeClock}, a fake Docker Hub backed by
 * the real core and the server's management API ({@link dev.scopedtokens.testkit.FakeDockerHub}),
 * the {@link dev.scopedtokens.testkit.TokenStoreContract} for store implementations, and AssertJ
 * assertions ({@link dev.scopedtokens.testkit.TokenAssertions}).
 */
module dev.scopedtokens.testkit {
  requires transitive dev.scopedtokens.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires dev.scopedtokens.server;
  requires com.fasterxml.jackson.databind;

  exports dev.scopedtokens.testkit;
}
