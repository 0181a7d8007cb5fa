package dev.scopedtokens.store.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source for fault tests: hands out another source's connections, remembers per thread the
 * backend pid of the last one (so a test can terminate exactly that backend), and may prepare each
 * connection first.
 */
final class HookedDataSource implements DataSource {
  /** Prepares a connection before the store gets it. */
  @FunctionalInterface
  interface Preparation {
    void prepare(Connection connection) throws SQLException;
  }

  private final DataSource delegate;
  private final Preparation preparation;
  private final ThreadLocal<Integer> lastPid = new ThreadLocal<>();

  HookedDataSource(DataSource delegate, Preparation preparation) {
    this.delegate = delegate;
    this.preparation = preparation;
  }

  HookedDataSource(DataSource delegate) {
    this(delegate, connection -> {});
  }

  /** Returns the backend pid of the connection last handed to this thread. */
  int lastPid() {
    Integer pid = lastPid.get();
    if (pid == null) {
      throw new IllegalStateException("this thread took no connection yet");
    }
    return pid;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection connection = delegate.getConnection();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      lastPid.set(rs.getInt(1));
      preparation.prepare(connection);
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the store never asks for other credentials");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
