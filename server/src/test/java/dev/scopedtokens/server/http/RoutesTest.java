package dev.scopedtokens.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RoutesTest {
  private final Routes routes =
      Routes.builder()
          .route("GET", "/v2/access-tokens", r -> HttpResponse.json(200, "{\"list\":true}"))
          .route(
              "GET",
              "/v2/access-tokens/{id}",
              r -> HttpResponse.json(200, "{\"id\":\"" + r.pathParameter("id") + "\"}"))
          .route("DELETE", "/v2/access-tokens/{id}", r -> HttpResponse.empty(204))
          .route(
              "POST",
              "/token",
              r -> {
                throw HttpRequestException.badRequest("grant_type: missing");
              })
          .build();

  private static String body(HttpResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void aTemplate_matchesOneSegmentAndDecodesIt() {
    HttpResponse response =
        routes.handle(HttpRequest.builder("GET", "/v2/access-tokens/ab%20c").build());

    assertThat(response.status()).isEqualTo(200);
    assertThat(body(response)).isEqualTo("{\"id\":\"ab c\"}");
  }

  @Test
  void aTrailingSlash_matchesTheSameRoute() {
    assertThat(routes.handle(HttpRequest.builder("GET", "/v2/access-tokens/").build()).status())
        .isEqualTo(200);
  }

  @Test
  void anUnknownPath_is404Json() {
    HttpResponse response = routes.handle(HttpRequest.builder("GET", "/v2/nope").build());

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.headers().first("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(body(response)).contains("\"code\":\"not_found\"");
  }

  @Test
  void aKnownPathWithAnotherMethod_is405WithAllow() {
    HttpResponse response =
        routes.handle(HttpRequest.builder("PUT", "/v2/access-tokens/x").build());

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.headers().first("Allow")).hasValue("GET, DELETE");
  }

  @Test
  void headIsAnsweredByTheGetRoute() {
    assertThat(routes.handle(HttpRequest.builder("HEAD", "/v2/access-tokens").build()).status())
        .isEqualTo(200);
  }

  @Test
  void anEndpointsRequestException_isAnsweredWithItsStatus() {
    HttpResponse response = routes.handle(HttpRequest.builder("POST", "/token").build());

    assertThat(response.status()).isEqualTo(400);
    assertThat(body(response)).contains("grant_type: missing");
  }

  @Test
  void aMalformedEscapeInAPathParameter_is400() {
    assertThat(routes.handle(HttpRequest.builder("GET", "/v2/access-tokens/%zz").build()).status())
        .isEqualTo(400);
  }
}
