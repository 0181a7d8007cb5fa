package dev.scopedtokens.store.postgres;

import dev.scopedtokens.store.TokenStoreException;
import dev.scopedtokens.store.TokenStoreException.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns the driver's {@link SQLException}s into {@link TokenStoreException}s: one place that
 * decides what a SQLSTATE means, which failures are worth retrying, and what a message may say.
 *
 * <p>A server's error can quote the values of the statement (a unique violation's detail names the
 * duplicate key), so apart from connection failures, whose text names a host or a user and never a
 * value, neither the message nor the cause carries the driver's text: only the SQLSTATE.
 */
final class Failures {
  /** serialization_failure: another transaction's change conflicts; try again. */
  static final String SERIALIZATION_FAILURE = "40001";

  /** deadlock_detected: PostgreSQL chose this transaction to break a cycle; try again. */
  static final String DEADLOCK = "40P01";

  /** unique_violation. */
  static final String UNIQUE_VIOLATION = "23505";

  /** exclusion_violation: the lookup key's uniqueness is an exclusion constraint (hash index). */
  static final String EXCLUSION_VIOLATION = "23P01";

  /**
   * division_by_zero: how the store's upsert fails when it replaced nothing, so that the commit
   * sent after it in the same round trip does not run.
   */
  static final String DIVISION_BY_ZERO = "22012";

  private Failures() {}

  /** Returns whether running the whole transaction again may succeed where this one failed. */
  static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return SERIALIZATION_FAILURE.equals(state) || DEADLOCK.equals(state);
  }

  /** Returns what kind of failure {@code e} is. */
  static Kind kind(SQLException e) {
    String state = e.getSQLState();
    if (e instanceof SQLTimeoutException) {
      return Kind.TIMEOUT;
    }
    if (e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException) {
      return Kind.CONNECTION;
    }
    if (state == null) {
      return Kind.OTHER;
    }
    switch (state) {
      case "57014": // query_canceled: statement_timeout, or a cancel request
      case "55P03": // lock_not_available: lock_timeout
      case "25P03": // idle_in_transaction_session_timeout
      case "57P05": // idle_session_timeout
        return Kind.TIMEOUT;
      case "57P01": // admin_shutdown: pg_terminate_backend, or a fast shutdown
      case "57P02": // crash_shutdown
      case "57P03": // cannot_connect_now: starting up or shutting down
      case "53300": // too_many_connections
        return Kind.CONNECTION;
      case SERIALIZATION_FAILURE:
      case DEADLOCK:
        return Kind.CONFLICT;
      default:
        break;
    }
    if (state.startsWith("08") || state.startsWith("28")) {
      return Kind.CONNECTION; // connection exception; invalid authorization
    }
    if (state.startsWith("23") || state.startsWith("22")) {
      return Kind.CONSTRAINT; // integrity constraint violation; data exception
    }
    if (state.startsWith("42") || state.startsWith("3F")) {
      return Kind.SCHEMA; // undefined table or column, insufficient privilege; invalid schema
    }
    return Kind.OTHER;
  }

  /**
   * Returns a {@link TokenStoreException} for a failure of {@code operation}, such as "reading a
   * token", with a message that names what failed and what to do.
   */
  static TokenStoreException translate(String operation, SQLException e) {
    Kind kind = kind(e);
    String state = e.getSQLState() == null ? "none" : e.getSQLState();
    String what;
    switch (kind) {
      case CONNECTION:
        what =
            "no connection to PostgreSQL, or it was lost ("
                + oneLine(e.getMessage())
                + "); check that the server is up and the DataSource's pool has connections free";
        break;
      case TIMEOUT:
        what = "a statement or lock wait timed out or was cancelled";
        break;
      case CONFLICT:
        what =
            "conflicting transactions kept it from committing (a serialization failure or a"
                + " deadlock)";
        break;
      case CONSTRAINT:
        what = "PostgreSQL refused a value as breaking a constraint of the store's tables";
        break;
      case SCHEMA:
        what =
            "the store's tables are missing, altered, or not open to this database user; check"
                + " them with SchemaMode.VALIDATE";
        break;
      default:
        what = "PostgreSQL reported an error";
        break;
    }
    return new TokenStoreException(
        kind,
        "PostgreSQL store: " + operation + " failed: " + what + " (SQLSTATE " + state + ")",
        sanitized(e, kind));
  }

  /**
   * Returns a copy of {@code e} that keeps its class of failure, SQLSTATE and stack but none of the
   * server's text, which may quote values; connection failures keep their text, which does not.
   */
  private static SQLException sanitized(SQLException e, Kind kind) {
    String text =
        kind == Kind.CONNECTION
            ? oneLine(e.getMessage())
            : e.getClass().getSimpleName() + " with SQLSTATE " + e.getSQLState();
    SQLException copy = new SQLException(text, e.getSQLState(), e.getErrorCode());
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "no message";
    }
    String line = message.strip().replaceAll("\\s+", " ");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /**
   * Rolls back after {@code failure}, which stays the exception that counts: a rollback that fails
   * too (on a connection already lost) is attached to it as suppressed.
   */
  static void rollbackQuietly(Connection connection, Throwable failure) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException e) {
      if (failure != e) {
        failure.addSuppressed(translate("rolling back", asSql(e)));
      }
    }
  }

  private static SQLException asSql(Exception e) {
    return e instanceof SQLException ? (SQLException) e : new SQLException(e.toString());
  }
}
