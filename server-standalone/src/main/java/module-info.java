/**
 * Scoped Tokens' standalone token server: the server module's endpoints on Jetty 12, tokens in
 * memory or in PostgreSQL through a HikariCP pool, accounts from the configuration file. A program,
 * not a library: its one public type is {@link dev.scopedtokens.server.standalone.Main}, the
 * command line, and its shaded jar runs on the class path ({@code java -jar
 * scopedtokens-server-VERSION-standalone.jar --config server.yml}).
 */
// The PostgreSQL driver (for the change feed's own LISTEN connection) is an automatic module.
@SuppressWarnings("requires-automatic")
module dev.scopedtokens.server.standalone {
  requires dev.scopedtokens.server;
  requires dev.scopedtokens.store.postgres;
  requires com.zaxxer.hikari;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires jakarta.servlet;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.ee10.servlet;
  requires java.sql;
  requires org.postgresql.jdbc;

  // Only the command line, Main; everything else in the package is package-private.
  exports dev.scopedtokens.server.standalone;
}
