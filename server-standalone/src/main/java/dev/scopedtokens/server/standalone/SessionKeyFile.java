package dev.scopedtokens.server.standalone;

import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;

/**
 * The management API's session key, {@code sessions.keyFile}: a P-256 key with its certificate, as
 * {@code keygen} writes it. Every node given the same file signs and accepts the same sessions, so
 * a load balancer may send a client's next call to any of them. It must not be a registry signing
 * key: a key signs one kind of token only.
 */
final class SessionKeyFile {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private SessionKeyFile() {}

  /**
   * Reads the key pair.
   *
   * @throws IllegalArgumentException naming {@code sessions.keyFile} and what is wrong (never the
   *     key)
   */
  static KeyPair read(Path file, List<SigningKey> registryKeys) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("sessions.keyFile: " + file + " cannot be read", e);
    }
    SigningKey key;
    try {
      // Checks that the file holds a key and the certificate of its public half.
      key = SigningKey.fromPem(pem);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sessions.keyFile: " + file + ": " + e.getMessage(), e);
    }
    if (key.algorithm() != JwtAlgorithm.ES256) {
      throw new IllegalArgumentException(
          "sessions.keyFile: "
              + file
              + " holds an RS256 key; sessions are ES256 (P-256): make one"
              + " with keygen --algorithm ES256");
    }
    for (SigningKey registryKey : registryKeys) {
      if (registryKey.publicKey().equals(key.publicKey())) {
        throw new IllegalArgumentException(
            "sessions.keyFile: "
                + file
                + " is one of token.keys; a session key must sign sessions only: make another"
                + " with keygen");
      }
    }
    return new KeyPair(key.publicKey(), privateKey(pem));
  }

  /** The PKCS#8 block {@link SigningKey#fromPem} has just read and checked. */
  private static PrivateKey privateKey(String pem) {
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END, begin);
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
    try {
      return KeyFactory.getInstance("EC")
          .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("sessions.keyFile: the private key cannot be read", e);
    }
  }
}
