/**
 * Scoped Tokens' PostgreSQL store: {@link dev.scopedtokens.store.postgres.PostgresTokenStore}.
 *
 * <p>Depends on the core and the PostgreSQL JDBC driver only; takes any {@link
 * javax.sql.DataSource} and ships no pool. The store itself uses only JDBC; its change feed reads
 * notifications through the driver's {@code PGConnection}.
 */
// The driver is an automatic module (org.postgresql.jdbc); the change feed needs its
// PGConnection.getNotifications, which plain JDBC does not offer.
@SuppressWarnings("requires-automatic")
module dev.scopedtokens.store.postgres {
  requires transitive dev.scopedtokens.core;
  requires transitive java.sql;
  requires org.postgresql.jdbc;

  exports dev.scopedtokens.store.postgres;
}
