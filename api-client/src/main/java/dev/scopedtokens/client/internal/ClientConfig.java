package dev.scopedtokens.client.internal;

import dev.scopedtokens.client.RetryPolicy;
import dev.scopedtokens.client.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * Everything the public builder collected, checked. Not printable beyond what is safe: the login
 * prints itself redacted.
 *
 * @param baseUri the server, without a trailing slash
 * @param login how to obtain a JWT
 * @param http the HTTP client; never follows redirects
 * @param clock for JWT expiry and absolute retry times
 * @param sleeper waits between attempts
 * @param retryPolicy how often and how long to retry
 * @param random the jitter source
 * @param requestTimeout how long one request may take once connected
 * @param userAgent the whole User-Agent header
 * @param executor runs the asynchronous forms
 */
public record ClientConfig(
    URI baseUri,
    Login login,
    HttpClient http,
    Clock clock,
    Sleeper sleeper,
    RetryPolicy retryPolicy,
    RandomGenerator random,
    Duration requestTimeout,
    String userAgent,
    Executor executor) {

  /** Checks that nothing is missing. */
  public ClientConfig {
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(executor, "executor");
  }
}
