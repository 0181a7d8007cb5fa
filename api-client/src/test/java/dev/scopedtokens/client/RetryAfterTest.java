package dev.scopedtokens.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static Optional<Duration> waitFrom(String... nameValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return RetryAfter.from(HttpHeaders.of(map, (a, b) -> true), CLOCK);
  }

  @Test
  void seconds_areRead() {
    assertThat(waitFrom("Retry-After", "120")).contains(Duration.ofMinutes(2));
  }

  @Test
  void headerNames_areCaseInsensitive() {
    assertThat(waitFrom("retry-after", "3")).contains(Duration.ofSeconds(3));
  }

  @Test
  void httpDate_isMeasuredAgainstTheDateHeader() {
    assertThat(
            waitFrom(
                "Date",
                "Wed, 21 Oct 2015 07:28:00 GMT",
                "Retry-After",
                "Wed, 21 Oct 2015 07:28:30 GMT"))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void httpDate_isMeasuredAgainstTheClockWithoutADate() {
    assertThat(waitFrom("Retry-After", "Thu, 15 Jan 2026 10:01:00 GMT"))
        .contains(Duration.ofMinutes(1));
  }

  @Test
  void httpDateInThePast_meansNoWait() {
    assertThat(waitFrom("Retry-After", "Thu, 15 Jan 2026 09:00:00 GMT")).contains(Duration.ZERO);
  }

  @Test
  void xRetryAfter_isAUnixTime() {
    assertThat(waitFrom("X-Retry-After", String.valueOf(NOW.getEpochSecond() + 42)))
        .contains(Duration.ofSeconds(42));
  }

  @Test
  void xRetryAfterWithAFraction_isRead() {
    assertThat(waitFrom("X-Retry-After", (NOW.getEpochSecond() + 1) + ".5"))
        .contains(Duration.ofMillis(1500));
  }

  @Test
  void xRetryAfter_isMeasuredAgainstTheDateHeaderToo() {
    long serverNow = NOW.getEpochSecond() - 3600;
    assertThat(
            waitFrom(
                "Date",
                "Thu, 15 Jan 2026 09:00:00 GMT",
                "X-Retry-After",
                String.valueOf(serverNow + 10)))
        .contains(Duration.ofSeconds(10));
  }

  @Test
  void unreadableRetryAfter_fallsBackToXRetryAfter() {
    assertThat(
            waitFrom(
                "Retry-After", "soon", "X-Retry-After", String.valueOf(NOW.getEpochSecond() + 5)))
        .contains(Duration.ofSeconds(5));
  }

  @Test
  void noHeaders_meansTheServerDidNotSay() {
    assertThat(waitFrom()).isEmpty();
    assertThat(waitFrom("Retry-After", "-5")).isEmpty();
    assertThat(waitFrom("X-Retry-After", "tomorrow")).isEmpty();
  }

  @Test
  void absurdWaits_areCappedAtADay() {
    assertThat(waitFrom("Retry-After", "99999999999999999999999")).contains(Duration.ofDays(1));
  }
}
