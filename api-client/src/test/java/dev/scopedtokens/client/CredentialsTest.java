package dev.scopedtokens.client;

import static dev.scopedtokens.client.TestSupport.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.secret.TokenFormat;
import dev.scopedtokens.secret.TokenSecret;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 9 item 4: a token in the account slot is refused, so no toString can print it. */
class CredentialsTest {
  static List<String> tokenShapedNames() {
    String sdkToken = TokenFormat.defaults().generate(new SecureRandom()).reveal();
    return List.of(
        "dckr_pat_A1b2C3d4E5f6G7h8I9j0K1l2M3n",
        "dckr_oat_A1b2C3d4E5f6G7h8I9j0K1l2M3n",
        "alice" + "dckr_pat_abc",
        sdkToken,
        "x" + sdkToken + "y",
        jwt("{\"sub\":\"alice\"}"));
  }

  static List<Function<String, Credentials>> accountSlots() {
    return List.of(
        name -> Credentials.password(name, "pw"),
        name -> Credentials.password(name, "pw", () -> "123456"),
        name -> Credentials.secret(name, "pw"),
        name -> Credentials.secret(name, TokenSecret.of("pw")));
  }

  @ParameterizedTest
  @MethodSource("tokenShapedNames")
  void aTokenShapedAccountName_isRefusedInEverySlot_withoutEchoingIt(String name) {
    for (Function<String, Credentials> slot : accountSlots()) {
      assertThatThrownBy(() -> slot.apply(name))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("looks like an access token or a JWT")
          .hasMessageNotContaining(name);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "my-org", "a.b_c", "dckr", "eyJ"})
  void anAccountName_isPrintedAfterTheCheck_byCredentialsBuilderAndClient(String name) {
    Credentials credentials = Credentials.password(name, "s3cret-password");
    HubClient.Builder builder = HubClient.builder().credentials(credentials);

    assertThat(credentials.toString()).contains(name).doesNotContain("s3cret-password");
    assertThat(builder.toString()).contains(name).doesNotContain("s3cret-password");
    assertThat(builder.build().toString()).contains(name).doesNotContain("s3cret-password");
  }
}
