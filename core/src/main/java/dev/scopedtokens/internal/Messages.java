package dev.scopedtokens.internal;

import dev.scopedtokens.scope.Scope;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Text that error messages share across the modules, written once: how caller input is quoted, and
 * the list of valid scopes.
 *
 * <p>Not API: exported only to the project's own modules, and may change in any release.
 */
public final class Messages {
  private static final int MAX_SHOWN = 60;

  private Messages() {}

  /**
   * {@code value} in double quotes, for an error message: cut to 60 characters so that hostile
   * input cannot flood a log, and with control, non-ASCII, quote and backslash characters escaped
   * as {@code \\uXXXX} so it cannot forge log lines. A cut value ends with its full length.
   *
   * <p>Quote only what is not secret: quoting bounds and escapes, it does not redact.
   *
   * <pre>{@code
   * "scope: unknown value " + Messages.quote(wireValue)   // scope: unknown value "repo:READ"
   * }</pre>
   *
   * @param value the text to show; null is shown as {@code null}
   */
  public static String quote(String value) {
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

  /**
   * The valid scopes' wire values, narrowest first, for a message that says what is allowed: {@code
   * repo:public_read, repo:read, repo:write, repo:admin}.
   */
  public static String validScopes() {
    return ValidScopes.TEXT;
  }

  /** Built on first use, so that {@link Scope}'s own initialisation never waits for this class. */
  private static final class ValidScopes {
    static final String TEXT =
        Arrays.stream(Scope.values()).map(Scope::wireValue).collect(Collectors.joining(", "));
  }
}
