package dev.scopedtokens.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * No plaintext token ever reaches a {@code toString}, an exception message or a stored value, for
 * any secret: well-formed tokens and arbitrary strings presented as tokens alike.
 */
class SecretsNeverShownTest {
  private static final TokenFormat FORMAT = TokenFormat.defaults();
  private static final Argon2idHasher ARGON2 =
      Argon2idHasher.builder()
          .memoryKiB(64)
          .iterations(1)
          .maxConcurrentHashes(1)
          .random(SeededRandom.of(11))
          .build();
  private static final HmacSha256Hasher HMAC =
      HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256"));

  @Test
  void wellFormedToken_appearsInNoTextTheLibraryProduces() {
    qt().withExamples(200)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              TokenSecret token = FORMAT.generate(SeededRandom.of(seed));
              List<String> shown = new ArrayList<>();
              shown.add(token.toString());
              shown.add(FORMAT.lookupKey(token).toString());
              shown.add(FORMAT.toString());
              shown.add(ARGON2.hash(token));
              shown.add(HMAC.hash(token));
              shown.add(ARGON2.toString());
              shown.add(HMAC.toString());
              shown.add(messageOfInterruptedHash(token));
              assertNoneContains(shown, token.reveal());
            });
  }

  @Test
  void arbitraryPresentedString_appearsInNoTextTheLibraryProduces() {
    qt().withExamples(200)
        .forAll(strings().allPossible().ofLengthBetween(12, 80))
        .checkAssert(
            presented -> {
              TokenSecret secret = TokenSecret.of(presented);
              List<String> shown = new ArrayList<>();
              shown.add(secret.toString());
              shown.add(messageOf(catchThrowable(() -> FORMAT.lookupKey(secret))));
              shown.add(messageOfInterruptedHash(secret));
              shown.add(ARGON2.hash(secret));
              assertNoneContains(shown, presented);
            });
  }

  @Test
  void emptySecret_isWrapped_forVerificationToJudge() {
    // A registry copies the client's password into TokenSecret.of; an empty `docker login`
    // password must reach verify (which answers MALFORMED), not throw here.
    TokenSecret empty = TokenSecret.of("");

    assertThat(empty.length()).isZero();
    assertThat(empty.toString()).isEqualTo("TokenSecret[redacted]");
    assertThat(FORMAT.isWellFormed(empty.reveal())).isFalse();
  }

  private static String messageOfInterruptedHash(TokenSecret secret) {
    Thread.currentThread().interrupt();
    try {
      return messageOf(catchThrowable(() -> ARGON2.hash(secret)));
    } finally {
      Thread.interrupted();
    }
  }

  private static String messageOf(Throwable thrown) {
    assertThat(thrown).as("an exception was thrown").isNotNull();
    StringBuilder all = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  private static void assertNoneContains(List<String> shown, String secret) {
    assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain(secret));
  }
}
