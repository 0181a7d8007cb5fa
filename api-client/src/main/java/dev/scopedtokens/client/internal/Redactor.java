package dev.scopedtokens.client.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Removes the client's own secrets (password, secret, TOTP codes, login tokens, JWTs) from text
 * that came from a server before that text reaches an exception message. A server that echoes a
 * credential back must not turn it into a log line.
 */
public final class Redactor {
  static final String MARK = "[redacted]";

  /** Bounds the memory of past one-time values; the long-lived secrets are added first and kept. */
  private static final int MAX_ONE_TIME = 32;

  private final Deque<String> longLived = new ArrayDeque<>();
  private final Deque<String> oneTime = new ArrayDeque<>();

  /** Remembers a secret that lives as long as the client (a password or a fixed JWT). */
  public synchronized void addLongLived(String secret) {
    Objects.requireNonNull(secret, "secret");
    if (!secret.isEmpty()) {
      longLived.add(secret);
    }
  }

  /** Remembers a secret that is replaced over time (a JWT, a TOTP code, a login token). */
  public synchronized void addOneTime(String secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.isEmpty()) {
      return;
    }
    oneTime.addFirst(secret);
    while (oneTime.size() > MAX_ONE_TIME) {
      oneTime.removeLast();
    }
  }

  /** Returns the text with every remembered secret replaced by a mark. */
  public synchronized String redact(String text) {
    String result = text;
    // Longer secrets first, so that one secret inside another cannot leave a fragment behind.
    for (String secret : ordered()) {
      if (result.contains(secret)) {
        result = result.replace(secret, MARK);
      }
    }
    return result;
  }

  private List<String> ordered() {
    List<String> all = new ArrayList<>(longLived);
    all.addAll(oneTime);
    all.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return all;
  }
}
