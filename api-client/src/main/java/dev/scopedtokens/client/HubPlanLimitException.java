package dev.scopedtokens.client;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The server refused to create a token because the account's plan allows no more. Deleting tokens
 * the account no longer needs (inactive and expired ones count until deleted), or a plan with a
 * higher limit, makes room. Never retried.
 *
 * <p>Recognised by the error code in the body ({@code errinfo.code} {@code "token_limit_exceeded"},
 * as the testkit's fake Docker Hub answers with 403), not by the status alone: Docker Hub also
 * answers 403 to a session that may not manage tokens.
 */
public final class HubPlanLimitException extends HubException {
  private static final long serialVersionUID = 1L;

  /** The plan's name, or null when the server did not say. */
  private final String planName;

  /** The plan's limit, or -1 when the server did not say. */
  private final long limit;

  /** The account's current count, or -1 when the server did not say. */
  private final long current;

  /**
   * Creates the exception.
   *
   * @param message what failed; never a secret
   * @param status the response's status, 400 to 499
   * @param serverMessage the server's explanation, if any
   * @param planName the account's plan, when the server named it
   * @param limit how many tokens the plan allows, when the server said
   * @param current how many the account holds, when the server said
   * @param attempts the requests the call sent
   */
  HubPlanLimitException(
      String message,
      int status,
      Optional<String> serverMessage,
      Optional<String> planName,
      OptionalLong limit,
      OptionalLong current,
      int attempts) {
    super(message, requireStatus(status, 400, 499), serverMessage, attempts, null);
    this.planName = Objects.requireNonNull(planName, "planName").orElse(null);
    this.limit = Objects.requireNonNull(limit, "limit").orElse(-1);
    this.current = Objects.requireNonNull(current, "current").orElse(-1);
  }

  /**
   * Returns the name of the account's plan, when the server named it.
   *
   * @return the plan's name
   */
  public Optional<String> planName() {
    return Optional.ofNullable(planName);
  }

  /**
   * Returns how many tokens the plan allows, when the server said.
   *
   * @return the limit
   */
  public OptionalLong limit() {
    return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  /**
   * Returns how many tokens the account holds, when the server said.
   *
   * @return the current count
   */
  public OptionalLong current() {
    return current < 0 ? OptionalLong.empty() : OptionalLong.of(current);
  }
}
