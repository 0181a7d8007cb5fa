package dev.scopedtokens.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Removes the client's own secrets (password, secret, TOTP codes, login tokens, JWTs) from text
 * that came from a server before that text reaches an exception message. A server that echoes a
 * credential back must not turn it into a log line.
 *
 * <p>{@link #clean(String)} is the one way server text enters a message: redact first, then cut, so
 * that a cut can never leave part of a secret the redactor would have recognised whole.
 */
final class Redactor {
  static final String MARK = "[redacted]";

  /** Server text is cut to this many code points in messages. */
  static final int MESSAGE_LIMIT = 300;

  /** Bounds the memory of past one-time values; the long-lived secrets are added first and kept. */
  private static final int MAX_ONE_TIME = 32;

  private final Deque<String> longLived = new ArrayDeque<>();
  private final Deque<String> oneTime = new ArrayDeque<>();

  /** Remembers a secret that lives as long as the client (a password or a fixed JWT). */
  synchronized void addLongLived(String secret) {
    Objects.requireNonNull(secret, "secret");
    if (!secret.isEmpty()) {
      longLived.add(secret);
    }
  }

  /** Remembers a secret that is replaced over time (a JWT, a TOTP code, a login token). */
  synchronized void addOneTime(String secret) {
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
  synchronized String redact(String text) {
    String result = text;
    // Longer secrets first, so that one secret inside another cannot leave a fragment behind.
    for (String secret : ordered()) {
      if (result.contains(secret)) {
        result = result.replace(secret, MARK);
      }
    }
    return result;
  }

  /**
   * Returns server text fit for a message: every remembered secret replaced by a mark, then cut to
   * {@value #MESSAGE_LIMIT} code points, then anything shaped like a token or a JWT (whole, or cut
   * at the end) masked too, with control characters shown as spaces.
   */
  String clean(String text) {
    String redacted = redact(text);
    StringBuilder cut = new StringBuilder();
    redacted
        .codePoints()
        .limit(MESSAGE_LIMIT)
        .forEach(c -> cut.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
    // A token the client does not know (one the server echoes from elsewhere) is a secret too.
    String masked = AccountNames.maskTokens(cut.toString(), MARK);
    return redacted.codePointCount(0, redacted.length()) > MESSAGE_LIMIT ? masked + "..." : masked;
  }

  private List<String> ordered() {
    List<String> all = new ArrayList<>(longLived);
    all.addAll(oneTime);
    all.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return all;
  }
}
