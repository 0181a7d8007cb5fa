package dev.scopedtokens.token;

import dev.scopedtokens.scope.Scope;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the owner asks for when creating a manual token.
 *
 * <pre>{@code
 * TokenRequest request = TokenRequest.of("CI pipeline", Scope.REPO_READ)
 *     .expiringAt(clock.instant().plus(Duration.ofDays(30)))
 *     .from(ClientInfo.of("HUB", "203.0.113.7", "curl/8.5"));
 * }</pre>
 *
 * <p>The label and scopes are checked here; whether the plan allows the scopes and the expiry is
 * checked by {@link TokenService#create}, which knows the plan and the time.
 *
 * @param label 1 to 100 characters, not blank, no control characters
 * @param scopes at least one scope
 * @param expiresAt when the token should stop working, if ever, at most {@code
 *     9999-12-31T23:59:59.999999Z} (the last instant RFC 3339 can write); fixed at creation
 * @param client what the creating client said about itself
 */
public record TokenRequest(
    String label, Set<Scope> scopes, Optional<Instant> expiresAt, ClientInfo client) {

  /**
   * Validates the components and copies {@code scopes}.
   *
   * @throws InvalidTokenRequestException naming the label, scopes or expiry rule that is broken
   */
  public TokenRequest {
    label = Validation.label(label);
    scopes = Validation.scopes(scopes);
    Objects.requireNonNull(expiresAt, "expiresAt");
    expiresAt.ifPresent(at -> Validation.instant("expiresAt", at));
    Objects.requireNonNull(client, "client");
  }

  /** Returns a request for a token that never expires, from an unknown client. */
  public static TokenRequest of(String label, Set<Scope> scopes) {
    return new TokenRequest(label, scopes, Optional.empty(), ClientInfo.unknown());
  }

  /** Returns a request for a token with these scopes that never expires, from an unknown client. */
  public static TokenRequest of(String label, Scope... scopes) {
    Objects.requireNonNull(scopes, "scopes");
    Set<Scope> set = EnumSet.noneOf(Scope.class);
    set.addAll(Arrays.asList(scopes));
    return of(label, set);
  }

  /** Returns a copy that expires at {@code expiresAt}. */
  public TokenRequest expiringAt(Instant expiresAt) {
    Objects.requireNonNull(expiresAt, "expiresAt");
    return new TokenRequest(label, scopes, Optional.of(expiresAt), client);
  }

  /** Returns a copy made by {@code client}. */
  public TokenRequest from(ClientInfo client) {
    return new TokenRequest(label, scopes, expiresAt, client);
  }
}
