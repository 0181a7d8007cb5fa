package dev.scopedtokens.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scopedtokens.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JwtTest {
  private final FakeClock clock = FakeClock.atDefaultStart();
  private final Jwt jwt = new Jwt(clock, new SecureRandom(new byte[] {7}));

  @Test
  void passwordToken_verifiesWithItsSubject() {
    String token = jwt.issueForPassword("alice");

    assertThat(jwt.verify(token))
        .hasValueSatisfying(
            claims -> {
              assertThat(claims.subject()).isEqualTo("alice");
              assertThat(claims.fromPersonalAccessToken()).isFalse();
              assertThat(claims.scope()).isEmpty();
            });
  }

  @Test
  void token_expiresSixHundredSecondsAfterIssue() {
    String token = jwt.issueForPassword("alice");

    JsonNode payload = payload(token);

    assertThat(payload.get("exp").asLong() - payload.get("iat").asLong()).isEqualTo(600);
    assertThat(payload.get("iat").asLong()).isEqualTo(clock.peek().getEpochSecond());
  }

  @Test
  void header_isHs256() {
    String header =
        new String(
            Base64.getUrlDecoder().decode(jwt.issueForPassword("alice").split("\\.")[0]),
            StandardCharsets.UTF_8);

    assertThat(header).contains("\"alg\":\"HS256\"");
  }

  @Test
  void token_isRejectedAtExpiry() {
    String token = jwt.issueForPassword("alice");

    clock.advance(Duration.ofSeconds(599));
    assertThat(jwt.verify(token)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(jwt.verify(token)).isEmpty();
  }

  @Test
  void patToken_carriesScopeAndSource() {
    UUID id = UUID.fromString("b30bbf97-506c-4ecd-aabc-842f3cb484fb");
    String token = jwt.issueForAccessToken("alice", id, "repo:read");

    JsonNode payload = payload(token);

    assertThat(payload.get("scope").asText()).isEqualTo("repo:read");
    assertThat(payload.get("source").asText()).isEqualTo("docker_pat|" + id);
    assertThat(jwt.verify(token))
        .hasValueSatisfying(
            claims -> {
              assertThat(claims.fromPersonalAccessToken()).isTrue();
              assertThat(claims.tokenId()).contains(id);
            });
  }

  @Test
  void tamperedPayload_isRejected() {
    String[] parts = jwt.issueForPassword("alice").split("\\.");
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("alice", "mallory")
                    .getBytes(StandardCharsets.UTF_8));

    assertThat(jwt.verify(parts[0] + "." + forged + "." + parts[2])).isEmpty();
  }

  @Test
  void tamperedSignature_isRejected() {
    String token = jwt.issueForPassword("alice");
    int signature = token.lastIndexOf('.') + 1;
    char first = token.charAt(signature);
    String tampered =
        token.substring(0, signature) + (first == 'A' ? 'B' : 'A') + token.substring(signature + 1);

    assertThat(jwt.verify(tampered)).isEmpty();
  }

  @Test
  void signatureSpelledWithOtherUnusedBits_isRejected() {
    // 32 bytes of HMAC take 43 base64url characters; the last one carries 4 bits and 2 unused
    // ones, which a decoder ignores. Only the canonical spelling is the server's.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String token = jwt.issueForPassword("alice");
    int last = alphabet.indexOf(token.charAt(token.length() - 1));
    String respelled = token.substring(0, token.length() - 1) + alphabet.charAt(last | 1);

    assertThat(Base64.getUrlDecoder().decode(respelled.substring(respelled.lastIndexOf('.') + 1)))
        .isEqualTo(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)));
    assertThat(jwt.verify(respelled)).isEmpty();
  }

  @Test
  void algNoneToken_isRejected() {
    String[] parts = jwt.issueForPassword("alice").split("\\.");
    String none =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(jwt.verify(none + "." + parts[1] + ".")).isEmpty();
  }

  @Test
  void tokenOfAnotherServer_isRejected() {
    Jwt other = new Jwt(clock, new SecureRandom(new byte[] {8}));

    assertThat(jwt.verify(other.issueForPassword("alice"))).isEmpty();
  }

  @Test
  void garbage_isRejected() {
    assertThat(jwt.verify("stk_notajwt")).isEmpty();
    assertThat(jwt.verify("a.b.c")).isEmpty();
    assertThat(jwt.verify("")).isEmpty();
  }

  private static JsonNode payload(String token) {
    try {
      return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
