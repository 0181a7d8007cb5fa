/**
 * Scoped Tokens' PostgreSQL store: {@link dev.scopedtokens.store.postgres.PostgresTokenStore}.
 *
 * <p>Depends on the core and the PostgreSQL JDBC driver only; takes any {@link
 * javax.sql.DataSource} and ships no pool. The PostgreSQL JDBC driver comes along as a runtime
 * dependency for that data source; the store itself uses only JDBC.
 */
module dev.scopedtokens.store.postgres {
  requires transitive dev.scopedtokens.core;
  requires transitive java.sql;

  exports dev.scopedtokens.store.postgres;
}
