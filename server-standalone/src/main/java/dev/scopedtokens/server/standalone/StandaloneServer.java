package dev.scopedtokens.server.standalone;

import dev.scopedtokens.server.http.HttpEndpoint;
import dev.scopedtokens.server.http.HttpLimits;
import dev.scopedtokens.server.servlet.EndpointServlet;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An {@link HttpEndpoint} served by Jetty 12 through the {@link EndpointServlet}, hardened for the
 * open network: bounded threads, queue and connections; header, body and read-time limits; a
 * minimum request data rate so that a slow client cannot hold a thread; Jetty's own error answers
 * in JSON; one log line per request; optional TLS.
 */
final class StandaloneServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  private StandaloneServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /** Where and how to listen. */
  record Listen(
      String host,
      int port,
      HttpLimits limits,
      int maxThreads,
      int maxConnections,
      long minReadBytesPerSecond,
      Optional<Tls> tls) {
    Listen {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(tls, "tls");
    }

    /** Loopback, a free port, the default limits, no TLS: for tests. */
    static Listen loopback(HttpLimits limits) {
      return new Listen("127.0.0.1", 0, limits, 16, 256, 1024, Optional.empty());
    }
  }

  /** A key store holding the server's key and certificate chain. Not printed. */
  static final class Tls {
    final KeyStore keyStore;
    final char[] password;

    Tls(KeyStore keyStore, char[] password) {
      this.keyStore = keyStore;
      this.password = password.clone();
    }

    @Override
    public String toString() {
      return "Tls[redacted]";
    }
  }

  /**
   * Starts serving {@code endpoint}.
   *
   * @throws IllegalStateException if the server cannot start (the port is taken, say)
   */
  static StandaloneServer start(HttpEndpoint endpoint, Listen listen, RequestLogLine log) {
    HttpLimits limits = listen.limits();
    // Jetty's queue holds at most one task per connection, and connections are capped below.
    QueuedThreadPool threads =
        new QueuedThreadPool(listen.maxThreads(), Math.min(4, listen.maxThreads()), 60_000);
    threads.setName("scopedtokens-http");
    Server server = new Server(threads);
    server.setStopTimeout(STOP_GRACE.toMillis());

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(limits.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setIdleTimeout(limits.readTimeout().toMillis());
    HttpConnectionFactory h1 = new HttpConnectionFactory(http);

    ServerConnector connector;
    if (listen.tls().isPresent()) {
      Tls tls = listen.tls().get();
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(tls.keyStore);
      ssl.setKeyStorePassword(new String(tls.password));
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // The certificate names the service's host, which tests and many setups do not match.
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"), h1);
    } else {
      connector = new ServerConnector(server, 1, 1, h1);
    }
    connector.setHost(listen.host());
    connector.setPort(listen.port());
    connector.setIdleTimeout(limits.idleTimeout().toMillis());
    connector.setAcceptQueueSize(128);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(listen.maxConnections(), server));

    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder("endpoint", new EndpointServlet(endpoint, limits)), "/");
    context.setErrorHandler(new JsonErrors.Servlet(limits));
    // The whole body arrives before a thread runs the servlet, so a slow body holds no thread;
    // one over the limit (plus room for chunk framing) is refused 413 while it arrives.
    EagerContentHandler eager =
        new EagerContentHandler(
            context,
            new EagerContentHandler.RetainedContentLoaderFactory(
                limits.maxBodyBytes() + 16 * 1024L, -1, true));
    server.setHandler(new MinimumDataRateHandler(eager, listen.minReadBytesPerSecond(), 0));
    server.setErrorHandler(new JsonErrors.Core(limits));
    server.setRequestLog(log);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException(
          "cannot listen on " + listen.host() + ":" + listen.port() + ": " + e.getMessage(), e);
    }
    return new StandaloneServer(server, connector);
  }

  /** The address the server listens on (with the port the system chose for port 0). */
  InetSocketAddress address() {
    return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
  }

  /** How long requests in flight may take to finish when the server stops. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  /** Stops accepting, lets requests in flight finish (up to {@link #STOP_GRACE}), and stops. */
  @Override
  public void close() {
    stop(STOP_GRACE);
  }

  /**
   * Stops accepting, lets requests in flight finish for up to {@code grace}, and stops. A request
   * still running when the grace ends is cut off: that is the point of a bound, not a failure, so
   * this returns normally once nothing listens (Jetty reports the cut as a timeout).
   *
   * @throws IllegalStateException when the server could not stop
   */
  void stop(Duration grace) {
    server.setStopTimeout(grace.toMillis());
    try {
      server.stop();
    } catch (TimeoutException graceEnded) {
      // Jetty stops everything after the grace and then reports the timeout; what matters is
      // that nothing listens any more.
      if (connector.isOpen()) {
        throw new IllegalStateException("stopping the server failed: it still listens", graceEnded);
      }
    } catch (Exception e) {
      throw new IllegalStateException("stopping the server failed: " + e.getMessage(), e);
    }
  }
}
