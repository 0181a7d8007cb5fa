package dev.scopedtokens.server.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.scopedtokens.server.jwt.internal.JwsVerifier;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SigningKeyTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final SigningKey EC =
      SigningKey.generate(JwtAlgorithm.ES256, "issuer", NOW, Duration.ofDays(365), RANDOM);
  private static final SigningKey RSA =
      SigningKey.generate(JwtAlgorithm.RS256, "issuer", NOW, Duration.ofDays(365), RANDOM);

  private static SignedJWT signed(SigningKey key, KeyIdMode mode) throws Exception {
    String jwt =
        JwtSigner.of(SigningKeys.of(key), mode)
            .sign(Map.of("iss", "issuer", "aud", "registry"), NOW);
    return SignedJWT.parse(jwt);
  }

  @Test
  void es256_signatureIsRawRS_andVerifiesWithAnIndependentLibrary() throws Exception {
    SignedJWT jwt = signed(EC, KeyIdMode.X5C);

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    assertThat(jwt.getSignature().decode()).hasSize(64);
    assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) EC.publicKey()))).isTrue();
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("registry");
  }

  @ParameterizedTest
  @EnumSource(KeyIdMode.class)
  void registryToken_passesTheServersOwnVerifier_withIssuerAndAudiencePinned(KeyIdMode mode) {
    for (SigningKey key : List.of(EC, RSA)) {
      String jwt =
          JwtSigner.of(SigningKeys.of(key), mode)
              .sign(
                  Map.of(
                      "iss",
                      "issuer",
                      "aud",
                      "registry",
                      "iat",
                      NOW.getEpochSecond(),
                      "nbf",
                      NOW.getEpochSecond(),
                      "exp",
                      NOW.getEpochSecond() + 300),
                  NOW);
      JwsVerifier verifier =
          JwsVerifier.builder(key.algorithm(), key.publicKey(), Clock.fixed(NOW, ZoneOffset.UTC))
              .issuer("issuer")
              .audience("registry")
              .build();

      assertThat(verifier.verify(jwt)).isInstanceOf(JwsVerifier.Verified.class);
    }
  }

  @Test
  void rs256_verifiesWithAnIndependentLibrary() throws Exception {
    SignedJWT jwt = signed(RSA, KeyIdMode.X5C);

    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) RSA.publicKey()))).isTrue();
  }

  @Test
  void x5c_isStandardBase64Der_leafFirst_andHoldsTheSigningKey() throws Exception {
    SignedJWT jwt = signed(EC, KeyIdMode.X5C);
    List<com.nimbusds.jose.util.Base64> chain = jwt.getHeader().getX509CertChain();

    assertThat(chain).hasSize(1);
    assertThat(chain.get(0).toString()).doesNotContain("-", "_");
    X509Certificate leaf = X509CertUtils.parse(chain.get(0).decode());
    assertThat(leaf.getPublicKey()).isEqualTo(EC.publicKey());
    assertThat(jwt.getHeader().getKeyID()).isNull();
    assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) leaf.getPublicKey()))).isTrue();
  }

  @Test
  void selfSignedCertificates_parseWithTheJdkAndNimbus_andVerifyThemselves() throws Exception {
    for (SigningKey key : List.of(EC, RSA)) {
      byte[] der = key.certificateChain().get(0).getEncoded();
      X509Certificate jdk =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      X509Certificate nimbus = X509CertUtils.parse(der);

      assertThat(nimbus).isNotNull();
      jdk.verify(jdk.getPublicKey());
      assertThat(jdk.getVersion()).isEqualTo(3);
      assertThat(jdk.getSubjectX500Principal().getName()).isEqualTo("CN=issuer");
      assertThat(jdk.getIssuerX500Principal()).isEqualTo(jdk.getSubjectX500Principal());
      assertThat(jdk.getNotBefore().toInstant()).isEqualTo(NOW);
      assertThat(jdk.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
      assertThat(jdk.getSerialNumber()).isPositive();
      assertThat(jdk.getBasicConstraints()).isGreaterThanOrEqualTo(0);
      assertThat(jdk.getKeyUsage()[0]).as("digitalSignature").isTrue();
      assertThat(jdk.getKeyUsage()[5]).as("keyCertSign").isTrue();
      assertThat(jdk.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
      assertThat(jdk.getExtensionValue("2.5.29.14")).isNotNull();
      jdk.checkValidity(java.util.Date.from(NOW.plusSeconds(1)));
    }
  }

  @Test
  void certificatesEndingAfter2049_useGeneralizedTime() throws Exception {
    SigningKey key =
        SigningKey.generate(JwtAlgorithm.ES256, "long-lived", NOW, Duration.ofDays(36_500), RANDOM);
    X509Certificate certificate = key.certificateChain().get(0);

    assertThat(certificate.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(36_500)));
    certificate.verify(certificate.getPublicKey());
  }

  @Test
  void pem_roundTrips() throws Exception {
    SigningKey loaded = SigningKey.fromPem(EC.exportPrivateKeyPem() + EC.certificateChainPem());

    assertThat(loaded.algorithm()).isEqualTo(JwtAlgorithm.ES256);
    assertThat(loaded.publicKey()).isEqualTo(EC.publicKey());
    assertThat(loaded.activeFrom()).isEqualTo(NOW);
    SignedJWT jwt = signed(loaded, KeyIdMode.X5C);
    assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) EC.publicKey()))).isTrue();
  }

  @Test
  void pem_withoutKeyOrCertificate_orWithAnotherKeysCertificate_isRefused() {
    assertThatThrownBy(() -> SigningKey.fromPem(EC.certificateChainPem()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no PRIVATE KEY");
    assertThatThrownBy(() -> SigningKey.fromPem(EC.exportPrivateKeyPem()))
        .hasMessageContaining("no CERTIFICATE");
    SigningKey other =
        SigningKey.generate(JwtAlgorithm.ES256, "other", NOW, Duration.ofDays(1), RANDOM);
    assertThatThrownBy(
            () -> SigningKey.fromPem(EC.exportPrivateKeyPem() + other.certificateChainPem()))
        .hasMessageContaining("public half");
    assertThatThrownBy(
            () ->
                SigningKey.fromPem(
                    "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"))
        .hasMessageContaining("openssl pkcs8");
  }

  @Test
  void toString_showsNoKeyMaterial() {
    String shown = EC.toString();
    String secret = EC.exportPrivateKeyPem().split("\n")[1];

    assertThat(shown).contains("ES256", EC.libtrustFingerprint()).doesNotContain(secret);
  }

  @Test
  void libtrustFingerprint_isTwelveGroupsOfFourBase32_ofTheSpkiDigest() throws Exception {
    String kid = EC.libtrustFingerprint();

    assertThat(kid).matches("([A-Z2-7]{4}:){11}[A-Z2-7]{4}");
    // Decode the base32 independently and compare with the digest's first 30 bytes.
    String bits = kid.replace(":", "");
    BigInteger value = BigInteger.ZERO;
    for (char c : bits.toCharArray()) {
      int v = c >= 'A' && c <= 'Z' ? c - 'A' : c - '2' + 26;
      value = value.shiftLeft(5).or(BigInteger.valueOf(v));
    }
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(EC.publicKey().getEncoded());
    assertThat(value).isEqualTo(new BigInteger(1, java.util.Arrays.copyOf(digest, 30)));
  }

  @Test
  void jwkThumbprint_isRfc7638_asAnIndependentLibraryComputesIt() throws Exception {
    ECKey ec =
        new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, (ECPublicKey) EC.publicKey()).build();
    RSAKey rsa = new RSAKey.Builder((RSAPublicKey) RSA.publicKey()).build();

    assertThat(EC.jwkThumbprint()).isEqualTo(ec.computeThumbprint().toString());
    assertThat(RSA.jwkThumbprint()).isEqualTo(rsa.computeThumbprint().toString());
    assertThat(RSA.distributionThumbprint()).isEqualTo(RSA.jwkThumbprint());
  }

  @Test
  void distributionThumbprint_leavesCoordinatesUnpadded_soDiffersForAKeyWithALeadingZero()
      throws Exception {
    SigningKey key = EC;
    while (coordinateBytes((ECPublicKey) key.publicKey()) == 32) {
      key = SigningKey.generate(JwtAlgorithm.ES256, "issuer", NOW, Duration.ofDays(1), RANDOM);
    }
    ECPublicKey ec = (ECPublicKey) key.publicKey();
    String unpadded =
        "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""
            + Base64URL.encode(ec.getW().getAffineX())
            + "\",\"y\":\""
            + Base64URL.encode(ec.getW().getAffineY())
            + "\"}";
    String expected =
        Base64URL.encode(
                MessageDigest.getInstance("SHA-256")
                    .digest(unpadded.getBytes(StandardCharsets.UTF_8)))
            .toString();

    assertThat(key.distributionThumbprint()).isEqualTo(expected);
    assertThat(key.distributionThumbprint()).isNotEqualTo(key.jwkThumbprint());
    assertThat(key.jwkThumbprint())
        .isEqualTo(
            new ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, ec)
                .build()
                .computeThumbprint()
                .toString());
    assertThat(EC.distributionThumbprint()).isEqualTo(EC.jwkThumbprint());
  }

  /** The fewest bytes that hold the larger-looking of x and y when either starts with zero. */
  private static int coordinateBytes(ECPublicKey key) {
    int x = (key.getW().getAffineX().bitLength() + 7) / 8;
    int y = (key.getW().getAffineY().bitLength() + 7) / 8;
    return Math.min(x, y);
  }

  @Test
  void kidModes_putTheRightKid_andNoX5c() throws Exception {
    SigningKey named = EC.withKeyId("key-2026");

    assertThat(signed(EC, KeyIdMode.LIBTRUST_FINGERPRINT).getHeader().getKeyID())
        .isEqualTo(EC.libtrustFingerprint());
    assertThat(signed(EC, KeyIdMode.DISTRIBUTION_THUMBPRINT).getHeader().getKeyID())
        .isEqualTo(EC.distributionThumbprint());
    assertThat(signed(named, KeyIdMode.JWKS).getHeader().getKeyID()).isEqualTo("key-2026");
    assertThat(signed(EC, KeyIdMode.JWKS).getHeader().getKeyID()).isEqualTo(EC.jwkThumbprint());
    assertThat(signed(EC, KeyIdMode.LIBTRUST_FINGERPRINT).getHeader().getX509CertChain()).isNull();
  }

  @Test
  void jwks_listsEveryKey_underTheKidTokensCarry_andVerifiesThem() throws Exception {
    SigningKeys keys = SigningKeys.of(EC.withKeyId("ec-1"), RSA.withKeyId("rsa-1"));
    JWKSet set = JWKSet.parse(keys.jwks(KeyIdMode.JWKS));

    assertThat(set.getKeys()).extracting(JWK::getKeyID).containsExactly("ec-1", "rsa-1");
    assertThat(set.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
    ECKey ec = (ECKey) set.getKeyByKeyId("ec-1");
    assertThat(ec.getX().decode()).hasSize(32);
    SignedJWT jwt =
        SignedJWT.parse(
            JwtSigner.of(SigningKeys.of(EC.withKeyId("ec-1")), KeyIdMode.JWKS)
                .sign(Map.of("iss", "issuer"), NOW));
    ECKey byKid = (ECKey) set.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(jwt.verify(new ECDSAVerifier(byKid))).isTrue();
  }

  @Test
  void rotation_signsWithTheNewestActiveKey_andPublishesAll() throws Exception {
    SigningKey next =
        SigningKey.generate(JwtAlgorithm.ES256, "issuer", NOW, Duration.ofDays(365), RANDOM)
            .withActiveFrom(NOW.plus(Duration.ofDays(1)));
    SigningKeys keys = SigningKeys.of(EC, next);

    assertThat(keys.signingKey(NOW)).isSameAs(EC);
    assertThat(keys.signingKey(NOW.plus(Duration.ofDays(1)))).isSameAs(next);
    assertThat(keys.certificateBundlePem().split("BEGIN CERTIFICATE", -1)).hasSize(3);
    assertThat(JWKSet.parse(keys.jwks(KeyIdMode.DISTRIBUTION_THUMBPRINT)).getKeys()).hasSize(2);
    JwtSigner signer = JwtSigner.of(keys, KeyIdMode.X5C);
    SignedJWT later = SignedJWT.parse(signer.sign(Map.of(), NOW.plus(Duration.ofDays(2))));
    assertThat(later.verify(new ECDSAVerifier((ECPublicKey) next.publicKey()))).isTrue();
  }

  @Test
  void keySet_refusesDuplicates() {
    assertThatThrownBy(() -> SigningKeys.of(EC, EC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> SigningKeys.of(EC.withKeyId("a"), RSA.withKeyId("a")))
        .hasMessageContaining("key id a");
    assertThatThrownBy(() -> SigningKeys.of(List.of())).hasMessageContaining("at least one");
  }
}
