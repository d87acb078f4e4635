package com.gongpipeline.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a table the way a test checks what a run wrote: one SQL query over plain JDBC, on a fresh
 * connection that is closed again, answered as rows, a column or a single number. Works with any
 * driver on the caller's test class path (DuckDB, the Snowflake stand-in); this module depends on
 * none.
 *
 * <pre>{@code
 * TableQuery db = TableQuery.on("jdbc:duckdb:" + file);
 * long calls = db.longValue("SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALLS");
 * List<String> ids = db.strings("SELECT CALL_ID FROM RAW.GONG_CALLS_RAW WHERE ...", param);
 * }</pre>
 *
 * SQL failures are rethrown unchecked, naming the query.
 */
public final class TableQuery {
  /** Opens a connection (a URL, or a test double's own {@code connection()} method). */
  @FunctionalInterface
  public interface Connector {
    Connection connect() throws SQLException;
  }

  private final Connector connector;

  private TableQuery(Connector connector) {
    this.connector = connector;
  }

  public static TableQuery on(String jdbcUrl) {
    return new TableQuery(() -> DriverManager.getConnection(jdbcUrl));
  }

  public static TableQuery on(String jdbcUrl, Properties properties) {
    Properties copy = new Properties();
    copy.putAll(properties);
    return new TableQuery(() -> DriverManager.getConnection(jdbcUrl, copy));
  }

  public static TableQuery on(Connector connector) {
    return new TableQuery(connector);
  }

  /** Every row, as column label to value (in select order). */
  public List<Map<String, Object>> rows(String sql, Object... params) {
    return query(sql, params, rs -> {
      ResultSetMetaData md = rs.getMetaData();
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        row.put(md.getColumnLabel(i), rs.getObject(i));
      }
      return row;
    });
  }

  /** The first column of every row, as text ({@code null} stays null). */
  public List<String> strings(String sql, Object... params) {
    return query(sql, params, rs -> rs.getString(1));
  }

  /** Every row as its columns' text joined by {@code separator} (e.g. {@code a|b|c}). */
  public List<String> joined(String separator, String sql, Object... params) {
    return query(sql, params, rs -> {
      int n = rs.getMetaData().getColumnCount();
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i <= n; i++) {
        sb.append(i > 1 ? separator : "").append(rs.getString(i));
      }
      return sb.toString();
    });
  }

  /** The first column of every row, as numbers. */
  public List<Long> longs(String sql, Object... params) {
    return query(sql, params, rs -> rs.getLong(1));
  }

  /** The first column of the first row (a {@code COUNT(*)}); fails when there is no row. */
  public long longValue(String sql, Object... params) {
    List<Long> values = longs(sql, params);
    if (values.isEmpty()) {
      throw new IllegalStateException("no row from: " + sql);
    }
    return values.get(0);
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Object[] params, RowReader<T> reader) {
    try (Connection c = connector.connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(reader.read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
    }
  }
}
