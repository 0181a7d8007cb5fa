package dev.scopedtokens.token;

import dev.scopedtokens.internal.TokenRules;
import dev.scopedtokens.scope.Scope;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What is known about a token, never its secret.
 *
 * <p>Instances are immutable snapshots returned by {@link TokenService}; the status is derived from
 * the flags and a point in time with {@link #status(Instant)}.
 *
 * @param id the token's identifier
 * @param owner the account that owns the token
 * @param label the owner's name for the token, 1 to {@value #MAX_LABEL_LENGTH} characters
 * @param scopes the scopes the token carries, never empty
 * @param origin manual or auto-generated
 * @param active false when the owner deactivated the token
 * @param createdAt when the token was issued
 * @param lastUsedAt when it was last verified successfully, as far as the store knows
 * @param expiresAt when it stops working, if ever
 * @param revokedAt when it was revoked, if it was
 * @param client the client that created it, as far as it said
 */
public record AccessToken(
    UUID id,
    String owner,
    String label,
    Set<Scope> scopes,
    TokenOrigin origin,
    boolean active,
    Instant createdAt,
    Optional<Instant> lastUsedAt,
    Optional<Instant> expiresAt,
    Optional<Instant> revokedAt,
    ClientInfo client) {

  /**
   * The longest label, in characters (Unicode code points), as Docker Hub's API allows: {@value}.
   */
  public static final int MAX_LABEL_LENGTH = 100;

  /** Validates the components and makes {@code scopes} an unmodifiable copy. */
  public AccessToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(scopes, "scopes");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(client, "client");
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("scopes: must not be empty; give at least one scope");
    }
    scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes));
  }

  /** Returns the highest of the token's scopes, the one that decides what it may do. */
  public Scope effectiveScope() {
    return Scope.effective(scopes);
  }

  /** The status at {@code now}: revoked before expired before inactive before active. */
  public TokenStatus status(Instant now) {
    Objects.requireNonNull(now, "now");
    return TokenRules.status(active, expiresAt.orElse(null), revokedAt.orElse(null), now);
  }

  /** Returns when this token was last used, or when it was created if it never was. */
  public Instant lastActivity() {
    return lastUsedAt.orElse(createdAt);
  }

  /** A token issued at {@code now}: active, never used, not revoked. Package-private, not API. */
  static AccessToken issued(
      UUID id,
      String owner,
      String label,
      Set<Scope> scopes,
      TokenOrigin origin,
      Instant now,
      Optional<Instant> expiresAt,
      ClientInfo client) {
    return new AccessToken(
        id,
        owner,
        label,
        scopes,
        origin,
        true,
        now,
        Optional.empty(),
        expiresAt,
        Optional.empty(),
        client);
  }

  /** A manual token issued at {@code now} for {@code request}. Package-private, not API. */
  static AccessToken manual(
      UUID id, String owner, TokenRequest request, Instant now, Optional<Instant> expiresAt) {
    return issued(
        id,
        owner,
        request.label(),
        request.scopes(),
        TokenOrigin.MANUAL,
        now,
        expiresAt,
        request.client());
  }

  // Copies with one component changed, for the service's rooms; package-private, not API.

  AccessToken withLabel(String newLabel) {
    return new AccessToken(
        id,
        owner,
        newLabel,
        scopes,
        origin,
        active,
        createdAt,
        lastUsedAt,
        expiresAt,
        revokedAt,
        client);
  }

  AccessToken withScopes(Set<Scope> newScopes) {
    return new AccessToken(
        id,
        owner,
        label,
        newScopes,
        origin,
        active,
        createdAt,
        lastUsedAt,
        expiresAt,
        revokedAt,
        client);
  }

  AccessToken withActive(boolean newActive) {
    return new AccessToken(
        id,
        owner,
        label,
        scopes,
        origin,
        newActive,
        createdAt,
        lastUsedAt,
        expiresAt,
        revokedAt,
        client);
  }

  AccessToken withRevokedAt(Instant at) {
    return new AccessToken(
        id,
        owner,
        label,
        scopes,
        origin,
        active,
        createdAt,
        lastUsedAt,
        expiresAt,
        Optional.of(at),
        client);
  }

  AccessToken withLastUsedAt(Instant at) {
    return new AccessToken(
        id,
        owner,
        label,
        scopes,
        origin,
        active,
        createdAt,
        Optional.of(at),
        expiresAt,
        revokedAt,
        client);
  }
}
