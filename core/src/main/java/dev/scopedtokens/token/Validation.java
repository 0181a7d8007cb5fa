package dev.scopedtokens.token;

import dev.scopedtokens.internal.Messages;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.TokenFormat;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The input rules of the token package, in one place. Messages never echo free text from the caller
 * (labels and owners), so a secret pasted into the wrong field is not repeated into a log.
 */
final class Validation {
  /** The longest owner (account name), in characters. */
  static final int MAX_OWNER_LENGTH = 255;

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
    String control = controlProblem(label);
    if (control != null) {
      throw new InvalidTokenRequestException("label", control);
    }
    if (label.isBlank()) {
      throw new InvalidTokenRequestException(
          "label", "must not be blank; give at least one character that is not whitespace");
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
  static String notAToken(TokenFormat format, String field, String value) {
    if (format.containsToken(value)) {
      throw new InvalidTokenRequestException(
          field, "looks like an access token; never put a token's secret into the " + field);
    }
    return value;
  }

  /** The owner rules: the problem and what is allowed, or null when there is none. */
  private static String ownerProblem(String owner) {
    int length = owner.codePointCount(0, owner.length());
    if (length > MAX_OWNER_LENGTH) {
      return length + " characters; at most " + MAX_OWNER_LENGTH + " are allowed";
    }
    String control = controlProblem(owner);
    if (control != null) {
      return control;
    }
    if (owner.isBlank()) {
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

  private static String controlProblem(String value) {
    for (int i = 0, position = 1; i < value.length(); position++) {
      int c = value.codePointAt(i);
      if (Character.isISOControl(c)) {
        return "has a control character at position "
            + position
            + "; only printable characters and spaces are allowed";
      }
      i += Character.charCount(c);
    }
    return null;
  }
}
