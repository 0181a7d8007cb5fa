package dev.scopedtokens.client;

import dev.scopedtokens.secret.TokenSecret;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the client obtains the bearer JWT that every access-token call needs.
 *
 * <ul>
 *   <li>{@link #password(String, String)}: {@code POST /v2/users/login}, and for an account with
 *       two-factor authentication {@link #password(String, String, Supplier)} adds {@code POST
 *       /v2/users/2fa-login} with a fresh TOTP code;
 *   <li>{@link #secret(String, String)}: {@code POST /v2/auth/token} with a username and password,
 *       or an organisation name and organisation token;
 *   <li>{@link #bearer(String)}: a JWT obtained elsewhere, used as it is and never renewed.
 * </ul>
 *
 * <p>The client renews a JWT shortly before it expires and once after a 401. Docker Hub refuses
 * token management to a session that began with a personal access token; log in with the password
 * to manage tokens.
 *
 * <p>No credentials object ever shows a password, secret, TOTP code or JWT: {@code toString} names
 * the kind and the account only. A username or identifier shaped like a token (a Docker access
 * token {@code dckr_pat_...} or {@code dckr_oat_...}, a token of this SDK's format, or a JWT) is
 * refused, so that a secret passed in the wrong slot is never printed as an account name.
 */
public sealed interface Credentials
    permits Credentials.UsernamePassword, Credentials.IdentifierSecret, Credentials.BearerToken {

  /**
   * Logs in with {@code POST /v2/users/login}.
   *
   * @param username the Docker ID
   * @param password the account's password
   * @return the credentials
   * @throws IllegalArgumentException when a part is empty, or the username is shaped like a token
   */
  static Credentials password(String username, String password) {
    return new UsernamePassword(username, password, Optional.empty());
  }

  /**
   * Logs in with {@code POST /v2/users/login} and, when the server asks for a second factor, with
   * {@code POST /v2/users/2fa-login} and a code from {@code totpCodes}.
   *
   * @param username the Docker ID
   * @param password the account's password
   * @param totpCodes called once per two-factor login for the current time-based one-time code
   * @return the credentials
   * @throws IllegalArgumentException when a part is empty, or the username is shaped like a token
   */
  static Credentials password(String username, String password, Supplier<String> totpCodes) {
    Objects.requireNonNull(totpCodes, "totpCodes");
    return new UsernamePassword(username, password, Optional.of(totpCodes));
  }

  /**
   * Logs in with {@code POST /v2/auth/token}.
   *
   * <p>Docker Hub accepts a password, a personal access token or an organisation access token as
   * the secret. A session opened with an access token may not manage access tokens: such calls fail
   * with {@link HubForbiddenException}.
   *
   * @param identifier the username, or the organisation name for an organisation token
   * @param secret the password or access token
   * @return the credentials
   * @throws IllegalArgumentException when a part is empty, or the identifier is shaped like a token
   */
  static Credentials secret(String identifier, String secret) {
    return new IdentifierSecret(identifier, secret);
  }

  /**
   * Logs in with {@code POST /v2/auth/token} with an access token the caller holds.
   *
   * @param identifier the username, or the organisation name for an organisation token
   * @param secret the access token
   * @return the credentials
   * @throws IllegalArgumentException when the identifier is empty or shaped like a token
   */
  static Credentials secret(String identifier, TokenSecret secret) {
    Objects.requireNonNull(secret, "secret");
    return new IdentifierSecret(identifier, secret.reveal());
  }

  /**
   * Uses a bearer JWT obtained elsewhere. The client cannot renew it: once it expires, calls fail
   * with {@link HubAuthenticationException}.
   *
   * @param jwt the JWT, without the {@code Bearer } prefix
   * @return the credentials
   * @throws IllegalArgumentException when the JWT is empty or contains whitespace
   */
  static Credentials bearer(String jwt) {
    return new BearerToken(jwt);
  }

  /**
   * The account these credentials log in as.
   *
   * @return the username or identifier, or empty for a ready bearer JWT
   */
  Optional<String> account();

  /** A username and password, optionally with a source of TOTP codes. */
  final class UsernamePassword implements Credentials {
    private final String username;
    private final String password;
    private final Optional<Supplier<String>> totpCodes;

    private UsernamePassword(
        String username, String password, Optional<Supplier<String>> totpCodes) {
      this.username = AccountNames.require("username", username);
      this.password = requireText("password", password);
      this.totpCodes = totpCodes;
    }

    /**
     * The Docker ID.
     *
     * @return the username, never shaped like a token
     */
    public String username() {
      return username;
    }

    /**
     * Whether a TOTP supplier was given for the two-factor step.
     *
     * @return true when the login can answer a second-factor challenge
     */
    public boolean hasSecondFactor() {
      return totpCodes.isPresent();
    }

    @Override
    public Optional<String> account() {
      return Optional.of(username);
    }

    String password() {
      return password;
    }

    Optional<Supplier<String>> totpCodes() {
      return totpCodes;
    }

    @Override
    public String toString() {
      return "Credentials.password[username="
          + username
          + ", password=redacted"
          + (totpCodes.isPresent() ? ", totp=supplier" : "")
          + "]";
    }
  }

  /** An identifier and secret for {@code POST /v2/auth/token}. */
  final class IdentifierSecret implements Credentials {
    private final String identifier;
    private final String secret;

    private IdentifierSecret(String identifier, String secret) {
      this.identifier = AccountNames.require("identifier", identifier);
      this.secret = requireText("secret", secret);
    }

    /**
     * The username or organisation name.
     *
     * @return the identifier, never shaped like a token
     */
    public String identifier() {
      return identifier;
    }

    @Override
    public Optional<String> account() {
      return Optional.of(identifier);
    }

    String secret() {
      return secret;
    }

    @Override
    public String toString() {
      return "Credentials.secret[identifier=" + identifier + ", secret=redacted]";
    }
  }

  /** A bearer JWT obtained elsewhere. */
  final class BearerToken implements Credentials {
    private final String jwt;

    private BearerToken(String jwt) {
      Objects.requireNonNull(jwt, "jwt");
      if (jwt.isEmpty() || jwt.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        // The value is not echoed: it is a credential even when malformed.
        throw new IllegalArgumentException(
            "jwt: must be non-empty visible ASCII without spaces and without the 'Bearer ' prefix");
      }
      this.jwt = jwt;
    }

    @Override
    public Optional<String> account() {
      return Optional.empty();
    }

    String jwt() {
      return jwt;
    }

    @Override
    public String toString() {
      return "Credentials.bearer[jwt=redacted]";
    }
  }

  private static String requireText(String field, String value) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(field + ": must not be empty");
    }
    return value;
  }
}
