package dev.scopedtokens.scope;

/** Quotes caller input for error messages: bounded and with control characters escaped. */
final class Echo {
  private static final int MAX_SHOWN = 60;

  private Echo() {}

  /**
   * Returns {@code value} in double quotes, cut to a bounded length so that hostile input cannot
   * flood a log, and with control and non-ASCII characters escaped so it cannot forge log lines.
   */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder shown = new StringBuilder(Math.min(value.length(), MAX_SHOWN) + 8).append('"');
    int limit = Math.min(value.length(), MAX_SHOWN);
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        shown.append(c);
      } else {
        shown.append(String.format("\\u%04x", (int) c));
      }
    }
    shown.append('"');
    if (value.length() > MAX_SHOWN) {
      shown.append("... (").append(value.length()).append(" characters)");
    }
    return shown.toString();
  }
}
