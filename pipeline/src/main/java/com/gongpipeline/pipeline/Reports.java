package com.gongpipeline.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** Runs the read-only report queries shipped under {@code sql/<dialect>/reports/} and prints them. */
final class Reports {
  private Reports() {}

  static String sql(String name) throws IOException {
    String path = "sql/duckdb/reports/" + name + ".sql";
    try (InputStream in = Reports.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("report " + path + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Prints a query's result as an aligned table. */
  static void print(String jdbcUrl, String reportName, PrintStream out)
      throws IOException, SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql(reportName))) {
      ResultSetMetaData md = rs.getMetaData();
      int n = md.getColumnCount();
      StringBuilder header = new StringBuilder();
      int[] widths = new int[n + 1];
      for (int i = 1; i <= n; i++) {
        widths[i] = i == 1 ? 28 : Math.max(10, md.getColumnLabel(i).length() + 2);
        header.append(String.format(Locale.ROOT, i == 1 ? "%-28s" : "%" + widths[i] + "s",
            md.getColumnLabel(i)));
      }
      out.println(header);
      while (rs.next()) {
        StringBuilder line = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          String v = rs.getString(i);
          if (v != null && v.length() > 27) {
            v = v.substring(0, 26) + "…";
          }
          line.append(String.format(Locale.ROOT, i == 1 ? "%-28s" : "%" + widths[i] + "s", v));
        }
        out.println(line);
      }
    }
  }
}
