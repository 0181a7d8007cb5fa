package dev.scopedtokens.token;

import dev.scopedtokens.internal.Durations;
import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.plan.PlanResolver;
import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.store.AccountChange;
import dev.scopedtokens.store.AccountPage;
import dev.scopedtokens.store.AccountSnapshot;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.store.TokenStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The service's room for plan checks: what a plan allows a request to ask for, and the limits on
 * how many tokens an account holds. Each rule lives here once, for both the early look before a
 * hash and the decision inside the account's atomic change.
 */
final class PlanRules {
  private PlanRules() {}

  /**
   * The plan of an owner the caller has validated, as the resolver says now: it is asked on every
   * operation a plan limits, so a change of plan applies from the next one.
   *
   * @throws IllegalStateException when the resolver returns null
   */
  static Plan resolve(PlanResolver plans, String owner) {
    Plan plan = plans.planOf(owner);
    if (plan == null) {
      throw new IllegalStateException("the plan resolver returned null for an account");
    }
    return plan;
  }

  /** Refuses a scope the plan does not allow, naming the ones it does. */
  static void checkAllowed(Plan plan, Set<Scope> scopes) {
    for (Scope scope : scopes) {
      if (!plan.allows(scope)) {
        throw new InvalidTokenRequestException(
            "scopes",
            scope.wireValue()
                + " is not allowed on plan \""
                + plan.name()
                + "\"; allowed: "
                + plan.allowedScopes().stream()
                    .map(Scope::wireValue)
                    .collect(Collectors.joining(", ")));
      }
    }
  }

  /**
   * The expiry a manual token gets: none, or the requested instant truncated to microseconds,
   * strictly after now and at most the plan's longest lifetime away (and then required).
   */
  static Optional<Instant> checkExpiry(Plan plan, Optional<Instant> requested, Instant now) {
    Optional<Instant> latest = latestExpiry(plan, now);
    if (requested.isEmpty()) {
      if (latest.isPresent()) {
        throw new InvalidTokenRequestException(
            "expiresAt",
            "required on plan \""
                + plan.name()
                + "\", which limits a token's lifetime to "
                + Durations.forPeople(plan.maxLifetime().get())
                + "; give an instant after now and at most "
                + latest.get());
      }
      return Optional.empty();
    }
    Instant expiresAt = requested.get().truncatedTo(ChronoUnit.MICROS);
    if (!expiresAt.isAfter(now)) {
      throw new InvalidTokenRequestException(
          "expiresAt",
          expiresAt + " is not in the future; give an instant after now (" + now + ")");
    }
    if (latest.isPresent() && expiresAt.isAfter(latest.get())) {
      throw new InvalidTokenRequestException(
          "expiresAt",
          expiresAt
              + " is beyond plan \""
              + plan.name()
              + "\"'s longest lifetime of "
              + Durations.forPeople(plan.maxLifetime().get())
              + "; give an instant at most "
              + latest.get());
    }
    return Optional.of(expiresAt);
  }

  /**
   * The latest expiry the plan allows a token created at {@code now}, or empty when it sets no
   * bound: now plus the plan's longest lifetime, truncated to microseconds like every other instant
   * (so it is after {@code now}: a lifetime is at least {@link Plan#MIN_LIFETIME}), and never past
   * the end of year 9999, the last instant RFC 3339 can write. An auto-generated token gets this
   * expiry.
   */
  static Optional<Instant> latestExpiry(Plan plan, Instant now) {
    return plan.maxLifetime()
        .map(lifetime -> now.plus(lifetime).truncatedTo(ChronoUnit.MICROS))
        .map(at -> at.isAfter(Validation.MAX_INSTANT) ? Validation.MAX_INSTANT : at);
  }

  /** The manual-token limit, for the early look and the atomic change alike. */
  static void checkManualLimit(Plan plan, long current) {
    if (plan.manualTokenLimit().isPresent() && current >= plan.manualTokenLimit().getAsInt()) {
      throw new PlanLimitExceededException(
          plan.name(),
          "manual tokens",
          plan.manualTokenLimit().getAsInt(),
          current,
          "delete a token (inactive, expired and revoked ones count until deleted)"
              + " or move to a plan with a higher limit");
    }
  }

  /**
   * The early look at the manual-token limit, before the hash: it reads outside the account's
   * atomic change, so it only spares a refused request the hash; {@link #admitManual} decides. On a
   * plan without a limit it reads nothing.
   */
  static void lookAtManualLimit(Plan plan, TokenStore store, String owner, Instant now) {
    if (plan.manualTokenLimit().isPresent()) {
      checkManualLimit(plan, countListed(store, owner, TokenOrigin.MANUAL, now));
    }
  }

  /**
   * The change that adds a new manual token to {@code account}, refused when the account holds as
   * many as its plan allows. Run inside the account's atomic change: it decides when creates race.
   */
  static <R> AccountChange<R> admitManual(
      Plan plan, AccountSnapshot account, StoredToken issued, R result) {
    checkManualLimit(plan, account.count(TokenOrigin.MANUAL));
    return AccountChange.put(issued, result);
  }

  /**
   * The plan's cap on auto-generated tokens, read once so that a cap of 0 is refused here, before
   * the hash, and the atomic change that issues the token never sees it.
   *
   * @throws PlanLimitExceededException when the plan keeps no auto-generated tokens
   */
  static int autoGeneratedCap(Plan plan, TokenStore store, String owner, Instant now) {
    int cap = plan.autoGeneratedCap();
    if (cap == 0) {
      throw new PlanLimitExceededException(
          plan.name(),
          "auto-generated tokens",
          0,
          countListed(store, owner, TokenOrigin.AUTO_GENERATED, now),
          "this plan keeps none; create a manual token or move to another plan");
    }
    return cap;
  }

  /**
   * Counts {@code owner}'s tokens of one origin through {@link TokenStore#list}, a read that takes
   * no part in the account's atomic changes: good enough for the early look before a hash, never
   * for the decision itself.
   */
  static long countListed(TokenStore store, String owner, TokenOrigin origin, Instant now) {
    long count = 0;
    long offset = 0;
    while (true) {
      AccountPage page = store.list(owner, offset, PageRequest.MAX_SIZE, now);
      for (StoredToken token : page.tokens()) {
        if (token.token().origin() == origin) {
          count++;
        }
      }
      offset += page.tokens().size();
      if (page.tokens().isEmpty() || offset >= page.total()) {
        return count;
      }
    }
  }
}
