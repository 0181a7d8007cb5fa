package dev.scopedtokens.client;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads how long a rate-limited caller should wait: {@code Retry-After} as seconds or as an HTTP
 * date, else {@code X-Retry-After} as a unix time (what older Docker Hub versions sent). Absolute
 * times are measured against the response's {@code Date} header, so that a skewed local clock does
 * not stretch or cut the wait; without one, against the client's clock.
 */
final class RetryAfter {
  /** Waits beyond this are treated as this; no server means a wait of decades. */
  private static final Duration LONGEST = Duration.ofDays(1);

  private RetryAfter() {}

  static Optional<Duration> from(HttpHeaders headers, Clock clock) {
    Optional<String> retryAfter = headers.firstValue("Retry-After").map(String::trim);
    if (retryAfter.isPresent()) {
      Optional<Duration> wait = parseRetryAfter(retryAfter.get(), headers, clock);
      if (wait.isPresent()) {
        return wait;
      }
    }
    return headers
        .firstValue("X-Retry-After")
        .map(String::trim)
        .flatMap(RetryAfter::unixTime)
        .map(at -> until(at, reference(headers, clock)));
  }

  private static Optional<Duration> parseRetryAfter(
      String value, HttpHeaders headers, Clock clock) {
    if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Optional.of(cap(Duration.ofSeconds(Long.parseLong(value))));
      } catch (NumberFormatException | ArithmeticException tooLarge) {
        return Optional.of(LONGEST);
      }
    }
    return httpDate(value).map(at -> until(at, reference(headers, clock)));
  }

  private static Instant reference(HttpHeaders headers, Clock clock) {
    return headers.firstValue("Date").flatMap(RetryAfter::httpDate).orElseGet(clock::instant);
  }

  private static Optional<Instant> httpDate(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> unixTime(String value) {
    if (value.length() > 40) {
      // No unix time needs more; a longer value would only cost parsing.
      return Optional.empty();
    }
    try {
      // Seconds, possibly with a fraction.
      BigDecimal seconds = new BigDecimal(value);
      if (!WireFormat.plausible(seconds)
          || seconds.signum() < 0
          || seconds.compareTo(BigDecimal.valueOf(Instant.MAX.getEpochSecond())) > 0) {
        return Optional.empty();
      }
      long whole = seconds.longValue();
      long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Optional.of(Instant.ofEpochSecond(whole, nanos));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Duration until(Instant at, Instant reference) {
    Duration wait = Duration.between(reference, at);
    return wait.isNegative() ? Duration.ZERO : cap(wait);
  }

  private static Duration cap(Duration wait) {
    return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
  }
}
