package dev.scopedtokens.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {
  @ParameterizedTest
  @CsvSource({
    "2021-07-20T12:00:00Z, 2021-07-20T12:00:00Z",
    "2021-07-20T12:00:00.1Z, 2021-07-20T12:00:00.100Z",
    "2021-07-20T12:00:00.12Z, 2021-07-20T12:00:00.120Z",
    "2021-07-20T12:00:00.123Z, 2021-07-20T12:00:00.123Z",
    "2021-07-20T12:00:00.520861Z, 2021-07-20T12:00:00.520861Z",
    "2021-07-20T12:00:00.123456789Z, 2021-07-20T12:00:00.123456789Z",
    "2021-07-20T14:30:00+02:30, 2021-07-20T12:00:00Z",
    "2021-07-20T07:00:00.5-05:00, 2021-07-20T12:00:00.500Z",
    "2021-07-20T12:00:00+00:00, 2021-07-20T12:00:00Z",
    "2021-07-20t12:00:00z, 2021-07-20T12:00:00Z",
    "2021-07-20 12:00:00Z, 2021-07-20T12:00:00Z"
  })
  void rfc3339Timestamps_areRead(String text, String expected) throws Exception {
    assertThat(Rfc3339.parse("created_at", text)).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2021-07-20T12:00:00",
        "2021-07-20",
        "2021-07-20T12:00:00.1234567890Z",
        "1626782400",
        "soon"
      })
  void otherText_isRejectedNamingTheField(String text) {
    assertThatThrownBy(() -> Rfc3339.parse("expires_at", text))
        .isInstanceOf(WireException.class)
        .hasMessageStartingWith("expires_at: ")
        .hasMessageContaining("is not an RFC 3339 timestamp");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"2021-10-28T18:30:19.520861Z", "2021-10-28T18:30:19Z", "2021-10-28T18:30:19.500Z"})
  void formatThenParse_roundTrips(String text) throws Exception {
    Instant instant = Instant.parse(text);

    assertThat(Rfc3339.parse("expires_at", Rfc3339.format(instant))).isEqualTo(instant);
  }
}
