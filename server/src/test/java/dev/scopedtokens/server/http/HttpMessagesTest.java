package dev.scopedtokens.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpMessagesTest {

  @Test
  void headers_areLookedUpWithoutRegardToCase() {
    HttpHeaders headers = HttpHeaders.of(Map.of("Content-Type", List.of("a", "b")));

    assertThat(headers.first("content-type")).hasValue("a");
    assertThat(headers.all("CONTENT-TYPE")).containsExactly("a", "b");
  }

  @Test
  void headers_refuseLineBreaksThatWouldSplitAResponse() {
    assertThatThrownBy(() -> HttpHeaders.empty().with("Location", "/x\r\nSet-Cookie: a=b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line break");
  }

  @Test
  void toStrings_neverShowCredentials() {
    HttpRequest request =
        HttpRequest.builder("post", "/token")
            .rawQuery("password=hunter2")
            .headers(HttpHeaders.of(Map.of("Authorization", List.of("Basic c2VjcmV0"))))
            .body("password=hunter2".getBytes(StandardCharsets.UTF_8))
            .build();

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.toString()).isEqualTo("POST /token");
    assertThat(request.headers().toString()).contains("Authorization").doesNotContain("c2Vj");
    assertThat(HttpResponse.json(200, "{\"token\":\"s3cr3t\"}").toString())
        .doesNotContain("s3cr3t");
  }

  @Test
  void form_needsTheFormMediaType() {
    HttpRequest json =
        HttpRequest.builder("POST", "/token")
            .headers(HttpHeaders.of(Map.of("Content-Type", List.of("application/json"))))
            .body("a=b".getBytes(StandardCharsets.UTF_8))
            .build();

    assertThatThrownBy(json::form)
        .isInstanceOfSatisfying(
            HttpRequestException.class, e -> assertThat(e.status()).isEqualTo(415));
  }

  @Test
  void form_parsesAFormBodyWithACharsetParameter() {
    HttpRequest form =
        HttpRequest.builder("POST", "/token")
            .headers(
                HttpHeaders.of(
                    Map.of(
                        "Content-Type",
                        List.of("application/x-www-form-urlencoded; charset=UTF-8"))))
            .body("grant_type=password&scope=a&scope=b".getBytes(StandardCharsets.UTF_8))
            .build();

    assertThat(form.form().all("scope")).containsExactly("a", "b");
  }

  @Test
  void aBodyThatIsNotUtf8_is400() {
    HttpRequest request =
        HttpRequest.builder("POST", "/token").body(new byte[] {(byte) 0xC3, 0x28}).build();

    assertThatThrownBy(() -> request.bodyText("body"))
        .isInstanceOfSatisfying(
            HttpRequestException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void errors_escapeTheirTextAsJson() {
    HttpResponse error = HttpResponse.error(400, "invalid_request", "a \"quoted\"\nline");

    assertThat(new String(error.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"code\":\"invalid_request\",\"message\":\"a \\\"quoted\\\"\\nline\"}");
  }

  @Test
  void aRequestExceptionMustBe4xx() {
    assertThatThrownBy(() -> new HttpRequestException(500, "x", "y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limits_refuseNonsense() {
    assertThatThrownBy(
            () ->
                new HttpLimits(
                    0, 1, 1, HttpLimits.DEFAULTS.readTimeout(), HttpLimits.DEFAULTS.idleTimeout()))
        .hasMessageContaining("maxBodyBytes");
  }
}
