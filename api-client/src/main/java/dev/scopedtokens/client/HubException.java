package dev.scopedtokens.client;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The base of every failure the client reports. Unchecked; one subclass per cause:
 *
 * <ul>
 *   <li>{@link HubTransportException}: no HTTP response (connect failure, timeout, interrupt);
 *   <li>{@link HubBadRequestException} (400, with the field errors);
 *   <li>{@link HubAuthenticationException} (401, or a failed login);
 *   <li>{@link HubForbiddenException} (403);
 *   <li>{@link HubNotFoundException} (404);
 *   <li>{@link HubPlanLimitException} (the account's plan allows no more tokens);
 *   <li>{@link HubRateLimitException} (429, with the wait the server asked for);
 *   <li>{@link HubServerException} (5xx);
 *   <li>{@link HubUnexpectedResponseException} (any other status, or a body that cannot be read).
 * </ul>
 *
 * <p>Each carries the HTTP status when there was one, the server's own message when it sent one
 * (read from {@code message}, then {@code detail}, then {@code text}), and how many requests the
 * call sent. No message or {@code toString} contains a password, token, TOTP code, JWT or
 * Authorization header: the client removes any of its secrets that a server echoes back.
 *
 * <p>Instances are created by the client only.
 */
public abstract sealed class HubException extends RuntimeException
    permits HubTransportException,
        HubBadRequestException,
        HubAuthenticationException,
        HubForbiddenException,
        HubNotFoundException,
        HubPlanLimitException,
        HubRateLimitException,
        HubServerException,
        HubUnexpectedResponseException {
  private static final long serialVersionUID = 1L;

  /** The status, or 0 when no response arrived. */
  private final int status;

  /** The server's message, or null when it sent none. */
  private final String serverMessage;

  /** The requests the call sent. */
  private final int attempts;

  HubException(
      String message, int status, Optional<String> serverMessage, int attempts, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    Objects.requireNonNull(serverMessage, "serverMessage");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts: " + attempts + " is negative");
    }
    this.status = status;
    this.serverMessage = serverMessage.orElse(null);
    this.attempts = attempts;
  }

  /**
   * The HTTP status of the response that failed the call, or empty when none arrived.
   *
   * @return the status, or empty
   */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /**
   * The server's own explanation, when its response carried one.
   *
   * @return the explanation, redacted and bounded, or empty
   */
  public Optional<String> serverMessage() {
    return Optional.ofNullable(serverMessage);
  }

  /**
   * Returns how many requests this call sent before it failed: 1 when it was not retried, 0 when it
   * failed before anything was sent (for example while logging in).
   *
   * @return the number of requests sent
   */
  public int attempts() {
    return attempts;
  }

  static int requireStatus(int status, int min, int max) {
    if (status < min || status > max) {
      throw new IllegalArgumentException(
          "status: " + status + " is out of range; allowed " + min + " to " + max);
    }
    return status;
  }
}
