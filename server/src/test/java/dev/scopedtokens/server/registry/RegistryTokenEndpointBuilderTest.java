package dev.scopedtokens.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.KeyIdMode;
import dev.scopedtokens.server.jwt.SigningKey;
import dev.scopedtokens.server.jwt.SigningKeys;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryTokenEndpointBuilderTest {
  private final RegistryFixture f = new RegistryFixture();

  @Test
  void missingSettings_areNamed_withWhatToSetThemTo() {
    assertThatThrownBy(() -> RegistryTokenEndpoint.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("service: required")
        .hasMessageContaining("auth.token.service");
    assertThatThrownBy(
            () ->
                RegistryTokenEndpoint.builder()
                    .service("r")
                    .issuer("i")
                    .verifier(f.tokens)
                    .accounts(f.directory)
                    .build())
        .hasMessageContaining("signingKeys: required");
  }

  @Test
  void passwordRefreshTokens_withoutRefreshTokens_isAContradiction() {
    assertThatThrownBy(() -> f.endpoint().allowPasswordRefreshTokens().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refreshTokens(key)");
  }

  @Test
  void keysThatAreNotActiveYet_areRefused() {
    SigningKey future = RegistryFixture.KEY.withActiveFrom(RegistryFixture.START.plusSeconds(60));

    assertThatThrownBy(() -> f.endpoint().signingKeys(SigningKeys.of(future)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no key is active");
  }

  @Test
  void anExpiredCertificate_isRefusedInX5cMode() {
    SigningKey old =
        SigningKey.generate(
            JwtAlgorithm.ES256,
            "old",
            RegistryFixture.START.minus(Duration.ofDays(10)),
            Duration.ofDays(1),
            new SecureRandom());

    assertThatThrownBy(() -> f.endpoint().signingKeys(SigningKeys.of(old)).build())
        .hasMessageContaining("expired");
    assertThat(
            f.endpoint()
                .signingKeys(SigningKeys.of(old))
                .keyIdMode(KeyIdMode.JWKS)
                .build()
                .keyIdMode())
        .isEqualTo(KeyIdMode.JWKS);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 59, 86_401})
  void lifetimesOutOfRange_areRefused(int seconds) {
    assertThatThrownBy(() -> f.endpoint().tokenLifetime(Duration.ofSeconds(seconds)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 minute to 1 day")
        .hasMessageNotContaining("PT");
  }

  @Test
  void capsOutOfRange_areRefused() {
    assertThatThrownBy(() -> f.endpoint().maxScopes(0)).hasMessageContaining("1 to 256");
    assertThatThrownBy(() -> f.endpoint().maxScopeBytes(100)).hasMessageContaining("512 to 65536");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "quote\"", "tab\t"})
  void badNames_areRefused(String name) {
    assertThatThrownBy(() -> f.endpoint().service(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("printable ASCII");
  }

  @Test
  void publishes_theBundleAndTheJwks() throws Exception {
    RegistryTokenEndpoint endpoint = f.endpoint().keyIdMode(KeyIdMode.JWKS).build();

    assertThat(endpoint.certificateBundlePem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(JWKSet.parse(endpoint.jwks()).getKeys().get(0).getKeyID())
        .isEqualTo(RegistryFixture.KEY.jwkThumbprint());
    assertThat(endpoint.toString())
        .contains("registry.test", "JWKS", "refreshTokens=off")
        .doesNotContain("PRIVATE");
  }

  @Test
  void lifetime_isWhatTheAnswerAndTheTokenSay() {
    RegistryTokenEndpoint endpoint = f.endpoint().tokenLifetime(Duration.ofSeconds(60)).build();

    var response = endpoint.handle(RegistryFixture.anonymous("service=registry.test"));

    assertThat(RegistryFixture.body(response).get("expires_in").asInt()).isEqualTo(60);
  }
}
