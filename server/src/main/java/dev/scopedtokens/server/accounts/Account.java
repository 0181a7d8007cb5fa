package dev.scopedtokens.server.accounts;

import java.util.Objects;

/**
 * An account that proved its password, as an {@link AccountDirectory} reports it.
 *
 * @param name the account's canonical name: the owner of its tokens in the core
 * @param twoFactor whether the account has two-factor authentication; such an account may not use
 *     its password on the registry token endpoint (Docker Hub's rule), only a personal access
 *     token, and its management API login needs the second factor
 */
public record Account(String name, boolean twoFactor) {
  /** Checks that the name is present and not blank. */
  public Account {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: must not be blank");
    }
  }
}
