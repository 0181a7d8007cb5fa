package dev.scopedtokens.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that a test sets and advances, so that nothing in a test waits for real time.
 *
 * <p>The clock is thread-safe. It stands still unless told otherwise: {@link #advance(Duration)}
 * and {@link #set(Instant)} move it, and {@link #autoAdvance(Duration)} makes every read return the
 * current instant and then move on by a fixed step, for code that measures elapsed time between two
 * reads. {@link #withZone(ZoneId)} returns a view in another zone that shares this clock's time:
 * advancing either advances both.
 *
 * <pre>{@code
 * FakeClock clock = FakeClock.at(Instant.parse("2025-01-01T00:00:00Z"));
 * TokenService service = TokenService.builder().clock(clock).build();
 * clock.advance(Duration.ofDays(31));   // every token that expired after 30 days is now expired
 * }</pre>
 */
public final class FakeClock extends Clock {

  /** The time shared by a clock and the views returned by {@link #withZone(ZoneId)}. */
  private static final class State {
    private Instant now;
    private Duration step = Duration.ZERO;

    State(Instant now) {
      this.now = now;
    }
  }

  private final State state;
  private final ZoneId zone;

  private FakeClock(State state, ZoneId zone) {
    this.state = state;
    this.zone = zone;
  }

  /** Returns a clock standing at {@code instant}, in UTC. */
  public static FakeClock at(Instant instant) {
    return new FakeClock(new State(Objects.requireNonNull(instant, "instant")), ZoneOffset.UTC);
  }

  /** Returns a clock standing at {@code instant}, in {@code zone}. */
  public static FakeClock at(Instant instant, ZoneId zone) {
    return new FakeClock(
        new State(Objects.requireNonNull(instant, "instant")),
        Objects.requireNonNull(zone, "zone"));
  }

  /** Returns a clock standing at 2025-01-01T00:00:00Z, in UTC: a fixed, unremarkable start. */
  public static FakeClock atDefaultStart() {
    return at(Instant.parse("2025-01-01T00:00:00Z"));
  }

  /**
   * Returns the current instant and, when {@linkplain #autoAdvance(Duration) auto-advance} is on,
   * moves the clock on by the step.
   */
  @Override
  public Instant instant() {
    synchronized (state) {
      Instant current = state.now;
      if (!state.step.isZero()) {
        state.now = current.plus(state.step);
      }
      return current;
    }
  }

  /**
   * Returns the current instant without moving the clock, even when auto-advance is on: for a
   * test's own assertions, which should not disturb the time the code under test sees.
   */
  public Instant peek() {
    synchronized (state) {
      return state.now;
    }
  }

  /** Moves the clock to {@code instant}, which may be earlier than now. */
  public void set(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    synchronized (state) {
      state.now = instant;
    }
  }

  /**
   * Moves the clock on by {@code duration}.
   *
   * @throws IllegalArgumentException when {@code duration} is negative (use {@link #set(Instant)}
   *     to go back in time)
   */
  public void advance(Duration duration) {
    requireNotNegative("duration", duration);
    synchronized (state) {
      state.now = state.now.plus(duration);
    }
  }

  /**
   * Makes every later read of {@link #instant()} (and so {@link #millis()}) move the clock on by
   * {@code step} after answering; {@link Duration#ZERO} turns auto-advance off.
   *
   * @throws IllegalArgumentException when {@code step} is negative
   */
  public void autoAdvance(Duration step) {
    requireNotNegative("step", step);
    synchronized (state) {
      state.step = step;
    }
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** Returns a view of this clock in {@code zone}; both share one time. */
  @Override
  public FakeClock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return zone.equals(this.zone) ? this : new FakeClock(state, zone);
  }

  /** Two fake clocks are equal when they share their time and have the same zone. */
  @Override
  public boolean equals(Object o) {
    return o instanceof FakeClock
        && ((FakeClock) o).state == state
        && ((FakeClock) o).zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(state) * 31 + zone.hashCode();
  }

  @Override
  public String toString() {
    return "FakeClock[" + peek() + ", " + zone + "]";
  }

  private static void requireNotNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + ": " + value + "; must not be negative");
    }
  }
}
