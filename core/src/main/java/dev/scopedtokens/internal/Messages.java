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
  /** The smallest limit of {@link #quote(String, int)}: room for the note of any cut. */
  public static final int MIN_BOUNDED_LIMIT = 32;

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
      appendEscaped(shown, value.charAt(i));
    }
    shown.append('"');
    if (value.length() > MAX_SHOWN) {
      shown.append(cutNote(value));
    }
    return shown.toString();
  }

  /**
   * {@code value} quoted and escaped as {@link #quote(String)} does, in at most {@code limit}
   * characters in all: the escapes, the quotes and the note of a cut count. For a message whose
   * length must stay bounded whatever the input, including input made of characters that are
   * escaped. A cut value ends, after its closing quote, with an ellipsis and its full length; the
   * cut never falls inside an escape.
   *
   * <pre>{@code
   * Messages.quote("x\n".repeat(10_000), 40)   // "x\\u000ax\\u000ax"... (20000 characters)
   * }</pre>
   *
   * @param value the text to show; null is shown as {@code null}
   * @param limit the longest result, at least {@value #MIN_BOUNDED_LIMIT}
   * @throws IllegalArgumentException when {@code limit} is below {@value #MIN_BOUNDED_LIMIT}
   */
  public static String quote(String value, int limit) {
    if (limit < MIN_BOUNDED_LIMIT) {
      throw new IllegalArgumentException(
          "limit: " + limit + "; must be at least " + MIN_BOUNDED_LIMIT);
    }
    if (value == null) {
      return "null";
    }
    StringBuilder shown = new StringBuilder(Math.min(limit, 128)).append('"');
    String note = cutNote(value);
    // Room for the closing quote, and for the note unless the whole value fits.
    int withNote = limit - 1 - note.length();
    int whole = limit - 1;
    int cutAt = -1;
    for (int i = 0; i < value.length(); i++) {
      int before = shown.length();
      appendEscaped(shown, value.charAt(i));
      if (cutAt < 0 && shown.length() > withNote) {
        cutAt = before;
      }
      if (shown.length() > whole) {
        shown.setLength(cutAt);
        return shown.append('"').append(note).toString();
      }
    }
    return shown.append('"').toString();
  }

  private static void appendEscaped(StringBuilder out, char c) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out.append(c);
    } else {
      out.append(String.format("\\u%04x", (int) c));
    }
  }

  private static String cutNote(String value) {
    return "... (" + value.length() + " characters)";
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
