package dev.scopedtokens.server.standalone;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the server's TLS key and certificate chain from PEM or PKCS#12 into a key store. */
final class TlsFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private TlsFiles() {}

  static StandaloneServer.Tls load(StandaloneConfig.TlsPaths files) {
    if (files.pem().isPresent()) {
      return fromPem(files.pem().get());
    }
    Path p12 = files.pkcs12().orElseThrow();
    Path passwordFile = files.passwordFile().orElseThrow();
    char[] password;
    try {
      password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "listen.tls.passwordFile: " + passwordFile + " cannot be read", e);
    }
    try (InputStream in = Files.newInputStream(p12)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      return new StandaloneServer.Tls(store, password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "listen.tls.pkcs12: "
              + p12
              + " cannot be read as PKCS#12 with the given password ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  /** A PEM file with an unencrypted PKCS#8 PRIVATE KEY and the certificate chain, leaf first. */
  static StandaloneServer.Tls fromPem(Path pem) {
    String text;
    try {
      text = Files.readString(pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("listen.tls.pem: " + pem + " cannot be read", e);
    }
    byte[] keyDer = null;
    List<Certificate> chain = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      while (m.find()) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        switch (m.group(1)) {
          case "PRIVATE KEY" -> keyDer = der;
          case "CERTIFICATE" -> chain.add(x509.generateCertificate(new ByteArrayInputStream(der)));
          default ->
              throw new IllegalArgumentException(
                  "listen.tls.pem: "
                      + pem
                      + " holds a "
                      + m.group(1)
                      + " block; give an unencrypted PKCS#8 PRIVATE KEY and CERTIFICATE blocks");
        }
      }
      if (keyDer == null || chain.isEmpty()) {
        throw new IllegalArgumentException(
            "listen.tls.pem: "
                + pem
                + " must hold a PRIVATE KEY block (PKCS#8) and at least one CERTIFICATE block");
      }
      String algorithm = chain.get(0).getPublicKey().getAlgorithm();
      PrivateKey key =
          KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(keyDer));
      char[] password = "scopedtokens".toCharArray();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
      return new StandaloneServer.Tls(store, password);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "listen.tls.pem: "
              + pem
              + " does not hold a usable key and certificate ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }
}
