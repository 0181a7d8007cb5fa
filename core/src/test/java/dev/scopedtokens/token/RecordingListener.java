package dev.scopedtokens.token;

import java.util.ArrayList;
import java.util.List;

/** Collects events in order; thread-safe. */
final class RecordingListener implements TokenEventListener {
  private final List<TokenEvent> events = new ArrayList<>();

  @Override
  public synchronized void onEvent(TokenEvent event) {
    events.add(event);
  }

  synchronized List<TokenEvent> events() {
    return List.copyOf(events);
  }

  synchronized <T extends TokenEvent> List<T> of(Class<T> type) {
    List<T> matching = new ArrayList<>();
    for (TokenEvent event : events) {
      if (type.isInstance(event)) {
        matching.add(type.cast(event));
      }
    }
    return matching;
  }

  synchronized void clear() {
    events.clear();
  }
}
