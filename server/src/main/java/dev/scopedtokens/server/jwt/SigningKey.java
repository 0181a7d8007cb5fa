package dev.scopedtokens.server.jwt;

import dev.scopedtokens.server.jwt.internal.Jws;
import dev.scopedtokens.server.jwt.internal.JwsSigner;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key that signs registry tokens: the private key, its certificate chain (leaf first, the leaf
 * holding the matching public key), the {@link JwtAlgorithm} it signs with, an optional chosen key
 * id for a JWKS, and the instant from which it signs.
 *
 * <p>Like a Tink keyset handle, a {@code SigningKey} never prints its private part: {@link
 * #toString()} shows the algorithm, the libtrust fingerprint and the validity. The private key
 * leaves only through {@link #exportPrivateKeyPem()}, a named call for key-generation tools.
 *
 * <pre>{@code
 * SigningKey key = SigningKey.generate(JwtAlgorithm.ES256, "my-token-server",
 *     clock.instant(), Duration.ofDays(365), new SecureRandom());
 * Files.writeString(keyFile, key.exportPrivateKeyPem() + key.certificateChainPem());
 * SigningKey loaded = SigningKey.fromPem(Files.readString(keyFile));
 * }</pre>
 */
public final class SigningKey {
  private static final String OID_ECDSA_SHA256 = "1.2.840.10045.4.3.2";
  private static final String OID_RSA_SHA256 = "1.2.840.113549.1.1.11";
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

  private final JwtAlgorithm algorithm;
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;
  private final Optional<String> chosenKeyId;
  private final Instant activeFrom;

  private SigningKey(
      JwtAlgorithm algorithm,
      PrivateKey privateKey,
      List<X509Certificate> chain,
      Optional<String> chosenKeyId,
      Instant activeFrom) {
    this.algorithm = algorithm;
    this.privateKey = privateKey;
    this.chain = chain;
    this.chosenKeyId = chosenKeyId;
    this.activeFrom = activeFrom;
  }

  /**
   * Generates a key and a self-signed certificate for it (subject and issuer {@code CN=<name>}),
   * fit for a registry's {@code rootcertbundle}. ES256 keys are P-256; RS256 keys are 2048 bits.
   *
   * @param algorithm what the key signs with
   * @param commonName the certificate's common name, such as the token server's issuer name
   * @param notBefore when the certificate (and the key's signing) starts
   * @param validity how long the certificate is valid, 1 day to 100 years
   * @param random the source of the key and the certificate's serial number
   * @throws IllegalArgumentException if the name is blank or longer than 64 characters, or the
   *     validity is out of range
   */
  public static SigningKey generate(
      JwtAlgorithm algorithm,
      String commonName,
      Instant notBefore,
      Duration validity,
      SecureRandom random) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(random, "random");
    if (commonName.isBlank() || commonName.length() > 64) {
      throw new IllegalArgumentException("commonName: must be 1 to 64 characters, not blank");
    }
    if (validity.compareTo(Duration.ofDays(1)) < 0
        || validity.compareTo(Duration.ofDays(36_500)) > 0) {
      throw new IllegalArgumentException("validity: must be 1 day to 100 years");
    }
    Instant start = notBefore.with(java.time.temporal.ChronoField.NANO_OF_SECOND, 0);
    try {
      KeyPair pair;
      if (algorithm == JwtAlgorithm.ES256) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        pair = generator.generateKeyPair();
      } else {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(
            new RSAKeyGenParameterSpec(Jws.MIN_RSA_BITS, RSAKeyGenParameterSpec.F4), random);
        pair = generator.generateKeyPair();
      }
      X509Certificate certificate =
          selfSigned(algorithm, pair, commonName, start, start.plus(validity), random);
      return new SigningKey(
          algorithm, pair.getPrivate(), List.of(certificate), Optional.empty(), start);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate a " + algorithm + " key", e);
    }
  }

  /**
   * A key with its certificate chain, leaf first. The algorithm follows from the key: a P-256 EC
   * key signs ES256, an RSA key of at least 2048 bits RS256. The key signs from the leaf's {@code
   * notBefore}.
   *
   * @throws IllegalArgumentException if the chain is empty, the key is of another kind or size, or
   *     the leaf certificate does not hold the key's public half
   */
  public static SigningKey of(PrivateKey privateKey, List<X509Certificate> chain) {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(chain, "chain");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "chain: give at least the certificate that holds the key's public half");
    }
    chain.forEach(c -> Objects.requireNonNull(c, "chain must not contain null"));
    JwtAlgorithm algorithm = algorithmOf(privateKey, "privateKey");
    PublicKey leafKey = chain.get(0).getPublicKey();
    if (algorithmOf(leafKey, "the leaf certificate's key") != algorithm
        || !Jws.arePair(algorithm, privateKey, leafKey)) {
      throw new IllegalArgumentException(
          "chain: the first certificate must hold the public half of privateKey; put the key's"
              + " own certificate first");
    }
    return new SigningKey(
        algorithm,
        privateKey,
        List.copyOf(chain),
        Optional.empty(),
        chain.get(0).getNotBefore().toInstant());
  }

  /**
   * Reads a key from PEM text holding an unencrypted PKCS#8 {@code PRIVATE KEY} block and one or
   * more {@code CERTIFICATE} blocks, leaf first (as {@link #exportPrivateKeyPem()} and {@link
   * #certificateChainPem()} write them).
   *
   * @throws IllegalArgumentException naming what is missing or malformed, without echoing the key
   */
  public static SigningKey fromPem(String pem) {
    Objects.requireNonNull(pem, "pem");
    PrivateKey key = null;
    List<X509Certificate> chain = new ArrayList<>();
    Matcher matcher = PEM_BLOCK.matcher(pem);
    while (matcher.find()) {
      String type = matcher.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(matcher.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pem: a " + type + " block is not valid base64");
      }
      switch (type) {
        case "PRIVATE KEY" -> {
          if (key != null) {
            throw new IllegalArgumentException("pem: holds more than one PRIVATE KEY block");
          }
          key = privateKey(der);
        }
        case "CERTIFICATE" -> chain.add(certificate(der));
        case "EC PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ->
            throw new IllegalArgumentException(
                "pem: a "
                    + type
                    + " block is not supported; convert it to unencrypted PKCS#8 with"
                    + " `openssl pkcs8 -topk8 -nocrypt`");
        default -> {
          // Other blocks (parameters, for instance) carry nothing a signing key needs.
        }
      }
    }
    if (key == null) {
      throw new IllegalArgumentException("pem: no PRIVATE KEY block (unencrypted PKCS#8)");
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("pem: no CERTIFICATE block after the key");
    }
    return of(key, chain);
  }

  /**
   * This key with a chosen key id, used as the {@code kid} in {@link KeyIdMode#JWKS} mode and in
   * the JWKS document.
   *
   * @throws IllegalArgumentException if the id is not 1 to 128 printable ASCII characters
   */
  public SigningKey withKeyId(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.isEmpty()
        || keyId.length() > 128
        || !keyId.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
      throw new IllegalArgumentException(
          "keyId: must be 1 to 128 printable ASCII characters without spaces, quotes or"
              + " backslashes");
    }
    return new SigningKey(algorithm, privateKey, chain, Optional.of(keyId), activeFrom);
  }

  /**
   * This key, signing from {@code instant} on. Publish a new key (in the registry's bundle or JWKS)
   * before it becomes active, so that the registry knows it by the time tokens carry it.
   */
  public SigningKey withActiveFrom(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    return new SigningKey(algorithm, privateKey, chain, chosenKeyId, instant);
  }

  /** The algorithm this key signs with. */
  public JwtAlgorithm algorithm() {
    return algorithm;
  }

  /** The public half, from the leaf certificate. */
  public PublicKey publicKey() {
    return chain.get(0).getPublicKey();
  }

  /** The certificate chain, leaf first. */
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  /** From when this key signs. */
  public Instant activeFrom() {
    return activeFrom;
  }

  /** The key id chosen with {@link #withKeyId}, if any. */
  public Optional<String> chosenKeyId() {
    return chosenKeyId;
  }

  /**
   * The libtrust fingerprint registry 2.8 uses as a {@code kid}: SHA-256 of the DER
   * SubjectPublicKeyInfo, its first 30 bytes in base32 without padding, as 12 groups of 4 joined by
   * {@code :}.
   */
  public String libtrustFingerprint() {
    byte[] digest = sha256(publicKey().getEncoded());
    String base32 = base32(java.util.Arrays.copyOf(digest, 30));
    StringBuilder out = new StringBuilder(59);
    for (int i = 0; i < base32.length(); i += 4) {
      if (i > 0) {
        out.append(':');
      }
      out.append(base32, i, i + 4);
    }
    return out.toString();
  }

  /** The RFC 7638 JWK thumbprint (SHA-256, base64url): EC coordinates padded to 32 bytes. */
  public String jwkThumbprint() {
    return thumbprint(true);
  }

  /**
   * The JWK thumbprint as distribution 3.1 computes it for its trusted keys: RFC 7638, except that
   * EC coordinates are their minimal big-endian bytes, not padded to the curve size. It differs
   * from {@link #jwkThumbprint()} when a coordinate starts with a zero byte (about 0.7% of P-256
   * keys); the two are equal for RSA keys.
   */
  public String distributionThumbprint() {
    return thumbprint(false);
  }

  /**
   * The {@code kid} this key carries in {@code mode}, and under which a JWKS lists it; in {@link
   * KeyIdMode#X5C} mode tokens carry no kid, and the JWKS lists the key under its {@linkplain
   * #distributionThumbprint() distribution thumbprint}.
   */
  public String keyId(KeyIdMode mode) {
    Objects.requireNonNull(mode, "mode");
    return switch (mode) {
      case LIBTRUST_FINGERPRINT -> libtrustFingerprint();
      case X5C, DISTRIBUTION_THUMBPRINT -> distributionThumbprint();
      case JWKS -> chosenKeyId.orElseGet(this::jwkThumbprint);
    };
  }

  /**
   * The private key as an unencrypted PKCS#8 PEM block. This is the secret: write it only to a file
   * that only the token server can read.
   */
  public String exportPrivateKeyPem() {
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  /** The certificate chain as PEM blocks, leaf first. */
  public String certificateChainPem() {
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : chain) {
      out.append(pem("CERTIFICATE", encoded(certificate)));
    }
    return out.toString();
  }

  /** The algorithm, the libtrust fingerprint and when the key signs; never key material. */
  @Override
  public String toString() {
    return "SigningKey["
        + algorithm
        + ", "
        + libtrustFingerprint()
        + ", activeFrom="
        + activeFrom
        + ", certificate until "
        + chain.get(0).getNotAfter().toInstant()
        + "]";
  }

  /**
   * A JWS signer with this key, whose header carries {@code extraHeader} after {@code alg} and
   * {@code typ}.
   */
  JwsSigner jwsSigner(Map<String, ?> extraHeader) {
    return JwsSigner.of(algorithm, privateKey, extraHeader);
  }

  /** The leaf certificate's DER. */
  static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate could not be encoded", e);
    }
  }

  /** The JWK members that identify the public key, in the lexicographic order RFC 7638 wants. */
  String jwkMembers(boolean padded) {
    PublicKey key = publicKey();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    if (key instanceof ECPublicKey ec) {
      byte[] x = unsigned(ec.getW().getAffineX());
      byte[] y = unsigned(ec.getW().getAffineY());
      if (padded) {
        x = leftPad(x, 32);
        y = leftPad(y, 32);
      }
      return "\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""
          + b64.encodeToString(x)
          + "\",\"y\":\""
          + b64.encodeToString(y)
          + "\"";
    }
    RSAPublicKey rsa = (RSAPublicKey) key;
    return "\"e\":\""
        + b64.encodeToString(unsigned(rsa.getPublicExponent()))
        + "\",\"kty\":\"RSA\",\"n\":\""
        + b64.encodeToString(unsigned(rsa.getModulus()))
        + "\"";
  }

  private String thumbprint(boolean padded) {
    byte[] json = ("{" + jwkMembers(padded) + "}").getBytes(StandardCharsets.UTF_8);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(json));
  }

  private static X509Certificate selfSigned(
      JwtAlgorithm algorithm,
      KeyPair pair,
      String commonName,
      Instant notBefore,
      Instant notAfter,
      SecureRandom random)
      throws GeneralSecurityException {
    byte[] serial = new byte[16];
    random.nextBytes(serial);
    serial[0] = (byte) ((serial[0] & 0x7f) | 0x40); // positive and never zero
    byte[] signatureAlgorithm =
        algorithm == JwtAlgorithm.ES256
            ? Der.sequence(Der.oid(OID_ECDSA_SHA256))
            : Der.sequence(Der.oid(OID_RSA_SHA256), Der.nul());
    byte[] name =
        Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(commonName))));
    byte[] spki = pair.getPublic().getEncoded();
    byte[] keyIdentifier = java.util.Arrays.copyOf(sha256(spki), 20);
    byte[] extensions =
        Der.sequence(
            // basicConstraints, critical: a CA, so that it can be the root of a bundle
            Der.sequence(
                Der.oid("2.5.29.19"),
                Der.bool(true),
                Der.octetString(Der.sequence(Der.bool(true)))),
            // keyUsage, critical: digitalSignature (bit 0) and keyCertSign (bit 5)
            Der.sequence(
                Der.oid("2.5.29.15"),
                Der.bool(true),
                Der.octetString(Der.bitString(new byte[] {(byte) 0x84}, 2))),
            // subjectKeyIdentifier
            Der.sequence(Der.oid("2.5.29.14"), Der.octetString(Der.octetString(keyIdentifier))));
    byte[] tbs =
        Der.sequence(
            Der.explicit(0, Der.integer(BigInteger.TWO)),
            Der.integer(new BigInteger(serial)),
            signatureAlgorithm,
            name,
            Der.sequence(Der.time(notBefore), Der.time(notAfter)),
            name,
            spki,
            Der.explicit(3, extensions));
    Signature signer = Signature.getInstance(algorithm.certificateSignature());
    signer.initSign(pair.getPrivate(), random);
    signer.update(tbs);
    byte[] certificate = Der.sequence(tbs, signatureAlgorithm, Der.bitString(signer.sign(), 0));
    return certificate(certificate);
  }

  private static JwtAlgorithm algorithmOf(java.security.Key key, String what) {
    return Jws.algorithmOf(key)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    what
                        + ": must be a P-256 EC key (ES256) or an RSA key of at least 2048 bits"
                        + " (RS256)"));
  }

  private static PrivateKey privateKey(byte[] der) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String type : new String[] {"EC", "RSA"}) {
      try {
        return KeyFactory.getInstance(type).generatePrivate(spec);
      } catch (InvalidKeySpecException e) {
        // not this kind; try the next
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK lacks " + type + " keys", e);
      }
    }
    throw new IllegalArgumentException(
        "pem: the PRIVATE KEY block is not a PKCS#8 EC or RSA private key");
  }

  private static X509Certificate certificate(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("pem: a CERTIFICATE block is not an X.509 certificate");
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  /** Minimal big-endian bytes without a sign byte, as Go's {@code big.Int.Bytes()}. */
  static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    int start = 0;
    while (start < bytes.length && bytes[start] == 0) {
      start++;
    }
    return java.util.Arrays.copyOfRange(bytes, start, bytes.length);
  }

  static byte[] leftPad(byte[] bytes, int length) {
    if (bytes.length >= length) {
      return bytes;
    }
    byte[] padded = new byte[length];
    System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
    return padded;
  }

  private static String base32(byte[] data) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder(data.length * 8 / 5 + 1);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >>> (bits - 5)) & 0x1f));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (5 - bits)) & 0x1f));
    }
    return out.toString();
  }
}
