package dev.scopedtokens.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HmacSha256HasherTest {
  private static final TokenFormat FORMAT = TokenFormat.defaults();
  private static final TokenSecret KNOWN_TOKEN =
      TokenSecret.of("stk_IJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz3r2WZF");

  /** The bytes 0x00 to 0x1f. */
  private static final SecretKey KNOWN_PEPPER =
      new SecretKeySpec(
          HexFormat.of()
              .parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
          "HmacSHA256");

  private final HmacSha256Hasher hasher = HmacSha256Hasher.withPepper(KNOWN_PEPPER);

  private static SecretKey pepper(long seed) {
    byte[] key = new byte[32];
    SeededRandom.of(seed).nextBytes(key);
    return new SecretKeySpec(key, "HmacSHA256");
  }

  @Test
  void hash_isTheLabelledHmacOfTheToken() {
    // Computed independently with Python's hmac over b"dev.scopedtokens.secret-hmac.v1\0" + token.
    assertThat(hasher.hash(KNOWN_TOKEN))
        .isEqualTo("$hmac-sha256$v=1$KY/eHMzSM6AHzu6E+uIiJgu2tbSL55z91KZXnLfdpJs");
  }

  @Test
  void hashOfAnyToken_isSelfDescribing() {
    qt().forAll(longs().all())
        .checkAssert(
            seed ->
                assertThat(hasher.hash(FORMAT.generate(SeededRandom.of(seed))))
                    .matches("\\$hmac-sha256\\$v=1\\$[A-Za-z0-9+/]{43}"));
  }

  @Test
  void hashedToken_verifies() {
    qt().forAll(longs().all())
        .checkAssert(
            seed -> {
              TokenSecret token = FORMAT.generate(SeededRandom.of(seed));
              assertThat(hasher.verify(hasher.hash(token), token)).isTrue();
            });
  }

  @Test
  void otherToken_doesNotVerify() {
    qt().forAll(longs().all())
        .checkAssert(
            seed -> {
              TokenSecret token = FORMAT.generate(SeededRandom.of(seed));
              TokenSecret other = FORMAT.generate(SeededRandom.of(~seed));
              assertThat(hasher.verify(hasher.hash(token), other)).isFalse();
            });
  }

  @Test
  void hashMadeUnderAnotherPepper_doesNotVerify() {
    String hash = HmacSha256Hasher.withPepper(pepper(1)).hash(KNOWN_TOKEN);
    assertThat(HmacSha256Hasher.withPepper(pepper(2)).verify(hash, KNOWN_TOKEN)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "$hmac-sha256$v=1$",
        "$hmac-sha256$v=1$KY/eHMzSM6AHzu6E+uIiJgu2tbSL55z91KZXnLfdpJ",
        "$hmac-sha256$v=1$KY/eHMzSM6AHzu6E+uIiJgu2tbSL55z91KZXnLfdpJs=",
        "$hmac-sha256$v=1$KY/eHMzSM6AHzu6E+uIiJgu2tbSL55z91KZXnLfdp!s",
        "$hmac-sha256$v=2$KY/eHMzSM6AHzu6E+uIiJgu2tbSL55z91KZXnLfdpJs",
        "$hmac-sha512$v=1$KY/eHMzSM6AHzu6E+uIiJgu2tbSL55z91KZXnLfdpJs",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$qLml5cbqFAO6YxVHhrSBHP0UWdxrIxkNcM8aMX3blzU"
      })
  void foreignOrDamagedHash_doesNotVerify(String encodedHash) {
    assertThat(hasher.verify(encodedHash, KNOWN_TOKEN)).isFalse();
  }

  @Test
  void ownHash_doesNotNeedRehash() {
    assertThat(hasher.needsRehash(hasher.hash(KNOWN_TOKEN))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "$hmac-sha256$v=2$KY/eHMzSM6AHzu6E+uIiJgu2tbSL55z91KZXnLfdpJs",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$qLml5cbqFAO6YxVHhrSBHP0UWdxrIxkNcM8aMX3blzU"
      })
  void foreignHash_needsRehash(String encodedHash) {
    assertThat(hasher.needsRehash(encodedHash)).isTrue();
  }

  @Test
  void verifyDecoy_acceptsAnyPresentedSecret() {
    // It has no outcome to assert; it must simply run the verification path without failing.
    hasher.verifyDecoy(KNOWN_TOKEN);
    hasher.verifyDecoy(TokenSecret.of("not a token at all"));
    assertThat(hasher.verify(hasher.hash(KNOWN_TOKEN), KNOWN_TOKEN)).isTrue();
  }

  @Test
  void pepperShorterThan32Bytes_isRefused() {
    SecretKey shortPepper = new SecretKeySpec(new byte[31], "HmacSHA256");
    assertThatThrownBy(() -> HmacSha256Hasher.withPepper(shortPepper))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pepper: 31 bytes")
        .hasMessageContaining("at least 32 bytes");
  }

  @Test
  void pepperWithoutExtractableMaterial_isRefused() {
    SecretKey opaque =
        new SecretKey() {
          private static final long serialVersionUID = 1L;

          @Override
          public String getAlgorithm() {
            return "HmacSHA256";
          }

          @Override
          public String getFormat() {
            return null;
          }

          @Override
          public byte[] getEncoded() {
            return null;
          }
        };
    assertThatThrownBy(() -> HmacSha256Hasher.withPepper(opaque))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pepper")
        .hasMessageContaining("cannot be checked");
  }

  @Test
  void toString_neverShowsThePepper() {
    qt().forAll(longs().all())
        .checkAssert(
            seed -> {
              byte[] key = pepper(seed).getEncoded();
              String shown =
                  HmacSha256Hasher.withPepper(new SecretKeySpec(key, "HmacSHA256")).toString();
              assertThat(shown)
                  .isEqualTo("HmacSha256Hasher[pepper=redacted]")
                  .doesNotContain(HexFormat.of().formatHex(key))
                  .doesNotContain(Base64.getEncoder().encodeToString(key));
            });
  }
}
