package dev.scopedtokens.server.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scopedtokens.secret.Argon2idHasher;
import dev.scopedtokens.secret.TokenSecret;
import dev.scopedtokens.server.jwt.JwtAlgorithm;
import dev.scopedtokens.server.jwt.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
  @TempDir Path dir;

  private Path config(String extra) throws IOException {
    SigningKey key =
        SigningKey.generate(
            JwtAlgorithm.ES256,
            "test-issuer",
            Instant.now().minusSeconds(60),
            Duration.ofDays(1),
            new SecureRandom());
    Files.writeString(
        dir.resolve("signing.pem"), key.exportPrivateKeyPem() + key.certificateChainPem());
    String hash = Argon2idHasher.defaults().hash(TokenSecret.of("alice-pw"));
    Path file = dir.resolve("server.yml");
    Files.writeString(
        file,
        """
        listen: {host: 127.0.0.1, port: 0}
        token:
          realm: http://localhost/token
          service: test-registry
          issuer: test-issuer
          keys: [signing.pem]
        accounts:
          alice: {password: "%s"}
        namespaces:
          - {repositories: "alice/**", owners: [alice]}
        """
                .formatted(hash)
            + extra);
    return file;
  }

  @Test
  void servesHealthAndTokens_andPrintsTheRegistryBlock() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Main.Running running =
        Main.start(
            config(""), new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC())) {
      var address = running.server().address();
      String basic =
          Base64.getEncoder().encodeToString("alice:alice-pw".getBytes(StandardCharsets.UTF_8));
      String wrong =
          Base64.getEncoder().encodeToString("alice:nope".getBytes(StandardCharsets.UTF_8));

      RawHttp.Answer health =
          RawHttp.exchange(address, ascii("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"), true);
      RawHttp.Answer good =
          RawHttp.exchange(
              address,
              ascii(
                  "GET /token?service=test-registry&scope=repository:alice/app:pull HTTP/1.1\r\n"
                      + "Host: x\r\nAuthorization: Basic "
                      + basic
                      + "\r\n\r\n"),
              true);
      RawHttp.Answer bad =
          RawHttp.exchange(
              address,
              ascii(
                  "GET /token?service=test-registry HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                      + wrong
                      + "\r\n\r\n"),
              true);

      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(good.status()).as(good.toString()).isEqualTo(200);
      assertThat(good.body()).contains("\"token\"");
      assertThat(bad.status()).isEqualTo(401);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("auth:\n  token:\n    realm: http://localhost/token\n    service: test-registry")
        .contains("issuer: test-issuer")
        .contains("rootcertbundle: " + dir.resolve("registry-rootcertbundle.pem").toAbsolutePath());
    assertThat(printed).doesNotContain("alice-pw").doesNotContain("argon2");
    assertThat(dir.resolve("registry-rootcertbundle.pem"))
        .content()
        .startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void unknownKey_isRefused_namingIt() throws IOException {
    Path file = config("tokn: {}\n");

    assertThatThrownBy(() -> Main.start(file, System.out, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokn: unknown key");
  }

  @Test
  void badDuration_isRefused_namingIt() throws IOException {
    Path file = config("limits: {readTimeout: soon}\n");

    assertThatThrownBy(() -> Main.start(file, System.out, Clock.systemUTC()))
        .hasMessageContaining("limits.readTimeout: must be a duration such as 500ms");
  }

  @Test
  void aStoreThatIsNotPostgres_isRefused_namingIt() throws IOException {
    Path file = config("store: {url: 'jdbc:mysql://db/tokens'}\n");

    assertThatThrownBy(() -> Main.start(file, System.out, Clock.systemUTC()))
        .hasMessageContaining("store.url: must be a PostgreSQL JDBC URL");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sessions: {keyFile: rsa.pem} | holds an RS256 key; sessions are ES256",
        "sessions: {keyFile: missing.pem} | sessions.keyFile: ",
        "sessions: {file: session.pem} | sessions.file: unknown key; allowed under sessions are keyFile",
        "sessions: session.pem | sessions: must be a mapping {keyFile: session.pem}",
        "sessions: {} | sessions.keyFile: needed under sessions:"
      })
  void aBadSessionKey_isRefused_namingIt(String extra, String message) throws IOException {
    SigningKey rsa =
        SigningKey.generate(
            JwtAlgorithm.RS256,
            "test-issuer",
            Instant.now().minusSeconds(60),
            Duration.ofDays(1),
            new SecureRandom());
    Files.writeString(
        dir.resolve("rsa.pem"), rsa.exportPrivateKeyPem() + rsa.certificateChainPem());
    Path file = config(extra + "\n");

    assertThatThrownBy(() -> Main.start(file, System.out, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("PRIVATE KEY");
  }

  @Test
  void theSigningKeyAsSessionKey_isRefused_becauseAKeySignsOneKindOfToken() throws IOException {
    Path file = config("sessions: {keyFile: signing.pem}\n");

    assertThatThrownBy(() -> Main.start(file, System.out, Clock.systemUTC()))
        .hasMessageContaining("is one of token.keys; a session key must sign sessions only");
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
