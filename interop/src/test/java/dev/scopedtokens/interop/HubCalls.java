package dev.scopedtokens.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One standalone server's HTTP API, as a user's scripts and a registry's clients call it: Docker
 * Hub's management API ({@code /v2/...}, JSON) and the token endpoint ({@code /token}), over
 * java.net.http on loopback.
 */
final class HubCalls {
  /** A personal access token as the management API made it: its id and its secret. */
  record Pat(String id, String token) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger labels = new AtomicInteger();
  private final int port;
  private final String service;

  /**
   * Calls to the server on {@code port} of localhost, whose registry service is {@code service}.
   */
  HubCalls(int port, String service) {
    this.port = port;
    this.service = service;
  }

  /** Parses {@code text} as JSON, failing the test when it is not. */
  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The bearer token of a session {@code user} opens with {@code password}. */
  String session(String user, String password) {
    return call(
            "POST",
            "/v2/users/login",
            null,
            "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")
        .path("token")
        .asText();
  }

  /** A PAT with one scope, made in a session of {@code user}'s. */
  Pat createPat(String user, String password, String scope) {
    return createPat(user, password, scope, null);
  }

  /** A PAT with one scope expiring at {@code expiresAt} (ISO-8601; null: never). */
  Pat createPat(String user, String password, String scope, String expiresAt) {
    return createPatInSession(session(user, password), scope, expiresAt);
  }

  /** A PAT with one scope, made in the session whose bearer token is {@code session}. */
  Pat createPatInSession(String session, String scope, String expiresAt) {
    String body =
        "{\"token_label\":\"interop-"
            + labels.incrementAndGet()
            + "\",\"scopes\":[\""
            + scope
            + "\"]"
            + (expiresAt == null ? "" : ",\"expires_at\":\"" + expiresAt + "\"")
            + "}";
    JsonNode created = call("POST", "/v2/access-tokens", session, body);
    return new Pat(created.path("uuid").asText(), created.path("token").asText());
  }

  /** Deactivates {@code pat} in the session whose bearer token is {@code session}. */
  void deactivate(String session, Pat pat) {
    call("PATCH", "/v2/access-tokens/" + pat.id(), session, "{\"is_active\":false}");
  }

  /** A management API call that must succeed (2xx); returns its JSON body ({} when empty). */
  JsonNode call(String method, String path, String bearer, String body) {
    HttpResponse<String> response = send(method, path, bearer, body);
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isBetween(200, 299);
    return response.body().isEmpty() ? JSON.createObjectNode() : json(response.body());
  }

  /** A management API call, answered however it is; {@code bearer} and {@code body} may be null. */
  HttpResponse<String> send(String method, String path, String bearer, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return exchange(request.build());
  }

  /**
   * A token request (GET {@code /token?service=...}) with {@code user}'s {@code secret} as basic
   * authentication; {@code query} ({@code &scope=...}) is appended as given.
   */
  HttpResponse<String> token(String user, String secret, String query) {
    String basic =
        Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    return exchange(
        HttpRequest.newBuilder(uri("/token?service=" + service + query))
            .header("Authorization", "Basic " + basic)
            .GET()
            .build());
  }

  /** A form POST, as containerd sends its password grant to {@code /token}. */
  HttpResponse<String> postForm(String path, String form) {
    return exchange(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build());
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://localhost:" + port + pathAndQuery);
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri().getPath() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
