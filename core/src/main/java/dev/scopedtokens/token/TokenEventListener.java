package dev.scopedtokens.token;

/**
 * Receives {@link TokenEvent}s from a {@link TokenService}, after the change they describe is
 * committed, on the thread that made it.
 *
 * <p>Keep it fast (hand off to a queue for slow work). An exception it throws is logged at {@code
 * WARNING} through {@link System.Logger} and dropped: it never fails or undoes the operation, and
 * the other listeners still receive the event.
 */
@FunctionalInterface
public interface TokenEventListener {
  /** Handles one event. */
  void onEvent(TokenEvent event);
}
