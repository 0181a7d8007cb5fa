package dev.scopedtokens.scope;

import dev.scopedtokens.internal.Messages;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * The four repository scopes a token may carry, from the narrowest to the widest.
 *
 * <p>Each scope implies every scope below it: {@code REPO_PUBLIC_READ} &lt; {@code REPO_READ} &lt;
 * {@code REPO_WRITE} &lt; {@code REPO_ADMIN}. A token may carry several; the highest is the
 * {@linkplain #effective(Collection) effective} one, as Docker Hub's API assumes the lower ones.
 *
 * <pre>{@code
 * Scope scope = Scope.parse("repo:write");
 * scope.implies(Scope.REPO_READ);   // true
 * scope.wireValue();                // "repo:write"
 * }</pre>
 */
public enum Scope {
  /** Pull public repositories only. */
  REPO_PUBLIC_READ("repo:public_read"),
  /** Pull public repositories and the private ones the owner can read. */
  REPO_READ("repo:read"),
  /** Read, and push where the owner can write. */
  REPO_WRITE("repo:write"),
  /** Write, and delete where the owner is an administrator. */
  REPO_ADMIN("repo:admin");

  private final String wireValue;

  Scope(String wireValue) {
    this.wireValue = wireValue;
  }

  /** Returns the value used on the wire and in Docker Hub's API, such as {@code repo:read}. */
  public String wireValue() {
    return wireValue;
  }

  /**
   * Returns whether a token with this scope may do everything {@code other} allows.
   *
   * @param other the scope to compare with
   */
  public boolean implies(Scope other) {
    Objects.requireNonNull(other, "other");
    return compareTo(other) >= 0;
  }

  /**
   * Parses a wire value exactly (case and whitespace matter).
   *
   * @param wireValue the value, such as {@code repo:read}
   * @return the scope
   * @throws IllegalArgumentException naming the value and listing the valid ones
   */
  public static Scope parse(String wireValue) {
    return find(wireValue)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "scope: unknown value "
                        + Messages.quote(wireValue)
                        + "; valid values are "
                        + Messages.validScopes()));
  }

  /**
   * Looks a wire value up exactly.
   *
   * @param wireValue the value, such as {@code repo:read}; may be null
   * @return the scope with this exact wire value, or empty when there is none
   */
  public static Optional<Scope> find(String wireValue) {
    if (wireValue == null) {
      return Optional.empty();
    }
    for (Scope scope : values()) {
      if (scope.wireValue.equals(wireValue)) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the highest of the given scopes, the one that decides what a token may do.
   *
   * @param scopes a token's scopes, at least one
   * @throws IllegalArgumentException when {@code scopes} is empty
   */
  public static Scope effective(Collection<Scope> scopes) {
    Objects.requireNonNull(scopes, "scopes");
    return scopes.stream()
        .map(s -> Objects.requireNonNull(s, "scopes must not contain null"))
        .max(Scope::compareTo)
        .orElseThrow(() -> new IllegalArgumentException("scopes: must not be empty"));
  }
}
