package dev.scopedtokens.server.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.server.http.HttpLimits;
import dev.scopedtokens.server.http.HttpResponse;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
  @TempDir Path dir;

  @Test
  void pemKeyAndCertificate_serveHttps() throws Exception {
    SigningKey key =
        SigningKey.generate(
            JwtAlgorithm.ES256,
            "localhost",
            Instant.now().minusSeconds(60),
            Duration.ofDays(1),
            new SecureRandom());
    Path pem = dir.resolve("tls.pem");
    Files.writeString(pem, key.exportPrivateKeyPem() + key.certificateChainPem());
    StandaloneServer.Listen listen =
        new StandaloneServer.Listen(
            "127.0.0.1", 0, HttpLimits.DEFAULTS, 8, 16, 1024, Optional.of(TlsFiles.fromPem(pem)));

    try (StandaloneServer server =
        StandaloneServer.start(
            request -> HttpResponse.json(200, "{\"secure\":" + request.secure() + "}"),
            listen,
            new RequestLogLine(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Clock.systemUTC()))) {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("server", key.certificateChain().get(0));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), new SecureRandom());
      InetSocketAddress address = server.address();
      try (SSLSocket socket =
          (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", address.getPort())) {
        socket.setSoTimeout(60_000);
        socket
            .getOutputStream()
            .write(
                "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        RawHttp.Answer answer = RawHttp.read(socket.getInputStream());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"secure\":true}");
      }
    }
  }

  @Test
  void aPemWithoutAKey_isRefused_namingWhatIsMissing() throws Exception {
    Path pem = dir.resolve("cert-only.pem");
    SigningKey key =
        SigningKey.generate(
            JwtAlgorithm.ES256, "x", Instant.now(), Duration.ofDays(1), new SecureRandom());
    Files.writeString(pem, key.certificateChainPem());

    assertThatThrownBy(() -> TlsFiles.fromPem(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must hold a PRIVATE KEY block (PKCS#8)");
  }
}
