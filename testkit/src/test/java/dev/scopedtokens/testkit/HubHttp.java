package dev.scopedtokens.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Plain {@code java.net.http} calls to the fake, independent of the project's own client, so that
 * the tests read the wire exactly as any client would.
 */
final class HubHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newHttpClient();
  private final URI base;

  HubHttp(URI base) {
    this.base = base;
  }

  /** A response with its body parsed as JSON (a missing node when empty). */
  record Reply(int status, java.net.http.HttpHeaders headers, String text) {
    JsonNode json() {
      if (text.isEmpty()) {
        return MissingNode.getInstance();
      }
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + text, e);
      }
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  Reply get(String path, String bearer) {
    return send(request(path, bearer).GET());
  }

  Reply delete(String path, String bearer) {
    return send(request(path, bearer).DELETE());
  }

  Reply post(String path, String json) {
    return post(path, json, null);
  }

  Reply post(String path, String json, String bearer) {
    return send(request(path, bearer).POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply patch(String path, String json, String bearer) {
    return send(request(path, bearer).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  Reply send(String method, String path, byte[] body, String bearer) {
    return send(request(path, bearer).method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** Signs in with a password through {@code /v2/auth/token} and returns the JWT. */
  String login(String user, String password) {
    Reply reply =
        post("/v2/auth/token", "{\"identifier\":\"" + user + "\",\"secret\":\"" + password + "\"}");
    if (reply.status() != 200) {
      throw new AssertionError(
          "login of " + user + " failed: " + reply.status() + " " + reply.text());
    }
    return reply.json().get("access_token").asText();
  }

  Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String path, String bearer) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }
}
