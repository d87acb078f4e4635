package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads for reports and tests: table counts, and read-only queries whose values come back as the
 * dialect reads them ({@link SqlDialect#readValue}).
 */
final class CatalogQueries<C extends Connection> {
  private final ConnectionProvider<C> conns;
  private final WarehouseSchema schema;

  CatalogQueries(ConnectionProvider<C> conns, WarehouseSchema schema) {
    this.conns = conns;
    this.schema = schema;
  }

  /**
   * See {@link Warehouse#query}: runs the statement in a transaction that is always rolled back,
   * after checking that it starts like a query ({@link SqlDialect#readVerbs()}).
   */
  List<Map<String, @Nullable Object>> query(String sql, @Nullable Object... params) {
    SqlDialect dialect = conns.dialect();
    String verb = firstKeyword(sql);
    if (!dialect.readVerbs().contains(verb)) {
      throw new IllegalArgumentException(
          "query() runs read-only statements (SELECT, WITH, ...), not "
              + (verb.isEmpty() ? "an empty statement" : verb));
    }
    List<@Nullable Object> bound = params == null ? List.of() : Arrays.asList(params);
    return conns.withConnection(conn -> {
      conn.setAutoCommit(false);
      try (PreparedStatement ps = dialect.prepare(conn, new BoundSql(sql, bound));
          ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<Map<String, @Nullable Object>> rows = new ArrayList<>();
        while (rs.next()) {
          Map<String, @Nullable Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= n; i++) {
            row.put(md.getColumnLabel(i), dialect.readValue(rs, i, md));
          }
          rows.add(row);
        }
        return rows;
      } finally {
        conn.rollback();
        conn.setAutoCommit(true);
      }
    });
  }

  /** See {@link Warehouse#count}. */
  long count(WarehouseTable table) {
    return conns.withConnection(conn -> count(conn, table.schema(), table.table()));
  }

  /** See {@link Warehouse#tableCounts}. */
  Map<String, Long> tableCounts() {
    Set<String> schemas = schema.countedSchemas();
    return conns.withConnection(conn -> {
      List<String[]> tables = new ArrayList<>();
      try (PreparedStatement ps =
          conn.prepareStatement(conns.dialect().tablesQuery(schemas.size()))) {
        int i = 1;
        for (String s : schemas) {
          ps.setString(i++, s);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tables.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
      }
      Map<String, Long> counts = new TreeMap<>();
      for (String[] t : tables) {
        if (schema.counted(t[0], t[1])) {
          counts.put(t[0] + "." + t[1], count(conn, t[0], t[1]));
        }
      }
      return counts;
    });
  }

  private long count(Connection conn, String schemaName, String table) throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(conns.dialect().countQuery(schemaName, table))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The statement's first keyword, upper-cased, after leading blanks and comments. */
  static String firstKeyword(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (sql.startsWith("--", i)) {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    if (i < n && sql.charAt(i) == '(') {
      return "(";
    }
    int j = i;
    while (j < n && Character.isLetter(sql.charAt(j))) {
      j++;
    }
    return sql.substring(i, j).toUpperCase(Locale.ROOT);
  }
}
