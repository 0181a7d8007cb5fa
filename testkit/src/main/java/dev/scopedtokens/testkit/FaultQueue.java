package dev.scopedtokens.testkit;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/** The faults still to be played, in the order they were injected, each a number of times. */
final class FaultQueue {
  private static final class Pending {
    final Fault fault;
    int remaining;

    Pending(Fault fault, int remaining) {
      this.fault = fault;
      this.remaining = remaining;
    }
  }

  private final Deque<Pending> pending = new ArrayDeque<>();

  synchronized void add(Fault fault, int times) {
    Objects.requireNonNull(fault, "fault");
    if (times < 1) {
      throw new IllegalArgumentException("times: " + times + "; must be 1 or more");
    }
    pending.addLast(new Pending(fault, times));
  }

  /** Takes the fault for the request at hand, if one is pending. */
  synchronized Optional<Fault> poll() {
    Pending head = pending.peekFirst();
    if (head == null) {
      return Optional.empty();
    }
    if (--head.remaining == 0) {
      pending.removeFirst();
    }
    return Optional.of(head.fault);
  }

  synchronized void clear() {
    pending.clear();
  }
}
