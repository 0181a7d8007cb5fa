package dev.scopedtokens.token;

import java.util.Objects;
import java.util.Optional;

/**
 * What the creating client said about itself. Every part is optional; none of it is secret, but all
 * of it came from the client, so it follows the rules of every free-text field: at most {@value
 * #MAX_LENGTH} characters, none of them a control, format or bidirectional character, a line or
 * paragraph separator or an unpaired surrogate. The service also refuses a part that holds an
 * access token of its format, as it refuses one in a label or an owner.
 *
 * <pre>{@code
 * ClientInfo desktop = ClientInfo.of("docker-desktop");
 * ClientInfo full = ClientInfo.of("HUB").withIp("203.0.113.7").withUserAgent("curl/8.5");
 * }</pre>
 *
 * @param clientId the client's identifier, such as {@code HUB} or {@code docker-desktop}
 * @param ip the address the request came from
 * @param userAgent the client's user agent
 */
public record ClientInfo(
    Optional<String> clientId, Optional<String> ip, Optional<String> userAgent) {
  /** The longest value kept for any part, in UTF-16 units. */
  public static final int MAX_LENGTH = 512;

  private static final ClientInfo UNKNOWN =
      new ClientInfo(Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Validates every part. The three optionals must not be null (use {@link Optional#empty()} for a
   * part the client did not give).
   *
   * @throws InvalidTokenRequestException naming the part ({@code client.ip}, say) that is too long
   *     or holds a refused character, by code point and index; the value is never quoted
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

  /**
   * Returns a client known only by its identifier, the common case; add the rest with {@link
   * #withIp} and {@link #withUserAgent}.
   *
   * @param clientId the client's identifier, such as {@code docker-desktop}; required
   * @throws NullPointerException when {@code clientId} is null, saying what to pass instead
   * @throws InvalidTokenRequestException when it breaks the free-text rules above
   */
  public static ClientInfo of(String clientId) {
    return new ClientInfo(
        Optional.of(required("clientId", clientId)), Optional.empty(), Optional.empty());
  }

  /**
   * Returns a client with all three parts, each required; for a client that gave fewer, start from
   * {@link #of(String)} or {@link #unknown()} and add what it gave.
   *
   * @throws NullPointerException naming the part that is null, saying what to pass instead
   * @throws InvalidTokenRequestException when a part breaks the free-text rules above
   */
  public static ClientInfo of(String clientId, String ip, String userAgent) {
    return new ClientInfo(
        Optional.of(required("clientId", clientId)),
        Optional.of(required("ip", ip)),
        Optional.of(required("userAgent", userAgent)));
  }

  /**
   * Returns a copy with the address the request came from.
   *
   * @throws NullPointerException when {@code ip} is null
   * @throws InvalidTokenRequestException when it breaks the free-text rules above
   */
  public ClientInfo withIp(String ip) {
    return new ClientInfo(clientId, Optional.of(required("ip", ip)), userAgent);
  }

  /**
   * Returns a copy with the client's user agent.
   *
   * @throws NullPointerException when {@code userAgent} is null
   * @throws InvalidTokenRequestException when it breaks the free-text rules above
   */
  public ClientInfo withUserAgent(String userAgent) {
    return new ClientInfo(clientId, ip, Optional.of(required("userAgent", userAgent)));
  }

  private static String required(String part, String value) {
    return Objects.requireNonNull(
        value,
        () ->
            "client."
                + part
                + ": must not be null; leave out a part the client did not give (ClientInfo.of(clientId),"
                + " withIp, withUserAgent, or ClientInfo.unknown())");
  }

  private static void check(String part, Optional<String> value) {
    Objects.requireNonNull(
        value, () -> "client." + part + ": must not be null; use Optional.empty() when unknown");
    if (value.isEmpty()) {
      return;
    }
    String v = value.get();
    if (v.length() > MAX_LENGTH) {
      throw new InvalidTokenRequestException(
          "client." + part, v.length() + " characters; at most " + MAX_LENGTH + " are allowed");
    }
    String character = Validation.characterProblem(v);
    if (character != null) {
      throw new InvalidTokenRequestException("client." + part, character);
    }
  }
}
