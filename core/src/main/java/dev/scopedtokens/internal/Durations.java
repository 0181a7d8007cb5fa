package dev.scopedtokens.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Durations written for people, for messages: {@code "30 days"}, {@code "1 minute"}, {@code "1 hour
 * 30 minutes"}, never the ISO-8601 form ({@code PT720H}, {@code PT0S}) that {@link
 * Duration#toString()} gives. The SDK's own messages use it, and so can a client, a server or a
 * fake that words a message about a duration.
 *
 * <p>Not API: exported only to the project's own modules, and may change in any release.
 *
 * <pre>{@code
 * Durations.forPeople(Duration.ofDays(30));      // "30 days"
 * Durations.forPeople(Duration.ofSeconds(90));   // "1 minute 30 seconds"
 * Durations.forPeople(Duration.ZERO);            // "0 seconds"
 * }</pre>
 */
public final class Durations {
  private static final long SECONDS_PER_DAY = 86_400;

  private Durations() {}

  /**
   * Writes {@code duration} exactly, in days, hours, minutes, seconds, milliseconds, microseconds
   * and nanoseconds, largest first, leaving out the units that are zero. A day is 24 hours, as in
   * {@link Duration}; nothing is rounded, so a limit quoted with it is the limit that applies. A
   * negative duration starts with {@code "minus "}.
   *
   * @param duration any duration, {@link Duration#ZERO} and the extremes included
   * @return the text, such as {@code "30 days"}; {@code "0 seconds"} for zero
   */
  public static String forPeople(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isZero()) {
      return "0 seconds";
    }
    long seconds = duration.getSeconds();
    long nanos = duration.getNano();
    boolean negative = duration.isNegative();
    if (negative) {
      // The magnitude as an unsigned long: the negation of Long.MIN_VALUE seconds is 2^63.
      seconds = nanos == 0 ? -seconds : -(seconds + 1);
      nanos = nanos == 0 ? 0 : 1_000_000_000 - nanos;
    }
    StringBuilder out = new StringBuilder(negative ? "minus " : "");
    append(out, Long.divideUnsigned(seconds, SECONDS_PER_DAY), "day");
    long rest = Long.remainderUnsigned(seconds, SECONDS_PER_DAY);
    append(out, rest / 3600, "hour");
    append(out, rest % 3600 / 60, "minute");
    append(out, rest % 60, "second");
    append(out, nanos / 1_000_000, "millisecond");
    append(out, nanos / 1_000 % 1_000, "microsecond");
    append(out, nanos % 1_000, "nanosecond");
    return out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount == 0) {
      return;
    }
    if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
      out.append(' ');
    }
    out.append(Long.toUnsignedString(amount)).append(' ').append(unit);
    if (amount != 1) {
      out.append('s');
    }
  }
}
