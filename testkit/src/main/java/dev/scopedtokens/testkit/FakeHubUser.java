package dev.scopedtokens.testkit;

import dev.scopedtokens.plan.Plan;
import java.util.Objects;
import java.util.Optional;

/**
 * An account of the fake Docker Hub: a name, a password, optionally a second factor (TOTP) and
 * optionally a plan of its own (otherwise the server's plan applies).
 *
 * <pre>{@code
 * FakeHubUser alice = FakeHubUser.builder("alice", "correct horse")
 *     .totp(Totp.fromBase32("JBSWY3DPEHPK3PXP"))
 *     .plan(Plan.PRO_2021)
 *     .build();
 * }</pre>
 *
 * <p>It holds a password: it has no {@code equals}, and its {@code toString} shows the name only.
 */
public final class FakeHubUser {
  /** The longest account name accepted. */
  public static final int MAX_NAME_LENGTH = 255;

  private final String name;
  private final String password;
  private final Optional<Totp> totp;
  private final Optional<Plan> plan;

  private FakeHubUser(Builder builder) {
    this.name = builder.name;
    this.password = builder.password;
    this.totp = builder.totp;
    this.plan = builder.plan;
  }

  /**
   * Returns a builder for an account with this name and password.
   *
   * @throws IllegalArgumentException when the name is empty, longer than {@value #MAX_NAME_LENGTH},
   *     or holds whitespace, a control character or {@code :}; or when the password is empty
   */
  public static Builder builder(String name, String password) {
    return new Builder(name, password);
  }

  /** Returns the account name. */
  public String name() {
    return name;
  }

  /**
   * Returns the password. Meant for the fake itself, which hashes it once at registration; never
   * log it.
   */
  public String revealPassword() {
    return password;
  }

  /** Returns the second factor, when the account has two-factor authentication on. */
  public Optional<Totp> totp() {
    return totp;
  }

  /** Returns the account's own plan, when it has one. */
  public Optional<Plan> plan() {
    return plan;
  }

  /** Returns the name and whether two-factor authentication is on; never the password. */
  @Override
  public String toString() {
    return "FakeHubUser[" + name + (totp.isPresent() ? ", 2fa" : "") + "]";
  }

  /** Builds a {@link FakeHubUser}. */
  public static final class Builder {
    private final String name;
    private final String password;
    private Optional<Totp> totp = Optional.empty();
    private Optional<Plan> plan = Optional.empty();

    private Builder(String name, String password) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
      if (name.isEmpty()
          || name.length() > MAX_NAME_LENGTH
          || name.chars()
              .anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == ':')) {
        throw new IllegalArgumentException(
            "user name: must be 1 to "
                + MAX_NAME_LENGTH
                + " characters without whitespace, control characters or ':'");
      }
      if (password.isEmpty()) {
        // Not the name: it may be a secret given in the wrong argument.
        throw new IllegalArgumentException("password: must not be empty");
      }
      this.name = name;
      this.password = password;
    }

    /** Turns two-factor authentication on with this TOTP. */
    public Builder totp(Totp totp) {
      this.totp = Optional.of(Objects.requireNonNull(totp, "totp"));
      return this;
    }

    /** Puts the account on its own plan instead of the server's. */
    public Builder plan(Plan plan) {
      this.plan = Optional.of(Objects.requireNonNull(plan, "plan"));
      return this;
    }

    /** Returns the user. */
    public FakeHubUser build() {
      return new FakeHubUser(this);
    }
  }
}
