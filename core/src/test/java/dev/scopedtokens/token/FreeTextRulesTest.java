package dev.scopedtokens.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.scope.Scope;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The character rules every free-text field shares (labels, owners, the parts of {@link
 * ClientInfo}): text that cannot be encoded or that changes how the text around it is shown is
 * refused, by code point and index, without quoting the value.
 */
class FreeTextRulesTest {

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\uD800 | U+D800 (HIGH SURROGATES D800), an unpaired surrogate",
        "\uDC00 | U+DC00 (LOW SURROGATES DC00), an unpaired surrogate",
        "\u202E | U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control",
        "\u202A | U+202A (LEFT-TO-RIGHT EMBEDDING), a bidirectional control",
        "\u2066 | U+2066 (LEFT-TO-RIGHT ISOLATE), a bidirectional control",
        "\u2069 | U+2069 (POP DIRECTIONAL ISOLATE), a bidirectional control",
        "\u200E | U+200E (LEFT-TO-RIGHT MARK), a bidirectional control",
        "\u200F | U+200F (RIGHT-TO-LEFT MARK), a bidirectional control",
        "\u061C | U+061C (ARABIC LETTER MARK), a bidirectional control",
        "\u2028 | U+2028 (LINE SEPARATOR), a line or paragraph separator",
        "\u2029 | U+2029 (PARAGRAPH SEPARATOR), a line or paragraph separator",
        "\u200B | U+200B (ZERO WIDTH SPACE), an invisible format character",
        "\uFEFF | U+FEFF (ZERO WIDTH NO-BREAK SPACE), an invisible format character",
        "\u00AD | U+00AD (SOFT HYPHEN), an invisible format character",
        "\u0085 | U+0085 (NEXT LINE (NEL)), a control character",
      })
  void refusedCharacter_inALabel_isNamedWithItsIndex(String character, String named) {
    String label = "ci" + character + "x";

    assertThatThrownBy(() -> TokenRequest.of(label, Scope.REPO_READ))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "label: has " + named + ", at index 2; only visible characters and spaces are allowed");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\uD800 | U+D800 (HIGH SURROGATES D800), an unpaired surrogate",
        "\u202E | U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control",
        "\u2028 | U+2028 (LINE SEPARATOR), a line or paragraph separator",
        "\u200D | U+200D (ZERO WIDTH JOINER), an invisible format character",
      })
  void refusedCharacter_inAnOwner_isNamedWithItsIndex(String character, String named) {
    String owner = "al" + character + "ice";

    assertThatThrownBy(() -> Validation.owner(owner))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "owner: has " + named + ", at index 2; only visible characters and spaces are allowed");
    assertThat(Validation.isValidOwner(owner)).isFalse();
  }

  @ParameterizedTest(name = "part {0}")
  @ValueSource(strings = {"clientId", "ip", "userAgent"})
  void refusedCharacter_inAClientPart_isNamedWithThePart(String part) {
    String value = "Docker\u202E/1";
    Optional<String> bad = Optional.of(value);
    Optional<String> none = Optional.empty();

    assertThatThrownBy(
            () ->
                new ClientInfo(
                    part.equals("clientId") ? bad : none,
                    part.equals("ip") ? bad : none,
                    part.equals("userAgent") ? bad : none))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "client."
                + part
                + ": has U+202E (RIGHT-TO-LEFT OVERRIDE), a bidirectional control, at index 6;"
                + " only visible characters and spaces are allowed")
        .hasMessageNotContaining("Docker");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "\u00A0", // no-break space
        "\u00A0\u2007\u202F", // the no-break spaces
        " \u3000 ", // spaces, ideographic space
        "\u0301", // a combining accent on nothing
      })
  void labelWithNoVisibleCharacter_isRefused(String label) {
    assertThatThrownBy(() -> TokenRequest.of(label, Scope.REPO_READ))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "label: must not be blank; give at least one visible character (spaces, no-break"
                + " spaces and combining marks alone are not)");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\u200B", "\uFEFF", "\u200B\uFEFF\u200C"})
  void labelOfZeroWidthCharactersOrABom_isRefused(String label) {
    assertThatThrownBy(() -> TokenRequest.of(label, Scope.REPO_READ))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessageStartingWith("label: has U+")
        .hasMessageContaining("an invisible format character, at index 0");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"\u00A0", "\u0301 "})
  void ownerWithNoVisibleCharacter_isRefused(String owner) {
    assertThat(Validation.isValidOwner(owner)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "caf\u00E9 d\u00E9ploiement", // accents, precomposed
        "cafe\u0301", // a combining accent after a letter
        "\uD83D\uDC33 whale", // a surrogate pair
        "\u05E9\u05DC\u05D5\u05DD", // right-to-left letters (no control)
        "CI \u00A0pipeline", // a no-break space among visible characters
        "\uE000 private use",
      })
  void visibleText_isAccepted(String label) {
    assertThat(TokenRequest.of(label, Scope.REPO_READ).label()).isEqualTo(label);
    assertThat(Validation.owner(label)).isEqualTo(label);
    assertThat(ClientInfo.of(label).clientId()).contains(label);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"+999999999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"})
  void expiryOutsideWhatRfc3339CanWrite_isRefused(String instant) {
    Instant at = Instant.parse(instant);

    assertThatThrownBy(() -> TokenRequest.of("CI", Scope.REPO_READ).expiringAt(at))
        .isInstanceOf(InvalidTokenRequestException.class)
        .hasMessage(
            "expiresAt: "
                + at
                + " is outside what RFC 3339 can write; give an instant from"
                + " 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"9999-12-31T23:59:59.999999Z", "0000-01-01T00:00:00Z"})
  void expiryAtTheBoundsOfRfc3339_isAcceptedByTheRequest(String instant) {
    Instant at = Instant.parse(instant);

    assertThat(TokenRequest.of("CI", Scope.REPO_READ).expiringAt(at).expiresAt()).contains(at);
  }
}
