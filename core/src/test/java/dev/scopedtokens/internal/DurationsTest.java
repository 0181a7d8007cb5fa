package dev.scopedtokens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "PT0S | 0 seconds",
        "PT720H | 30 days",
        "PT1M | 1 minute",
        "PT24H | 1 day",
        "PT1H30M | 1 hour 30 minutes",
        "PT90S | 1 minute 30 seconds",
        "PT0.5S | 500 milliseconds",
        "PT0.000001S | 1 microsecond",
        "PT0.000000001S | 1 nanosecond",
        "PT1.000001S | 1 second 1 microsecond",
        "PT-1S | minus 1 second",
        "PT-0.5S | minus 500 milliseconds",
        "PT-1.5S | minus 1 second 500 milliseconds",
        "PT2562047788015215H30M7.999999999S | 106751991167300 days 15 hours 30 minutes 7 seconds"
            + " 999 milliseconds 999 microseconds 999 nanoseconds",
        "PT-2562047788015215H-30M-8S | minus 106751991167300 days 15 hours 30 minutes 8 seconds",
      })
  void duration_isWrittenForPeople_exactly(String iso, String forPeople) {
    assertThat(Durations.forPeople(Duration.parse(iso))).isEqualTo(forPeople);
  }

  @org.junit.jupiter.api.Test
  void theExtremes_areWrittenWithoutOverflow() {
    assertThat(Durations.forPeople(Duration.ofSeconds(Long.MIN_VALUE)))
        .isEqualTo("minus 106751991167300 days 15 hours 30 minutes 8 seconds");
    assertThat(Durations.forPeople(Duration.ofSeconds(Long.MIN_VALUE, 1)))
        .isEqualTo(
            "minus 106751991167300 days 15 hours 30 minutes 7 seconds 999 milliseconds"
                + " 999 microseconds 999 nanoseconds");
  }
}
