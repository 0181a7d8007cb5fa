package dev.scopedtokens.client;

import dev.scopedtokens.secret.TokenFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rule for account names (usernames and identifiers): not empty, and not shaped like a token. A
 * secret passed in the wrong slot would otherwise be printed by every {@code toString} that names
 * the account.
 */
final class AccountNames {
  /**
   * A Docker access token ({@code dckr_pat_}, {@code dckr_oat_} and the other {@code dckr_} kinds),
   * or a JWT (a base64url JSON header, a dot, a payload, a dot).
   */
  private static final Pattern FOREIGN_TOKEN =
      Pattern.compile("dckr_[a-z]+_|eyJ[0-9A-Za-z_-]*\\.[0-9A-Za-z_-]+\\.");

  /**
   * For masking short text: a Docker access token or a JWT, whole or cut short, and this SDK's
   * prefix followed by base62 digits (a token of its format, or one cut short).
   */
  private static final Pattern MASKED =
      Pattern.compile(
          "dckr_[a-z]+_[0-9A-Za-z_-]*"
              + "|eyJ[0-9A-Za-z_-]*\\.[0-9A-Za-z_-]*(\\.[0-9A-Za-z_-]*)?"
              + "|"
              + Pattern.quote(TokenFormat.defaults().prefix())
              + "[0-9A-Za-z]+");

  private AccountNames() {}

  /** Whether the text contains something shaped like a token or a JWT. */
  static boolean looksLikeToken(String text) {
    // A token of this SDK's format: the core's free-text rule, the one the core applies to owners.
    return FOREIGN_TOKEN.matcher(text).find() || TokenFormat.defaults().containsToken(text);
  }

  /**
   * Replaces everything in short text that is shaped like a token or a JWT, or like the start of
   * one, by {@code mark}. For text of a few hundred characters: messages, after they are cut.
   */
  static String maskTokens(String text, String mark) {
    return MASKED.matcher(text).replaceAll(java.util.regex.Matcher.quoteReplacement(mark));
  }

  /**
   * Returns the name after checking it. The value is never echoed: a token in the wrong slot is
   * still a secret.
   *
   * @throws IllegalArgumentException when it is empty or shaped like a token
   */
  static String require(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + ": must not be empty");
    }
    if (looksLikeToken(value)) {
      throw new IllegalArgumentException(
          field
              + ": looks like an access token or a JWT, not an account name; pass the secret as"
              + " the password or secret, and the account's name as the "
              + field);
    }
    return value;
  }
}
