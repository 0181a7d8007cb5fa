package dev.scopedtokens.token;

import java.util.Objects;
import java.util.Optional;

/**
 * What the creating client said about itself. Every part is optional; none of it is secret, but all
 * of it came from the client, so it is bounded and free of control characters.
 *
 * @param clientId the client's identifier, such as {@code HUB} or {@code docker-desktop}
 * @param ip the address the request came from
 * @param userAgent the client's user agent
 */
public record ClientInfo(
    Optional<String> clientId, Optional<String> ip, Optional<String> userAgent) {
  /** The longest value kept for any part. */
  public static final int MAX_LENGTH = 512;

  private static final ClientInfo UNKNOWN =
      new ClientInfo(Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Validates every part.
   *
   * @throws IllegalArgumentException naming the part that is too long or has a control character
   */
  public ClientInfo {
    check("clientId", clientId);
    check("ip", ip);
    check("userAgent", userAgent);
  }

  /** Returns a client that said nothing about itself. */
  public static ClientInfo unknown() {
    return UNKNOWN;
  }

  /** Returns a client with all three parts. */
  public static ClientInfo of(String clientId, String ip, String userAgent) {
    return new ClientInfo(
        Optional.of(Objects.requireNonNull(clientId, "clientId")),
        Optional.of(Objects.requireNonNull(ip, "ip")),
        Optional.of(Objects.requireNonNull(userAgent, "userAgent")));
  }

  private static void check(String field, Optional<String> value) {
    Objects.requireNonNull(value, field);
    value.ifPresent(
        v -> {
          if (v.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                "client." + field + ": " + v.length() + " characters; at most " + MAX_LENGTH);
          }
          if (v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(
                "client."
                    + field
                    + ": must not contain control characters; only printable"
                    + " characters and spaces are allowed");
          }
        });
  }
}
