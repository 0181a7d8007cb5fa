package dev.scopedtokens.scope;

import java.util.Objects;

/**
 * The answer to whether a token may do an account action: always no, with the reason.
 *
 * @param action the action decided on
 * @param reason why it is denied and what to do instead, in words fit for an error message
 */
public record AccountDecision(AccountAction action, String reason) {

  /**
   * Checks that no component is null.
   *
   * @param action the action decided on
   * @param reason why it is denied
   */
  public AccountDecision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * Returns whether the action is allowed: never, no access token may administer its account.
   *
   * @return {@code false}
   */
  public boolean allowed() {
    return false;
  }
}
