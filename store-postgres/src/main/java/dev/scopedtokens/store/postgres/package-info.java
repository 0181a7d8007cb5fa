/**
 * Tokens in PostgreSQL: {@link dev.scopedtokens.store.postgres.PostgresTokenStore}, a {@link
 * dev.scopedtokens.store.TokenStore} over a {@link javax.sql.DataSource}, with its versioned schema
 * scripts and the small migrator that applies them.
 */
package dev.scopedtokens.store.postgres;
