package dev.scopedtokens.server.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpHeaders;
import dev.scopedtokens.server.http.HttpRequest;
import dev.scopedtokens.server.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's {@code HttpServer} on 127.0.0.1 serving one endpoint at {@code /token}: a test harness
 * (the production JDK adapter is another package's), enough to drive the endpoint with real HTTP.
 */
final class LoopbackServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  LoopbackServer(HttpEndpoint endpoint) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/token", exchange -> serve(endpoint, exchange));
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  private static void serve(HttpEndpoint endpoint, HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(64 * 1024);
      }
      URI uri = exchange.getRequestURI();
      HttpRequest request =
          HttpRequest.builder(exchange.getRequestMethod(), uri.getRawPath())
              .rawQuery(uri.getRawQuery())
              .headers(HttpHeaders.of(Map.copyOf(exchange.getRequestHeaders())))
              .body(body)
              .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
              .build();
      HttpResponse response = endpoint.handle(request);
      response
          .headers()
          .asMap()
          .forEach((name, values) -> exchange.getResponseHeaders().put(name, List.copyOf(values)));
      exchange.sendResponseHeaders(
          response.status(), response.bodyLength() == 0 ? -1 : response.bodyLength());
      if (response.bodyLength() > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          response.writeBody(out);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
