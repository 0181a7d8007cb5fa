package dev.scopedtokens.client.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The client's credentials, as the login code needs them. Built by the public builder from {@code
 * Credentials}; never printable.
 */
public sealed interface Login permits Login.Password, Login.Secret, Login.Fixed {

  /** {@code POST /v2/users/login}, then {@code /v2/users/2fa-login} when the server asks. */
  static Login password(String username, String password, Optional<Supplier<String>> totpCodes) {
    return new Password(username, password, totpCodes);
  }

  /** {@code POST /v2/auth/token}. */
  static Login secret(String identifier, String secret) {
    return new Secret(identifier, secret);
  }

  /** A JWT used as given and never renewed. */
  static Login fixed(String jwt) {
    return new Fixed(jwt);
  }

  /** Username, password and an optional TOTP supplier. */
  final class Password implements Login {
    final String username;
    final String password;
    final Optional<Supplier<String>> totpCodes;

    private Password(String username, String password, Optional<Supplier<String>> totpCodes) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password");
      this.totpCodes = Objects.requireNonNull(totpCodes, "totpCodes");
    }

    @Override
    public String toString() {
      return "Login.Password[username=" + username + ", password=redacted]";
    }
  }

  /** Identifier and secret. */
  final class Secret implements Login {
    final String identifier;
    final String secret;

    private Secret(String identifier, String secret) {
      this.identifier = Objects.requireNonNull(identifier, "identifier");
      this.secret = Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
      return "Login.Secret[identifier=" + identifier + ", secret=redacted]";
    }
  }

  /** A ready JWT. */
  final class Fixed implements Login {
    final String jwt;

    private Fixed(String jwt) {
      this.jwt = Objects.requireNonNull(jwt, "jwt");
    }

    @Override
    public String toString() {
      return "Login.Fixed[jwt=redacted]";
    }
  }
}
