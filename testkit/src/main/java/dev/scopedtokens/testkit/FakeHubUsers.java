package dev.scopedtokens.testkit;

import dev.scopedtokens.plan.Plan;
import dev.scopedtokens.plan.PlanResolver;
import dev.scopedtokens.scope.RepositoryAccess;
import dev.scopedtokens.secret.SecretHasher;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.server.accounts.Account;
import dev.scopedtokens.server.accounts.AccountDirectory;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake's accounts, as the server's {@link AccountDirectory}: passwords hashed once at
 * registration, TOTP second factors that refuse a replayed code, and each account's plan.
 */
final class FakeHubUsers implements AccountDirectory {
  /** The password is hashed with {@code hasher}; the last step a TOTP code was accepted for. */
  private record User(
      String passwordHash, Optional<Totp> totp, Optional<Plan> plan, AtomicLong lastStep) {}

  private final ConcurrentMap<String, User> users = new ConcurrentHashMap<>();
  private final Set<String> passwords = ConcurrentHashMap.newKeySet();
  private final SecretHasher hasher;
  private final PlanResolver defaultPlans;
  private final Clock clock;

  FakeHubUsers(SecretHasher hasher, PlanResolver defaultPlans, Clock clock) {
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.defaultPlans = Objects.requireNonNull(defaultPlans, "defaultPlans");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Registers a user, hashing the password once.
   *
   * @throws IllegalArgumentException when a user of that name exists; the message does not repeat
   *     the name, which may be a secret typed into the wrong field
   */
  void add(FakeHubUser user) {
    Objects.requireNonNull(user, "user");
    String hash = hasher.hash(TokenSecret.of(user.revealPassword()));
    User entry = new User(hash, user.totp(), user.plan(), new AtomicLong(Long.MIN_VALUE));
    if (users.putIfAbsent(user.name(), entry) != null) {
      throw new IllegalArgumentException("user: an account of that name exists already");
    }
    passwords.add(user.revealPassword());
  }

  /**
   * Checks that {@code name} is an account.
   *
   * @throws IllegalArgumentException when it is not; the message does not repeat the name
   */
  void requireUser(String name) {
    Objects.requireNonNull(name, "user");
    if (!users.containsKey(name)) {
      throw new IllegalArgumentException("user: no such account; add it first");
    }
  }

  /** Every password registered, so that the journal can mask them wherever they appear. */
  Set<String> passwords() {
    return passwords;
  }

  /** The account's own plan, or the server's. */
  Plan planOf(String account) {
    User user = users.get(account);
    return user != null && user.plan().isPresent()
        ? user.plan().get()
        : defaultPlans.planOf(account);
  }

  /** The same work for an unknown account as for a wrong password: one hash either way. */
  @Override
  public Optional<Account> authenticate(String username, String password) {
    User user = users.get(username);
    if (password.isEmpty()) {
      hasher.verifyDecoy(TokenSecret.of("\0"));
      return Optional.empty();
    }
    TokenSecret presented = TokenSecret.of(password);
    if (user == null) {
      hasher.verifyDecoy(presented);
      return Optional.empty();
    }
    return hasher.verify(user.passwordHash(), presented)
        ? Optional.of(new Account(username, user.totp().isPresent()))
        : Optional.empty();
  }

  /**
   * The code of the current step, the one before or the one after, and never a step at or before
   * the last one accepted: a code is good once (RFC 6238 section 5.2).
   */
  @Override
  public boolean verifySecondFactor(Account account, String code) {
    User user = users.get(account.name());
    if (user == null || user.totp().isEmpty()) {
      return false;
    }
    OptionalLong step = user.totp().get().matchingStep(code, clock.instant());
    if (step.isEmpty()) {
      return false;
    }
    long matched = step.getAsLong();
    long last;
    do {
      last = user.lastStep().get();
      if (matched <= last) {
        return false;
      }
    } while (!user.lastStep().compareAndSet(last, matched));
    return true;
  }

  /** The fake serves the token API only: no repository is reachable through it. */
  @Override
  public RepositoryAccess repositoryAccess(Optional<String> account, String repository) {
    return RepositoryAccess.INACCESSIBLE;
  }
}
