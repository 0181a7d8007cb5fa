package dev.scopedtokens.client;

import dev.scopedtokens.testkit.ScriptedHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Shared fixtures: example bodies, JWTs, a settable clock, a recording sleeper, a client. */
public final class TestSupport {
  public static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
  public static final String BASE = "https://hub.example.test";

  private TestSupport() {}

  /** Reads an example body from src/test/resources/examples. */
  public static String example(String name) {
    try (InputStream in = TestSupport.class.getResourceAsStream("/examples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no example " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An unsigned JWT with the given payload JSON; the client never checks signatures. */
  public static String jwt(String payloadJson) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString("signature".getBytes(StandardCharsets.UTF_8));
  }

  /** A JWT that expires {@code lifetime} after {@code issuedAt}. */
  public static String jwt(String subject, Instant issuedAt, Duration lifetime) {
    return jwt(
        "{\"sub\":\""
            + subject
            + "\",\"iat\":"
            + issuedAt.getEpochSecond()
            + ",\"exp\":"
            + issuedAt.plus(lifetime).getEpochSecond()
            + "}");
  }

  /** A token object as the server sends it. */
  public static String tokenJson(String uuid, String label) {
    return "{\"uuid\":\""
        + uuid
        + "\",\"client_id\":\"HUB\",\"creator_ip\":\"127.0.0.1\",\"creator_ua\":\"ua\","
        + "\"created_at\":\"2021-07-20T12:00:00.000000Z\",\"last_used\":null,"
        + "\"generated_by\":\"manual\",\"is_active\":true,\"token\":\"\",\"token_label\":\""
        + label
        + "\",\"scopes\":[\"repo:read\"]}";
  }

  /** A clock tests move by hand. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant now) {
      this.now = now;
    }

    public void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A sleeper that records each wait and returns at once. */
  public static final class RecordingSleeper implements Sleeper {
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    public RecordingSleeper() {}

    @Override
    public void sleep(Duration duration) {
      waits.add(duration);
    }

    public List<Duration> waits() {
      synchronized (waits) {
        return List.copyOf(waits);
      }
    }

    public Duration total() {
      return waits().stream().reduce(Duration.ZERO, Duration::plus);
    }
  }

  /** A builder wired to the stub, a fixed clock, a recording sleeper and seeded jitter. */
  static HubClient.Builder client(
      ScriptedHttpClient http, Credentials credentials, Clock clock, Sleeper sleeper) {
    return HubClient.builder()
        .baseUri(BASE)
        .httpClient(http)
        .credentials(credentials)
        .clock(clock)
        .sleeper(sleeper)
        .random(new Random(42))
        .executor(Runnable::run);
  }

  /** A ready bearer that never expires by the clock, so tests need no login route. */
  public static Credentials bearer() {
    return Credentials.bearer(jwt("{\"sub\":\"alice\"}"));
  }
}
