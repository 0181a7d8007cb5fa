package dev.scopedtokens.robustness;

import static dev.scopedtokens.robustness.JsonGenerators.TOKEN_FIELDS;
import static dev.scopedtokens.robustness.JsonGenerators.json;
import static dev.scopedtokens.robustness.JsonGenerators.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.scopedtokens.secret.HmacSha256Hasher;
import dev.scopedtokens.testkit.FakeDockerHub;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.quicktheories.core.Gen;

/**
 * Whatever a client sends, the fake Docker Hub answers with a 2xx or a 4xx, never a 5xx, and keeps
 * serving. Where {@link FakeDockerHubRequestFuzzTest} mutates bytes, this property builds requests
 * that get past the HTTP parser and deep into the handlers: real paths and methods (and others), a
 * valid bearer JWT (and forged, missing or raw-token ones), query strings, and JSON bodies with the
 * wire's field names holding values of every type. Sent as raw bytes over a socket, with a correct
 * {@code Content-Length}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FakeDockerHubRequestPropertyTest {
  private static final String[] PATHS = {
    "/v2/users/login",
    "/v2/users/login/",
    "/v2/auth/token",
    "/v2/users/2fa-login",
    "/v2/access-tokens",
    "/v2/access-tokens/",
    "/v2/access-tokens/0f0e0d0c-0b0a-4908-8706-050403020100",
    "/v2/access-tokens/not-a-uuid",
    "/v2/access-tokens/%00",
    "/v2/access-tokens/a/b",
    "/",
    "/v2",
    "/v2/orgs/acme/access-tokens",
    "//v2//access-tokens"
  };
  private static final String[] QUERIES = {
    "", "?page=1&page_size=100", "?page=0", "?page=-1&page_size=0", "?page_size=101",
    "?page=99999999999999999999", "?page=1.5", "?page=&page_size=", "?page=2&page=3", "?%zz"
  };
  private static final String[] METHODS = {
    "GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS", "TRACE", "BREW"
  };
  private static final String[] BODY_FIELDS = {
    "token_label",
    "scopes",
    "expires_at",
    "is_active",
    "username",
    "password",
    "identifier",
    "secret",
    "login_2fa_token",
    "code"
  };
  private static final Pattern TOKEN =
      Pattern.compile("\"(?:token|access_token)\"\\s*:\\s*\"([^\"]+)\"");

  private FakeDockerHub hub;
  private String jwt;

  @BeforeAll
  void startHubAndSignIn() {
    HmacSha256Hasher fast =
        HmacSha256Hasher.withPepper(new SecretKeySpec(new byte[32], "HmacSHA256"));
    hub = FakeDockerHub.builder().tokenHasher(fast).passwordHasher(fast).start();
    hub.addUser(FakeDockerHubRequestFuzzTest.USER, FakeDockerHubRequestFuzzTest.PASSWORD);
    String body =
        "{\"username\":\""
            + FakeDockerHubRequestFuzzTest.USER
            + "\",\"password\":\""
            + FakeDockerHubRequestFuzzTest.PASSWORD
            + "\"}";
    RawHttp.Answer login =
        RawHttp.exchange(
            hub.port(),
            request("POST", "/v2/users/login", "", "", body.getBytes(StandardCharsets.UTF_8)));
    Matcher matcher = TOKEN.matcher(new String(login.bytes(), StandardCharsets.UTF_8));
    assertThat(matcher.find()).as("login answer %s", login).isTrue();
    jwt = matcher.group(1);
  }

  @AfterAll
  void stopHub() {
    hub.close();
  }

  @Test
  void anyRequest_getsA2xxOr4xx_andTheServerKeepsServing() {
    qt().withExamples(400)
        .forAll(arbitrary().pick(List.of(METHODS)), path(), authorization(), body())
        .checkAssert(
            (method, path, authorization, body) -> {
              RawHttp.Answer answer =
                  RawHttp.exchange(hub.port(), request(method, path, authorization, "", body));
              assertThat(answer.statuses()).as("%s %s: %s", method, path, answer).hasSize(1);
              assertThat(answer.statuses().get(0) / 100)
                  .as("%s %s: %s", method, path, answer)
                  .isIn(2, 4);
            });
    FakeDockerHubRequestFuzzTest.assertKeepsServing(hub.port());
  }

  private Gen<String> path() {
    return arbitrary()
        .pick(List.of(PATHS))
        .zip(arbitrary().pick(List.of(QUERIES)), (p, q) -> p + q);
  }

  private Gen<String> authorization() {
    return integers()
        .between(0, 4)
        .map(
            kind -> {
              return switch (kind) {
                case 0 -> "";
                case 1, 2 -> "Bearer " + jwt;
                case 3 -> "Bearer " + jwt.substring(0, jwt.length() - 2) + "xx";
                default -> "Bearer stk_mavzfVABqZ5YsOOlB1f46RfHk7hp3ILTgK2y3mH3Uqtm3rzsbQ";
              };
            });
  }

  private static Gen<byte[]> body() {
    Gen<String> text =
        integers()
            .between(0, 3)
            .flatMap(
                kind -> {
                  return switch (kind) {
                    case 0 -> arbitrary().constant("");
                    case 1 -> object(BODY_FIELDS, json(1));
                    case 2 -> object(TOKEN_FIELDS, json(2));
                    default -> json(3);
                  };
                });
    Gen<byte[]> raw =
        lists()
            .of(integers().between(0, 255))
            .ofSizeBetween(0, 64)
            .map(
                list -> {
                  byte[] bytes = new byte[list.size()];
                  for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) (int) list.get(i);
                  }
                  return bytes;
                });
    return integers()
        .between(0, 9)
        .flatMap(kind -> kind == 0 ? raw : text.map(t -> t.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] request(
      String method, String path, String authorization, String extraHeaders, byte[] body) {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n");
    if (!authorization.isEmpty()) {
      head.append("Authorization: ").append(authorization).append("\r\n");
    }
    head.append(extraHeaders);
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes(body);
    return bytes.toByteArray();
  }
}
