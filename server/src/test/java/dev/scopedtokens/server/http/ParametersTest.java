package dev.scopedtokens.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParametersTest {

  @Test
  void repeatedNames_keepEveryValueInArrivalOrder() {
    Parameters p = Parameters.parse("scope=a&service=reg&scope=b+c&empty=&flag", "query");

    assertThat(p.all("scope")).containsExactly("a", "b c");
    assertThat(p.first("service")).hasValue("reg");
    assertThat(p.first("empty")).hasValue("");
    assertThat(p.first("flag")).hasValue("");
    assertThat(p.first("missing")).isEmpty();
    assertThat(p.names()).containsExactly("scope", "service", "empty", "flag");
  }

  @Test
  void percentEscapes_decodeAsUtf8() {
    assertThat(Parameters.parse("name=team%2Fapp%3Apull&u=%C3%A9", "query").first("u"))
        .hasValue("é");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a=%", "a=%4", "a=%zz", "a=%C3", "a=%FF", "a=%00", "a=%ED%A0%80"})
  void malformedOrNonUtf8Escapes_areA400ThatDoesNotEchoTheInput(String query) {
    assertThatThrownBy(() -> Parameters.parse(query, "query"))
        .isInstanceOfSatisfying(
            HttpRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).startsWith("query: ").doesNotContain(query);
            });
  }

  @Test
  void moreThanTheParameterCap_isRefusedNamingTheCap() {
    String query = "a=1&".repeat(Parameters.MAX_PARAMETERS + 1);

    assertThatThrownBy(() -> Parameters.parse(query, "form body"))
        .isInstanceOf(HttpRequestException.class)
        .hasMessageContaining(String.valueOf(Parameters.MAX_PARAMETERS));
  }

  @Test
  void single_refusesARepeatedName() {
    Parameters p = Parameters.parse("grant_type=password&grant_type=refresh_token", "form body");

    assertThatThrownBy(() -> p.single("grant_type"))
        .isInstanceOf(HttpRequestException.class)
        .hasMessageContaining("grant_type");
  }

  @Test
  void toString_namesParametersButNeverValues() {
    assertThat(Parameters.parse("password=hunter2&username=alice", "form body").toString())
        .contains("password", "username")
        .doesNotContain("hunter2", "alice");
  }

  @Test
  void anyEncodedText_decodesToWhatWasEncoded() {
    qt().forAll(
            strings()
                .basicMultilingualPlaneAlphabet()
                .ofLengthBetween(0, 40)
                .map(s -> s.replaceAll("[\\x{0}\\x{D800}-\\x{DFFF}]", "x")))
        .check(
            s ->
                Parameters.parse("v=" + URLEncoder.encode(s, StandardCharsets.UTF_8), "query")
                    .first("v")
                    .orElseThrow()
                    .equals(s));
  }
}
