package dev.scopedtokens.server.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * An {@link HttpEndpoint} that sends each request to the endpoint routed for its method and path. A
 * template is a path whose segments may be {@code {name}} placeholders, each matching one non-empty
 * segment, which the endpoint reads with {@link HttpRequest#pathParameter}.
 *
 * <pre>{@code
 * HttpEndpoint api = Routes.builder()
 *     .route("GET", "/v2/access-tokens", list)
 *     .route("GET", "/v2/access-tokens/{id}", get)
 *     .build();
 * }</pre>
 *
 * <p>An unknown path is answered 404 and a known path with another method 405 (with {@code Allow});
 * an {@link HttpRequestException} thrown by an endpoint is answered with its 4xx status. Each
 * answer is a JSON body, rendered by {@link Builder#errors} when a face has its own error format.
 */
public final class Routes implements HttpEndpoint {
  private final List<Route> routes;
  private final Function<HttpRequestException, HttpResponse> errors;

  private Routes(Builder builder) {
    this.routes = List.copyOf(builder.routes);
    this.errors = builder.errors;
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    try {
      String[] segments = segments(request.path());
      Set<String> allowed = new LinkedHashSet<>();
      for (Route route : routes) {
        Map<String, String> parameters = route.match(segments);
        if (parameters == null) {
          continue;
        }
        if (route.method.equals(request.method())
            || (request.method().equals("HEAD") && route.method.equals("GET"))) {
          return route.endpoint.handle(request.withPathParameters(parameters));
        }
        allowed.add(route.method);
      }
      if (allowed.isEmpty()) {
        throw new HttpRequestException(404, "not_found", "no such resource");
      }
      return errors
          .apply(
              new HttpRequestException(
                  405,
                  "method_not_allowed",
                  "method not allowed here; use " + String.join(" or ", allowed)))
          .withHeader("Allow", String.join(", ", allowed));
    } catch (HttpRequestException e) {
      return errors.apply(e);
    }
  }

  private static String[] segments(String path) {
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return trimmed.substring(1).split("/", -1);
  }

  private record Route(String method, String[] template, HttpEndpoint endpoint) {
    /** The decoded placeholders when {@code segments} match, otherwise null. */
    Map<String, String> match(String[] segments) {
      if (segments.length != template.length) {
        return null;
      }
      Map<String, String> parameters = null;
      for (int i = 0; i < template.length; i++) {
        String part = template[i];
        if (part.startsWith("{")) {
          if (segments[i].isEmpty()) {
            return null;
          }
          if (parameters == null) {
            parameters = new HashMap<>();
          }
          String name = part.substring(1, part.length() - 1);
          String value =
              Parameters.parse("v=" + segments[i].replace("+", "%2B"), "path")
                  .first("v")
                  .orElse("");
          parameters.put(name, value);
        } else if (!part.equals(segments[i])) {
          return null;
        }
      }
      return parameters == null ? Map.of() : parameters;
    }
  }

  /** Builds {@link Routes}. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private Function<HttpRequestException, HttpResponse> errors = HttpRequestException::toResponse;

    private Builder() {}

    /**
     * Routes {@code method} on paths matching {@code template} to {@code endpoint}. A {@code GET}
     * route also answers {@code HEAD}.
     *
     * @throws IllegalArgumentException if the template does not start with {@code /} or has a
     *     malformed placeholder
     */
    public Builder route(String method, String template, HttpEndpoint endpoint) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(endpoint, "endpoint");
      if (!template.startsWith("/")) {
        throw new IllegalArgumentException("template: must start with '/'");
      }
      String[] parts = segments(template);
      for (String part : parts) {
        boolean open = part.startsWith("{");
        boolean close = part.endsWith("}");
        if (open != close || (open && part.length() < 3)) {
          throw new IllegalArgumentException(
              "template: a placeholder is a whole segment such as {id}");
        }
      }
      routes.add(new Route(method.toUpperCase(java.util.Locale.ROOT), parts, endpoint));
      return this;
    }

    /** How 404, 405 and {@link HttpRequestException}s are rendered; the neutral JSON by default. */
    public Builder errors(Function<HttpRequestException, HttpResponse> errors) {
      this.errors = Objects.requireNonNull(errors, "errors");
      return this;
    }

    /** The router. */
    public Routes build() {
      return new Routes(this);
    }
  }
}
