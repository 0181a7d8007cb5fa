package dev.scopedtokens.server.jwt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.internal.JwsVerifier.Reason;
import dev.scopedtokens.server.jwt.internal.JwsVerifier.Rejected;
import dev.scopedtokens.server.jwt.internal.JwsVerifier.Verified;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's one JWT verifier: each check on its own, against tokens written by {@link
 * JwsSigner}, by hand (with the JDK's own signature) and by an independent library (Nimbus).
 */
class JwsVerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final long T = NOW.getEpochSecond();
  private static final String ES256_HEADER = "{\"alg\":\"ES256\",\"typ\":\"JWT\"}";
  private static final KeyPair EC = generate("EC", new ECGenParameterSpec("secp256r1"));
  private static final KeyPair OTHER_EC = generate("EC", new ECGenParameterSpec("secp256r1"));
  private static final KeyPair RSA = generate("RSA", null);

  private final JwsSigner signer = JwsSigner.of(JwtAlgorithm.ES256, EC.getPrivate(), Map.of());

  @Test
  void tokenOfTheSigner_verifies_andCarriesItsClaims() {
    String token = signer.sign(claims("sub", "alice"));

    assertThat(verifier(NOW).verify(token))
        .isInstanceOfSatisfying(
            Verified.class, v -> assertThat(v.claims().get("sub").asText()).isEqualTo("alice"));
  }

  @Test
  void signer_writesExactlyAlgAndTyp_whenNoExtraHeaderIsGiven() {
    String header = signer.sign(claims()).substring(0, signer.sign(claims()).indexOf('.'));

    assertThat(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
        .isEqualTo(ES256_HEADER);
  }

  @Test
  void tokenOfTheSigner_verifiesWithAnIndependentLibrary() throws Exception {
    SignedJWT parsed = SignedJWT.parse(signer.sign(claims("sub", "alice")));

    assertThat(parsed.verify(new ECDSAVerifier((ECPublicKey) EC.getPublic()))).isTrue();
    assertThat(parsed.getSignature().decode()).hasSize(64);
  }

  @Test
  void es256TokenOfAnIndependentLibrary_verifies() throws Exception {
    SignedJWT jwt = nimbus(JWSAlgorithm.ES256);
    jwt.sign(new ECDSASigner((ECPrivateKey) EC.getPrivate()));

    assertThat(verifier(NOW).verify(jwt.serialize())).isInstanceOf(Verified.class);
  }

  @Test
  void rs256TokenOfAnIndependentLibrary_verifies_andOfTheSignerToo() throws Exception {
    SignedJWT jwt = nimbus(JWSAlgorithm.RS256);
    jwt.sign(new RSASSASigner(RSA.getPrivate()));
    JwsVerifier rs256 =
        JwsVerifier.builder(JwtAlgorithm.RS256, RSA.getPublic(), clock(NOW)).build();
    String ours = JwsSigner.of(JwtAlgorithm.RS256, RSA.getPrivate(), Map.of()).sign(claims());

    assertThat(rs256.verify(jwt.serialize())).isInstanceOf(Verified.class);
    assertThat(rs256.verify(ours)).isInstanceOf(Verified.class);
    assertThat(verifier(NOW).verify(ours)).isEqualTo(new Rejected(Reason.ALGORITHM));
  }

  @Test
  void extraHeaderMembers_followAlgAndTyp_andStillVerify() {
    String token =
        JwsSigner.of(JwtAlgorithm.ES256, EC.getPrivate(), Map.of("kid", "k1")).sign(claims());

    assertThat(decodedSegment(token, 0))
        .isEqualTo("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
    assertThat(verifier(NOW).verify(token)).isInstanceOf(Verified.class);
  }

  @Test
  void algNone_isRejectedBeforeAnySignatureIsLookedAt() {
    String none =
        segment("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + segment(json(claims())) + ".";

    assertThat(verifier(NOW).verify(none)).isEqualTo(new Rejected(Reason.ALGORITHM));
  }

  @Test
  void hs256WithThePublicKeyAsSecret_isRejected() throws Exception {
    // The classic confusion: an HMAC keyed with the verifier's public key bytes.
    SignedJWT jwt = nimbus(JWSAlgorithm.HS256);
    jwt.sign(new MACSigner(java.util.Arrays.copyOf(EC.getPublic().getEncoded(), 64)));

    assertThat(verifier(NOW).verify(jwt.serialize())).isEqualTo(new Rejected(Reason.ALGORITHM));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"typ\":\"JWT\"}",
        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
        "{\"alg\":\"es256\",\"typ\":\"JWT\"}",
        "{\"alg\":[\"ES256\"],\"typ\":\"JWT\"}",
      })
  void headerWithAnotherOrNoAlg_isRejected_evenWhenSignedByTheKey(String header) {
    assertThat(verifier(NOW).verify(signRaw(header, json(claims()))))
        .isEqualTo(new Rejected(Reason.ALGORITHM));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"crit\":[\"b64\"],\"b64\":false}",
        "{\"alg\":\"ES256\",\"typ\":\"JOSE+JSON\"}",
        "{\"alg\":\"ES256\",\"typ\":7}",
      })
  void headerWithCritOrAnotherTyp_isRejected_evenWhenSignedByTheKey(String header) {
    assertThat(verifier(NOW).verify(signRaw(header, json(claims()))))
        .isEqualTo(new Rejected(Reason.HEADER));
  }

  @Test
  void headerWithoutTyp_isAccepted() {
    assertThat(verifier(NOW).verify(signRaw("{\"alg\":\"ES256\"}", json(claims()))))
        .isInstanceOf(Verified.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "stk_notajwt",
        "a.b",
        "a.b.c.d",
        "a.b.c",
        "..",
        "eyJhbGciOiJFUzI1NiJ9.e30=.AA",
        "eyJhbGciOiJFUzI1NiJ9.e30.A+/A",
        "eyJhbGciOiJFUzI1NiJ9.e30.A A",
        "W10.e30.AA",
        "bnVsbA.e30.AA",
      })
  void garbage_isMalformed(String token) {
    assertThat(verifier(NOW).verify(token)).isEqualTo(new Rejected(Reason.MALFORMED));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "\"alice\"",
        "{\"iat\":1}",
        "{\"exp\":99999999999}",
        "{\"iat\":1,\"exp\":\"99999999999\"}",
        "{\"iat\":1,\"exp\":99999999999.5}",
        "{\"iat\":1,\"exp\":99999999999999999999}",
        "{\"iat\":1,\"exp\":99999999999,\"nbf\":\"0\"}",
        "{\"iat\":1,\"exp\":99999999999,\"sub\":\"a\",\"sub\":\"b\"}",
        "{\"iat\":1,\"exp\":99999999999} {}",
      })
  void signedClaimsThatAreNotAnObjectWithIntegerTimes_areMalformed(String claims) {
    assertThat(verifier(NOW).verify(signRaw(ES256_HEADER, claims)))
        .isEqualTo(new Rejected(Reason.MALFORMED));
  }

  @Test
  void deeplyNestedClaims_areMalformed_notAStackOverflow() {
    String deep = "{\"iat\":1,\"exp\":99999999999,\"x\":" + "[".repeat(500) + "]".repeat(500) + "}";

    assertThat(verifier(NOW).verify(signRaw(ES256_HEADER, deep)))
        .isEqualTo(new Rejected(Reason.MALFORMED));
  }

  @Test
  void tokenLongerThanTheLimit_isRejectedUnread() {
    JwsVerifier verifier =
        JwsVerifier.builder(JwtAlgorithm.ES256, EC.getPublic(), clock(NOW)).maxLength(100).build();
    String token = signer.sign(claims("pad", "x".repeat(200)));

    assertThat(verifier.verify(token)).isEqualTo(new Rejected(Reason.TOO_LONG));
    assertThat(verifier(NOW).verify("a".repeat(JwsVerifier.DEFAULT_MAX_LENGTH + 1)))
        .isEqualTo(new Rejected(Reason.TOO_LONG));
  }

  @Test
  void tamperedClaims_areRejected() {
    String[] parts = signer.sign(claims("sub", "alice")).split("\\.");
    String forged = segment(json(claims("sub", "mallory")));

    assertThat(verifier(NOW).verify(parts[0] + "." + forged + "." + parts[2]))
        .isEqualTo(new Rejected(Reason.SIGNATURE));
  }

  @Test
  void tokenOfAnotherKey_isRejected() {
    String token = JwsSigner.of(JwtAlgorithm.ES256, OTHER_EC.getPrivate(), Map.of()).sign(claims());

    assertThat(verifier(NOW).verify(token)).isEqualTo(new Rejected(Reason.SIGNATURE));
  }

  @Test
  void derEncodedOrShortenedSignatures_areRejected() throws Exception {
    String signingInput = segment(ES256_HEADER) + "." + segment(json(claims()));
    Signature der = Signature.getInstance("SHA256withECDSA");
    der.initSign(EC.getPrivate());
    der.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    String token = signer.sign(claims());
    byte[] raw = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));

    assertThat(verifier(NOW).verify(signingInput + "." + b64(der.sign())))
        .isEqualTo(new Rejected(Reason.SIGNATURE));
    assertThat(
            verifier(NOW)
                .verify(
                    token.substring(0, token.lastIndexOf('.') + 1)
                        + b64(java.util.Arrays.copyOf(raw, 63))))
        .isEqualTo(new Rejected(Reason.SIGNATURE));
  }

  @Test
  void signatureSpelledWithOtherUnusedBits_isRejected() {
    // 64 bytes take 86 base64url characters; the last carries 2 bits and 4 unused ones, which the
    // JDK's decoder ignores. Only the canonical spelling passes.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String token = signer.sign(claims());
    int last = alphabet.indexOf(token.charAt(token.length() - 1));
    String respelled = token.substring(0, token.length() - 1) + alphabet.charAt(last | 1);

    assertThat(verifier(NOW).verify(respelled)).isEqualTo(new Rejected(Reason.MALFORMED));
  }

  @Test
  void token_isAcceptedUntilTheSecondBeforeExp_andRejectedAtExp() {
    String token = signer.sign(claims("exp", T + 600));

    assertThat(verifier(NOW.plusSeconds(599).plusMillis(999)).verify(token))
        .isInstanceOf(Verified.class);
    assertThat(verifier(NOW.plusSeconds(600)).verify(token))
        .isEqualTo(new Rejected(Reason.EXPIRED));
  }

  @Test
  void expiryIgnoresTheClockSkew() {
    JwsVerifier lenient =
        JwsVerifier.builder(JwtAlgorithm.ES256, EC.getPublic(), clock(NOW.plusSeconds(600)))
            .clockSkew(Duration.ofSeconds(60))
            .build();

    assertThat(lenient.verify(signer.sign(claims("exp", T + 600))))
        .isEqualTo(new Rejected(Reason.EXPIRED));
  }

  @Test
  void nbfAfterTheClockPlusSkew_isNotYetValid_andWithinTheSkewPasses() {
    JwsVerifier skewed =
        JwsVerifier.builder(JwtAlgorithm.ES256, EC.getPublic(), clock(NOW))
            .clockSkew(Duration.ofSeconds(30))
            .build();

    assertThat(skewed.verify(signer.sign(claims("nbf", T + 30)))).isInstanceOf(Verified.class);
    assertThat(skewed.verify(signer.sign(claims("nbf", T + 31))))
        .isEqualTo(new Rejected(Reason.NOT_YET_VALID));
    assertThat(verifier(NOW).verify(signer.sign(claims("nbf", T + 1))))
        .isEqualTo(new Rejected(Reason.NOT_YET_VALID));
  }

  @Test
  void iatAfterTheClockPlusSkew_isRejected_andWithinTheSkewPasses() {
    JwsVerifier skewed =
        JwsVerifier.builder(JwtAlgorithm.ES256, EC.getPublic(), clock(NOW))
            .clockSkew(Duration.ofSeconds(30))
            .build();

    assertThat(skewed.verify(signer.sign(claims("iat", T + 30)))).isInstanceOf(Verified.class);
    assertThat(skewed.verify(signer.sign(claims("iat", T + 31))))
        .isEqualTo(new Rejected(Reason.ISSUED_IN_THE_FUTURE));
  }

  @Test
  void extremeTimes_areJudgedWithoutOverflow() {
    long end = Instant.MAX.getEpochSecond();
    JwsVerifier atTheEnd =
        JwsVerifier.builder(JwtAlgorithm.ES256, EC.getPublic(), clock(Instant.MAX))
            .clockSkew(Duration.ofDays(1))
            .build();

    assertThat(atTheEnd.verify(signer.sign(claims("exp", Long.MAX_VALUE, "nbf", end + 86_400))))
        .isInstanceOf(Verified.class);
    assertThat(atTheEnd.verify(signer.sign(claims("exp", Long.MAX_VALUE, "nbf", end + 86_401))))
        .isEqualTo(new Rejected(Reason.NOT_YET_VALID));
    assertThat(atTheEnd.verify(signer.sign(claims("exp", Long.MAX_VALUE, "nbf", Long.MAX_VALUE))))
        .isEqualTo(new Rejected(Reason.NOT_YET_VALID));
    assertThat(verifier(NOW).verify(signer.sign(claims("iat", Long.MIN_VALUE))))
        .isInstanceOf(Verified.class);
    assertThat(verifier(NOW).verify(signer.sign(claims("exp", Long.MIN_VALUE))))
        .isEqualTo(new Rejected(Reason.EXPIRED));
  }

  @Test
  void issuer_whenRequired_mustBeExactlyTheExpectedOne() {
    JwsVerifier verifier =
        JwsVerifier.builder(JwtAlgorithm.ES256, EC.getPublic(), clock(NOW)).issuer("hub").build();

    assertThat(verifier.verify(signer.sign(claims("iss", "hub")))).isInstanceOf(Verified.class);
    assertThat(verifier.verify(signer.sign(claims("iss", "hub2"))))
        .isEqualTo(new Rejected(Reason.ISSUER));
    assertThat(verifier.verify(signer.sign(claims("iss", List.of("hub")))))
        .isEqualTo(new Rejected(Reason.ISSUER));
    assertThat(verifier.verify(signer.sign(claims()))).isEqualTo(new Rejected(Reason.ISSUER));
  }

  @Test
  void audience_whenRequired_mustBeItOrBeListed() {
    JwsVerifier verifier =
        JwsVerifier.builder(JwtAlgorithm.ES256, EC.getPublic(), clock(NOW))
            .audience("registry")
            .build();

    assertThat(verifier.verify(signer.sign(claims("aud", "registry"))))
        .isInstanceOf(Verified.class);
    assertThat(verifier.verify(signer.sign(claims("aud", List.of("x", "registry")))))
        .isInstanceOf(Verified.class);
    assertThat(verifier.verify(signer.sign(claims("aud", "other"))))
        .isEqualTo(new Rejected(Reason.AUDIENCE));
    assertThat(verifier.verify(signer.sign(claims("aud", List.of("x")))))
        .isEqualTo(new Rejected(Reason.AUDIENCE));
    assertThat(verifier.verify(signer.sign(claims()))).isEqualTo(new Rejected(Reason.AUDIENCE));
  }

  @Test
  void issuerAndAudience_areNotCheckedUnlessRequired() {
    assertThat(verifier(NOW).verify(signer.sign(claims("iss", "anyone", "aud", 42))))
        .isInstanceOf(Verified.class);
  }

  @Test
  void anyOneCharacterChanged_isRejected() {
    String token = signer.sign(claims("sub", "alice"));
    JwsVerifier verifier = verifier(NOW);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";

    qt().withExamples(300)
        .forAll(integers().between(0, token.length() - 1), integers().between(1, 68))
        .checkAssert(
            (at, shift) -> {
              char replacement =
                  alphabet.charAt((alphabet.indexOf(token.charAt(at)) + shift) % alphabet.length());
              String changed = token.substring(0, at) + replacement + token.substring(at + 1);
              assertThat(verifier.verify(changed)).isInstanceOf(Rejected.class);
            });
  }

  @Test
  void anyString_isRejectedWithoutThrowing() {
    JwsVerifier verifier = verifier(NOW);

    qt().withExamples(500)
        .forAll(strings().allPossible().ofLengthBetween(0, 300))
        .checkAssert(s -> assertThat(verifier.verify(s)).isInstanceOf(Rejected.class));
    qt().withExamples(300)
        .forAll(
            strings().betweenCodePoints(0x2d, 0x7a).ofLengthBetween(0, 120),
            strings().betweenCodePoints(0x2d, 0x7a).ofLengthBetween(0, 120))
        .checkAssert(
            (header, claims) ->
                assertThat(verifier.verify(signRaw(header, claims))).isInstanceOf(Rejected.class));
  }

  @Test
  void resultsAndVerifier_printNoTokenAndNoClaimValues() {
    Verified verified = (Verified) verifier(NOW).verify(signer.sign(claims("sub", "alice")));

    assertThat(verified.toString()).contains("sub").doesNotContain("alice");
    assertThat(new Rejected(Reason.SIGNATURE).toString()).isEqualTo("Rejected[reason=SIGNATURE]");
    assertThat(signer.toString()).isEqualTo("JwsSigner[ES256, key redacted]");
  }

  @Test
  void builder_refusesAKeyOfAnotherAlgorithm_andBadLimits() {
    assertThatThrownBy(() -> JwsVerifier.builder(JwtAlgorithm.ES256, RSA.getPublic(), clock(NOW)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ES256");
    assertThatThrownBy(() -> JwsSigner.of(JwtAlgorithm.RS256, EC.getPrivate(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RSA key of at least 2048 bits");
    assertThatThrownBy(() -> JwsSigner.of(JwtAlgorithm.ES256, EC.getPrivate(), Map.of("alg", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("extraHeader");
    JwsVerifier.Builder builder =
        JwsVerifier.builder(JwtAlgorithm.ES256, EC.getPublic(), clock(NOW));
    assertThatThrownBy(() -> builder.clockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clockSkew");
    assertThatThrownBy(() -> builder.clockSkew(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clockSkew");
    assertThatThrownBy(() -> builder.maxLength(15))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLength");
  }

  @Test
  void arePair_tellsHalvesOfOnePairFromStrangers() {
    assertThat(Jws.arePair(JwtAlgorithm.ES256, EC.getPrivate(), EC.getPublic())).isTrue();
    assertThat(Jws.arePair(JwtAlgorithm.ES256, EC.getPrivate(), OTHER_EC.getPublic())).isFalse();
    assertThat(Jws.arePair(JwtAlgorithm.RS256, EC.getPrivate(), EC.getPublic())).isFalse();
  }

  /** Claims valid at {@link #NOW} ({@code iat} now, {@code exp} in ten minutes), then pairs. */
  private static Map<String, Object> claims(Object... pairs) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iat", T);
    claims.put("exp", T + 600);
    for (int i = 0; i < pairs.length; i += 2) {
      claims.put((String) pairs[i], pairs[i + 1]);
    }
    return claims;
  }

  private static JwsVerifier verifier(Instant now) {
    return JwsVerifier.builder(JwtAlgorithm.ES256, EC.getPublic(), clock(now)).build();
  }

  private static Clock clock(Instant now) {
    return Clock.fixed(now, ZoneOffset.UTC);
  }

  private static SignedJWT nimbus(JWSAlgorithm algorithm) {
    return new SignedJWT(
        new JWSHeader(algorithm),
        new JWTClaimsSet.Builder()
            .subject("alice")
            .issueTime(Date.from(NOW))
            .expirationTime(Date.from(NOW.plusSeconds(600)))
            .build());
  }

  /** A token over exactly these header and claims texts, signed by the JDK with the EC key. */
  private static String signRaw(String header, String claims) {
    String signingInput = segment(header) + "." + segment(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
      signature.initSign(EC.getPrivate());
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64(signature.sign());
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String json(Map<String, Object> claims) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(claims);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static String decodedSegment(String token, int index) {
    return new String(
        Base64.getUrlDecoder().decode(token.split("\\.", -1)[index]), StandardCharsets.UTF_8);
  }

  private static String segment(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static KeyPair generate(String type, ECGenParameterSpec spec) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
      if (spec != null) {
        generator.initialize(spec);
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
