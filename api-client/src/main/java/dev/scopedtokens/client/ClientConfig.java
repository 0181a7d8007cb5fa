package dev.scopedtokens.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * Everything the public builder collected, checked. Not printable beyond what is safe: the
 * credentials print the account only.
 *
 * @param baseUri the server, without a trailing slash
 * @param credentials how to obtain a JWT
 * @param http the HTTP client; never follows redirects
 * @param clock for JWT expiry and absolute retry times
 * @param sleeper waits between attempts
 * @param retryPolicy how often and how long to retry
 * @param random the jitter source
 * @param requestTimeout how long one exchange (headers and body) may take
 * @param userAgent the whole User-Agent header
 * @param executor runs the asynchronous forms
 */
record ClientConfig(
    URI baseUri,
    Credentials credentials,
    HttpClient http,
    Clock clock,
    Sleeper sleeper,
    RetryPolicy retryPolicy,
    RandomGenerator random,
    Duration requestTimeout,
    String userAgent,
    Executor executor) {

  ClientConfig {
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(credentials, "credentials");
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
