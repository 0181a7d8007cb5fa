/**
 * Scoped Tokens testkit: {@link dev.scopedtokens.testkit.FakeClock}, a fake Docker Hub backed by
 * the real core ({@link dev.scopedtokens.testkit.FakeDockerHub}), the {@link
 * dev.scopedtokens.testkit.TokenStoreContract} for store implementations, and AssertJ assertions
 * ({@link dev.scopedtokens.testkit.TokenAssertions}), and a scripted {@code HttpClient} ({@link
 * dev.scopedtokens.testkit.ScriptedHttpClient}) for code that takes one.
 */
module dev.scopedtokens.testkit {
  requires transitive dev.scopedtokens.core;
  requires transitive org.junit.jupiter.api;
  requires transitive org.assertj.core;
  requires transitive java.net.http;
  requires jdk.httpserver;
  requires com.fasterxml.jackson.databind;
  requires java.logging;

  exports dev.scopedtokens.testkit;

  // Jackson writes the wire records of the fake server by reflection.
  opens dev.scopedtokens.testkit.internal to
      com.fasterxml.jackson.databind;
}
