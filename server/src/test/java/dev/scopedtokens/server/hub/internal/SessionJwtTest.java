package dev.scopedtokens.server.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SessionJwtTest {
  private final TestClock clock = TestClock.atDefaultStart();
  private final SecureRandom random = new SecureRandom(new byte[] {7});
  private final SessionJwt jwt =
      new SessionJwt(SessionJwt.generateKeyPair(random), "test", clock, random);

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
  void header_isEs256() {
    String header =
        new String(
            Base64.getUrlDecoder().decode(jwt.issueForPassword("alice").split("\\.")[0]),
            StandardCharsets.UTF_8);

    assertThat(header).isEqualTo("{\"alg\":\"ES256\",\"typ\":\"JWT\"}");
  }

  @Test
  void signature_isRawRAndSThatTheJdkVerifiesUnderTheKey() throws Exception {
    java.security.KeyPair keys = SessionJwt.generateKeyPair(random);
    String token = new SessionJwt(keys, "test", clock, random).issueForPassword("alice");
    String[] parts = token.split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(keys.getPublic());
    verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));

    assertThat(signature).hasSize(64);
    assertThat(verifier.verify(derOf(signature))).isTrue();
  }

  @Test
  void keyNotOnP256_isRefused() throws Exception {
    java.security.KeyPairGenerator p384 = java.security.KeyPairGenerator.getInstance("EC");
    p384.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    java.security.KeyPair keys = p384.generateKeyPair();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new SessionJwt(keys, "test", clock, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P-256");
  }

  @Test
  void halvesOfTwoPairs_areRefused() {
    java.security.KeyPair one = SessionJwt.generateKeyPair(random);
    java.security.KeyPair two = SessionJwt.generateKeyPair(random);
    java.security.KeyPair mixed = new java.security.KeyPair(one.getPublic(), two.getPrivate());

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new SessionJwt(mixed, "test", clock, random))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other half");
  }

  @Test
  void sessionIssuedAheadOfTheClock_isAcceptedWithinTheSkewOnly() {
    java.security.KeyPair keys = SessionJwt.generateKeyPair(random);
    SessionJwt here = new SessionJwt(keys, "test", clock, random);
    TestClock ahead = new TestClock(clock.peek().plus(SessionJwt.CLOCK_SKEW));
    SessionJwt there = new SessionJwt(keys, "test", ahead, random);

    assertThat(here.verify(there.issueForPassword("alice"))).isPresent();
    ahead.advance(Duration.ofSeconds(1));
    assertThat(here.verify(there.issueForPassword("alice"))).isEmpty();
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
    // 64 bytes of r || s take 86 base64url characters; the last one carries 2 bits and 4 unused
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
    SessionJwt other =
        new SessionJwt(SessionJwt.generateKeyPair(new SecureRandom()), "test", clock, random);

    assertThat(jwt.verify(other.issueForPassword("alice"))).isEmpty();
  }

  @Test
  void garbage_isRejected() {
    assertThat(jwt.verify("stk_notajwt")).isEmpty();
    assertThat(jwt.verify("a.b.c")).isEmpty();
    assertThat(jwt.verify("")).isEmpty();
  }

  /** The DER form of a raw r || s signature, to check it with the JDK's plain ECDSA. */
  private static byte[] derOf(byte[] raw) {
    byte[] r = integer(java.util.Arrays.copyOfRange(raw, 0, 32));
    byte[] s = integer(java.util.Arrays.copyOfRange(raw, 32, 64));
    byte[] der = new byte[2 + r.length + s.length];
    der[0] = 0x30;
    der[1] = (byte) (r.length + s.length);
    System.arraycopy(r, 0, der, 2, r.length);
    System.arraycopy(s, 0, der, 2 + r.length, s.length);
    return der;
  }

  private static byte[] integer(byte[] unsigned) {
    byte[] value = new java.math.BigInteger(1, unsigned).toByteArray();
    byte[] out = new byte[2 + value.length];
    out[0] = 0x02;
    out[1] = (byte) value.length;
    System.arraycopy(value, 0, out, 2, value.length);
    return out;
  }

  private static JsonNode payload(String token) {
    try {
      return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
