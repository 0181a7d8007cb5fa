package dev.scopedtokens.plan;

import java.util.Objects;

/**
 * Tells the token service which plan an account is on. It is asked on every operation that a plan
 * limits, so a change of plan applies from the next operation.
 */
@FunctionalInterface
public interface PlanResolver {
  /**
   * Returns the plan an account is on; never null.
   *
   * @param account the account's name
   */
  Plan planOf(String account);

  /**
   * Returns a resolver that puts every account on one plan.
   *
   * @param plan the plan
   */
  static PlanResolver fixed(Plan plan) {
    Objects.requireNonNull(plan, "plan");
    return account -> plan;
  }
}
