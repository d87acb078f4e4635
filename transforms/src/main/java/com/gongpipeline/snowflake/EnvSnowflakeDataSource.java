package com.gongpipeline.snowflake;

import java.io.PrintWriter;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A serializable {@link DataSource} for SnowflakeIO that reads the credentials from the worker's
 * environment ({@link SnowflakeConnections}) when it connects: only the URL travels in the
 * pipeline graph, never a password, token or key.
 */
public final class EnvSnowflakeDataSource implements DataSource, Serializable {
  private static final long serialVersionUID = 1L;
  private final String url;

  public EnvSnowflakeDataSource(String url) {
    if (!url.startsWith("jdbc:snowflake:")) {
      throw new IllegalArgumentException("Not a Snowflake JDBC URL");
    }
    // --snowflakeStatementTimeout rides in the URL for our own warehouse; the driver never sees it.
    this.url = SnowflakeStatementTimeout.without(url);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return DriverManager.getConnection(com.gongpipeline.security.WarehouseUrls.resolve(url),
        SnowflakeConnections.fromEnvironment());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from the SNOWFLAKE_* environment");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }

  /** Equal by URL, so SnowflakeIO's per-configuration DataSource cache hits after deserialization. */
  @Override
  public boolean equals(Object o) {
    return o instanceof EnvSnowflakeDataSource d && d.url.equals(url);
  }

  @Override
  public int hashCode() {
    return url.hashCode();
  }

  @Override
  public String toString() {
    return "EnvSnowflakeDataSource[" + url + "]";
  }
}
