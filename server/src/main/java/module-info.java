/**
 * Scoped Tokens server: the Docker registry token endpoint and the Docker Hub-compatible token
 * management API over the core, as framework-neutral {@link
 * dev.scopedtokens.server.http.HttpEndpoint}s that a Servlet container, the JDK's {@code
 * HttpServer} or the standalone server (module {@code dev.scopedtokens.server.standalone}) mount.
 *
 * <p>Accounts and repositories come from the {@link
 * dev.scopedtokens.server.accounts.AccountDirectory} SPI that a registry implements; every decision
 * about tokens and scopes is the core's.
 */
module dev.scopedtokens.server {
  requires transitive dev.scopedtokens.core;
  requires com.fasterxml.jackson.databind;
  requires java.logging;
  requires com.fasterxml.jackson.dataformat.yaml;
  // The JDK HttpServer transport; part of every full JDK, and no type of it is in our API.
  requires jdk.httpserver;
  // The Servlet adapter: present only where a container (or the standalone server) brings it.
  requires static jakarta.servlet;

  exports dev.scopedtokens.server.http;
  exports dev.scopedtokens.server.accounts;
  exports dev.scopedtokens.server.servlet;
  exports dev.scopedtokens.server.registry;
  exports dev.scopedtokens.server.jwt;
  exports dev.scopedtokens.server.jdk;
  exports dev.scopedtokens.server.hub;

  // Jackson writes the management API's wire records by reflection.
  opens dev.scopedtokens.server.hub.internal to
      com.fasterxml.jackson.databind;
}
