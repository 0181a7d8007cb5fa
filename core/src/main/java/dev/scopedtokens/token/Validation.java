package dev.scopedtokens.token;

import dev.scopedtokens.internal.Messages;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.TokenFormat;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The input rules of the token package, in one place. Messages never echo free text from the caller
 * (labels, owners, what a client said about itself), so a secret pasted into the wrong field is not
 * repeated into a log; they name the offending character by its code point and index instead.
 */
final class Validation {
  /** The longest owner (account name), in characters. */
  static final int MAX_OWNER_LENGTH = 255;

  /**
   * The earliest instant the service accepts or produces: the start of year 0000, the first that
   * RFC 3339 ({@code date-fullyear = 4DIGIT}) can write.
   */
  static final Instant MIN_INSTANT = Instant.parse("0000-01-01T00:00:00Z");

  /**
   * The latest instant the service accepts or produces: the end of year 9999 at the microsecond
   * precision every instant is kept to, the last that RFC 3339 can write.
   */
  static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

  private Validation() {}

  static String label(String label) {
    Objects.requireNonNull(label, "label");
    int length = label.codePointCount(0, label.length());
    if (length == 0) {
      throw new InvalidTokenRequestException(
          "label", "must not be empty; give 1 to " + AccessToken.MAX_LABEL_LENGTH + " characters");
    }
    if (length > AccessToken.MAX_LABEL_LENGTH) {
      throw new InvalidTokenRequestException(
          "label",
          length + " characters; at most " + AccessToken.MAX_LABEL_LENGTH + " are allowed");
    }
    String character = characterProblem(label);
    if (character != null) {
      throw new InvalidTokenRequestException("label", character);
    }
    if (!hasVisibleCharacter(label)) {
      throw new InvalidTokenRequestException(
          "label",
          "must not be blank; give at least one visible character (spaces, no-break spaces and"
              + " combining marks alone are not)");
    }
    return label;
  }

  static String owner(String owner) {
    Objects.requireNonNull(owner, "owner");
    String problem = ownerProblem(owner);
    if (problem != null) {
      throw new InvalidTokenRequestException("owner", problem);
    }
    return owner;
  }

  /** Returns whether {@link #owner} accepts {@code owner}, without building an exception. */
  static boolean isValidOwner(String owner) {
    return ownerProblem(owner) == null;
  }

  /**
   * Validates an owner: the rules above, and no token of {@code format} in it (see {@link
   * #notAToken}).
   */
  static String owner(TokenFormat format, String owner) {
    return notAToken(format, "owner", owner(owner));
  }

  /** The same rules as {@link #owner(TokenFormat, String)}, without building an exception. */
  static boolean isValidOwner(TokenFormat format, String owner) {
    return isValidOwner(owner) && !format.containsToken(owner);
  }

  /**
   * Refuses free text that contains a token of {@code format}: a token pasted into a label or a
   * user name would otherwise be stored and shown in plain sight.
   */
  /**
   * Refuses a client part that contains a token of {@code format}, by the same rule as labels and
   * owners: a client id, address or user agent is stored, printed with the token and, for an
   * auto-generated token, becomes its label.
   */
  static ClientInfo client(TokenFormat format, ClientInfo client) {
    client.clientId().ifPresent(v -> notAToken(format, "client.clientId", v));
    client.ip().ifPresent(v -> notAToken(format, "client.ip", v));
    client.userAgent().ifPresent(v -> notAToken(format, "client.userAgent", v));
    return client;
  }

  static String notAToken(TokenFormat format, String field, String value) {
    if (format.containsToken(value)) {
      throw new InvalidTokenRequestException(
          field, "looks like an access token; never put a token's secret into the " + field);
    }
    return value;
  }

  /** The owner rules: the problem and what is allowed, or null when there is none. */
  private static String ownerProblem(String owner) {
    if (owner.length() > 2 * MAX_OWNER_LENGTH) {
      // Decided without reading it: a code point takes at most two UTF-16 units. So an account name
      // of megabytes presented with a token costs no more than a short one.
      return "more than "
          + MAX_OWNER_LENGTH
          + " characters; at most "
          + MAX_OWNER_LENGTH
          + " are allowed";
    }
    int length = owner.codePointCount(0, owner.length());
    if (length > MAX_OWNER_LENGTH) {
      return length + " characters; at most " + MAX_OWNER_LENGTH + " are allowed";
    }
    String character = characterProblem(owner);
    if (character != null) {
      return character;
    }
    if (!hasVisibleCharacter(owner)) {
      return "must not be blank; give the account's name, 1 to " + MAX_OWNER_LENGTH + " characters";
    }
    return null;
  }

  static Set<Scope> scopes(Set<Scope> scopes) {
    Objects.requireNonNull(scopes, "scopes");
    for (Scope scope : scopes) {
      Objects.requireNonNull(scope, "scopes must not contain null");
    }
    if (scopes.isEmpty()) {
      throw new InvalidTokenRequestException(
          "scopes", "must not be empty; give at least one of " + Messages.validScopes());
    }
    return Collections.unmodifiableSet(EnumSet.copyOf(scopes));
  }

  /**
   * Checks that {@code instant} lies within what RFC 3339 can write, years 0000 to 9999.
   *
   * @throws InvalidTokenRequestException naming {@code field} and the range
   */
  static Instant instant(String field, Instant instant) {
    Objects.requireNonNull(instant, field);
    if (!isWritable(instant)) {
      // An instant is not free text: quoting it is safe and tells the caller what went wrong.
      throw new InvalidTokenRequestException(field, outsideRfc3339(instant));
    }
    return instant;
  }

  /** Whether RFC 3339 can write {@code instant}: years 0000 to 9999. */
  static boolean isWritable(Instant instant) {
    return !instant.isBefore(MIN_INSTANT) && !instant.isAfter(MAX_INSTANT);
  }

  /** The problem with an instant that {@link #isWritable} refuses, and the range. */
  static String outsideRfc3339(Instant instant) {
    return instant
        + " is outside what RFC 3339 can write; give an instant from "
        + MIN_INSTANT
        + " to "
        + MAX_INSTANT;
  }

  /**
   * The character rule of every free-text field (labels, owners, and what a client says about
   * itself): the first character that is refused, by code point, name and UTF-16 index (as {@link
   * String#charAt} counts), or null when every character is allowed. Refused: unpaired surrogates,
   * control characters (Cc), format characters (Cf: the bidirectional controls U+061C, U+200E,
   * U+200F, U+202A to U+202E and U+2066 to U+2069, zero-width characters, the byte order mark) and
   * the line and paragraph separators U+2028 and U+2029. Such characters either cannot be encoded
   * (a lone surrogate is not UTF-8), or change how the text around them is shown, so a label could
   * pretend to be another in a list or a log.
   */
  static String characterProblem(String value) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      String kind = refusedKind(c);
      if (kind != null) {
        return "has "
            + describe(c)
            + ", "
            + kind
            + ", at index "
            + i
            + "; only visible characters and spaces are allowed";
      }
      i += Character.charCount(c);
    }
    return null;
  }

  /** What kind of refused character {@code c} is, or null when it is allowed. */
  private static String refusedKind(int c) {
    if (Character.isSurrogate((char) c) && Character.isBmpCodePoint(c)) {
      return "an unpaired surrogate"; // codePointAt returns a lone surrogate as itself
    }
    if (isBidiControl(c)) {
      return "a bidirectional control";
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL -> "a control character";
      case Character.FORMAT -> "an invisible format character";
      case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
          "a line or paragraph separator";
      default -> null;
    };
  }

  private static boolean isBidiControl(int c) {
    return c == 0x061C
        || c == 0x200E
        || c == 0x200F
        || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /** {@code U+202E (RIGHT-TO-LEFT OVERRIDE)}: safe to print, whatever the character is. */
  private static String describe(int c) {
    String code = String.format(Locale.ROOT, "U+%04X", c);
    String name = Character.getName(c);
    return name == null ? code : code + " (" + name + ")";
  }

  /**
   * Whether {@code value} has a character that shows: not whitespace, not a space separator (the
   * no-break spaces), not a combining mark on its own.
   */
  private static boolean hasVisibleCharacter(String value) {
    return value
        .codePoints()
        .anyMatch(
            c ->
                !Character.isWhitespace(c)
                    && !Character.isSpaceChar(c)
                    && Character.getType(c) != Character.NON_SPACING_MARK
                    && Character.getType(c) != Character.ENCLOSING_MARK);
  }
}
