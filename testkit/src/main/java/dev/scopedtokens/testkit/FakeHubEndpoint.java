package dev.scopedtokens.testkit;

import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.jdk.DropConnectionException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the fake adds in front of the server's API: it plays injected faults and journals every
 * request that reaches it, with the status it was answered or none when it was dropped.
 */
final class FakeHubEndpoint implements HttpEndpoint {
  private final HttpEndpoint api;
  private final Clock clock;
  private final Sleeper sleeper;
  private final FaultQueue faults;
  private final Journal journal;

  FakeHubEndpoint(
      HttpEndpoint api, Clock clock, Sleeper sleeper, FaultQueue faults, Journal journal) {
    this.api = api;
    this.clock = clock;
    this.sleeper = sleeper;
    this.faults = faults;
    this.journal = journal;
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    Instant receivedAt = clock.instant();
    HttpResponse response;
    try {
      response = answer(request);
    } catch (RuntimeException | Error e) {
      // Dropped, or a failure the transport answers: the journal has no status to show.
      journal.record(receivedAt, request, OptionalInt.empty());
      throw e;
    }
    // Journal before answering, so that a test that has its answer also sees the entry.
    journal.record(receivedAt, request, OptionalInt.of(response.status()));
    return response;
  }

  private HttpResponse answer(HttpRequest request) {
    Optional<Fault> fault = faults.poll();
    if (fault.isEmpty()) {
      return api.handle(request);
    }
    Fault played = fault.get();
    if (played instanceof Fault.DropConnection) {
      throw new DropConnectionException();
    }
    if (played instanceof Fault.Delay delay) {
      try {
        sleeper.sleep(delay.delay());
      } catch (InterruptedException e) {
        // The server is stopping while a late answer waits: drop it.
        Thread.currentThread().interrupt();
        throw new DropConnectionException();
      }
      return api.handle(request);
    }
    if (played instanceof Fault.Status status) {
      return statusFault(status);
    }
    Fault.Respond respond = (Fault.Respond) played;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    respond.headers().forEach((name, value) -> headers.put(name, List.of(value)));
    return HttpResponse.of(
        respond.status(), HttpHeaders.of(headers), respond.body().getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse statusFault(Fault.Status fault) {
    String text = "injected fault: HTTP " + fault.status();
    HttpResponse response =
        HttpResponse.json(
            fault.status(),
            "{\"detail\":\"" + text + "\",\"message\":\"" + text + "\",\"errinfo\":{}}");
    if (fault.retryAfter().isPresent()) {
      // Both rounded up, so that a client reading either one waits at least as asked.
      Duration wait = fault.retryAfter().get();
      Instant at = clock.instant().plus(wait);
      response =
          response
              .withHeader(
                  "Retry-After", Long.toString(wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0)))
              .withHeader(
                  "X-Retry-After", Long.toString(at.getEpochSecond() + (at.getNano() > 0 ? 1 : 0)));
    }
    return response;
  }
}
