package dev.scopedtokens.client;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads RFC 3339 timestamps as servers write them: 0 to 9 fraction digits, {@code Z} or a numeric
 * offset, {@code T} or (as RFC 3339 permits) a space between date and time, either case.
 */
final class Rfc3339 {
  private Rfc3339() {}

  static Instant parse(String field, String value) throws WireException {
    String text = value.trim().toUpperCase(Locale.ROOT);
    if (text.length() > 10 && text.charAt(10) == ' ') {
      text = text.substring(0, 10) + 'T' + text.substring(11);
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      // The cause is not kept: it holds the server's text, upper-cased past the redactor's reach.
      throw new WireException(
          field,
          value,
          "is not an RFC 3339 timestamp; expected such as 2021-07-20T12:00:00.000000Z");
    }
  }

  /** Writes an instant as RFC 3339 in UTC, with only as many fraction digits as it needs. */
  static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}
