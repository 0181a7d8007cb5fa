package dev.scopedtokens.token;

import java.util.Objects;

/**
 * The account's plan does not allow one more token. Nothing was created.
 *
 * <p>Thrown when an account already holds as many manual tokens as its plan allows (inactive,
 * expired and revoked tokens count until they are deleted), and when a plan keeps no auto-generated
 * tokens at all. A plan whose limit was lowered keeps the tokens above it, but refuses new ones
 * until the account is under the limit again.
 */
public final class PlanLimitExceededException extends TokenException {
  private static final long serialVersionUID = 1L;

  /** The plan; see {@link #planName()}. */
  private final String planName;

  /** The limit; see {@link #limit()}. */
  private final int limit;

  /** The count; see {@link #current()}. */
  private final long current;

  /**
   * Creates an exception.
   *
   * @param planName the plan's name
   * @param limitName what is limited, such as {@code manual tokens}
   * @param limit the plan's limit
   * @param current how many the account holds
   * @param remedy what the caller can do about it
   */
  PlanLimitExceededException(
      String planName, String limitName, int limit, long current, String remedy) {
    super(
        Objects.requireNonNull(limitName, "limitName")
            + ": the account holds "
            + current
            + " and plan \""
            + Objects.requireNonNull(planName, "planName")
            + "\" allows at most "
            + limit
            + "; "
            + Objects.requireNonNull(remedy, "remedy"));
    this.planName = planName;
    this.limit = limit;
    this.current = current;
  }

  /** Returns the name of the account's plan. */
  public String planName() {
    return planName;
  }

  /** Returns the plan's limit. */
  public int limit() {
    return limit;
  }

  /** Returns how many the account held when the operation was refused. */
  public long current() {
    return current;
  }
}
