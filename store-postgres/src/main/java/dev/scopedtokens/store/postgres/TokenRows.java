package dev.scopedtokens.store.postgres;

import dev.scopedtokens.scope.Scope;
import dev.scopedtokens.secret.LookupKey;
import dev.scopedtokens.store.StoredToken;
import dev.scopedtokens.token.AccessToken;
import dev.scopedtokens.token.ClientInfo;
import dev.scopedtokens.token.TokenOrigin;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * How a {@link StoredToken} maps to a row of the tokens table and back: the one place that knows
 * the columns, the scope bits and the origin codes of {@code V1__tokens.sql}.
 */
final class TokenRows {
  /** The columns in the order {@link #bind} writes and {@link #read} reads them. */
  static final String COLUMNS =
      "id, created_at, last_used_at, expires_at, revoked_at, scopes, origin, active, owner,"
          + " lookup_key, encoded_hash, label, client_id, client_ip, client_user_agent";

  /** How many columns {@link #COLUMNS} names. */
  static final int COLUMN_COUNT = 15;

  private TokenRows() {}

  /** Binds the token's columns to parameters {@code first} to {@code first + 14}. */
  static void bind(PreparedStatement statement, int first, StoredToken stored) throws SQLException {
    AccessToken t = stored.token();
    int i = first;
    statement.setObject(i++, t.id());
    statement.setObject(i++, timestamp(t.createdAt()));
    setInstant(statement, i++, t.lastUsedAt());
    setInstant(statement, i++, t.expiresAt());
    setInstant(statement, i++, t.revokedAt());
    statement.setShort(i++, scopeBits(t.scopes()));
    statement.setShort(i++, originCode(t.origin()));
    statement.setBoolean(i++, t.active());
    statement.setString(i++, text("owner", t.owner()));
    statement.setBytes(i++, stored.lookupKey().toBytes());
    statement.setString(i++, text("encodedHash", stored.encodedHash()));
    statement.setString(i++, text("label", t.label()));
    setText(statement, i++, "client.clientId", t.client().clientId());
    setText(statement, i++, "client.ip", t.client().ip());
    setText(statement, i, "client.userAgent", t.client().userAgent());
  }

  /** Reads the token from columns {@code first} to {@code first + 14} of the current row. */
  static StoredToken read(ResultSet rs, int first) throws SQLException {
    int i = first;
    UUID id = rs.getObject(i++, UUID.class);
    Instant createdAt = instant(rs, i++).orElseThrow();
    Optional<Instant> lastUsedAt = instant(rs, i++);
    Optional<Instant> expiresAt = instant(rs, i++);
    Optional<Instant> revokedAt = instant(rs, i++);
    Set<Scope> scopes = scopes(rs.getShort(i++));
    TokenOrigin origin = origin(rs.getShort(i++));
    boolean active = rs.getBoolean(i++);
    String owner = rs.getString(i++);
    LookupKey lookupKey = LookupKey.of(rs.getBytes(i++));
    String encodedHash = rs.getString(i++);
    String label = rs.getString(i++);
    ClientInfo client =
        new ClientInfo(
            Optional.ofNullable(rs.getString(i++)),
            Optional.ofNullable(rs.getString(i++)),
            Optional.ofNullable(rs.getString(i)));
    AccessToken token =
        new AccessToken(
            id,
            owner,
            label,
            scopes,
            origin,
            active,
            createdAt,
            lastUsedAt,
            expiresAt,
            revokedAt,
            client);
    return StoredToken.of(token, lookupKey, encodedHash);
  }

  /**
   * Returns {@code value}, refused when PostgreSQL's text could not hold it: a NUL character, or a
   * lone surrogate (not Unicode, so it would not come back as it went in).
   */
  static String text(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        throw new IllegalArgumentException(
            field + ": contains the character U+0000, which PostgreSQL text cannot hold");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            field + ": contains a lone surrogate at index " + i + "; give well-formed Unicode");
      }
    }
    return value;
  }

  /**
   * The timestamptz of an instant, at the microseconds PostgreSQL keeps (truncated, not rounded).
   */
  static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static void setInstant(PreparedStatement statement, int index, Optional<Instant> value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setObject(index, timestamp(value.get()));
    } else {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }

  private static void setText(
      PreparedStatement statement, int index, String field, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      statement.setString(index, text(field, value.get()));
    } else {
      statement.setNull(index, Types.VARCHAR);
    }
  }

  private static Optional<Instant> instant(ResultSet rs, int index) throws SQLException {
    OffsetDateTime value = rs.getObject(index, OffsetDateTime.class);
    return value == null ? Optional.empty() : Optional.of(value.toInstant());
  }

  /**
   * The scope bits of V1: fixed per scope, not its ordinal, so reordering the enum breaks nothing.
   */
  static short scopeBits(Set<Scope> scopes) {
    int bits = 0;
    for (Scope scope : scopes) {
      bits |= bit(scope);
    }
    return (short) bits;
  }

  private static int bit(Scope scope) {
    return switch (scope) {
      case REPO_PUBLIC_READ -> 1;
      case REPO_READ -> 2;
      case REPO_WRITE -> 4;
      case REPO_ADMIN -> 8;
    };
  }

  private static Set<Scope> scopes(short bits) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (Scope scope : Scope.values()) {
      if ((bits & bit(scope)) != 0) {
        scopes.add(scope);
      }
    }
    return scopes;
  }

  /** The origin codes of V1. */
  static short originCode(TokenOrigin origin) {
    return switch (origin) {
      case MANUAL -> 1;
      case AUTO_GENERATED -> 2;
    };
  }

  private static TokenOrigin origin(short code) {
    return switch (code) {
      case 1 -> TokenOrigin.MANUAL;
      case 2 -> TokenOrigin.AUTO_GENERATED;
      default -> throw new IllegalStateException("origin code " + code + " is not one of V1's");
    };
  }
}
