package dev.scopedtokens.scope;

import java.util.Objects;

/**
 * Whether a token may do one registry action on one repository, and why.
 *
 * @param action the action decided on
 * @param allowed whether the token may do it
 * @param reason why, in words fit for a log line or an {@code insufficient_scope} error
 */
public record RepositoryDecision(RegistryAction action, boolean allowed, String reason) {

  /**
   * Checks that no component is null.
   *
   * @param action the action decided on
   * @param allowed whether the token may do it
   * @param reason why
   */
  public RepositoryDecision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(reason, "reason");
  }
}
