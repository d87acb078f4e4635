package com.gongpipeline.warehouse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parameterised report of {@code sql/<dialect>/reports/} as one read-only query that {@link
 * Warehouse#query} runs, with the parameters written into it as literals.
 *
 * <p>The report files take parameters the way a person running them by hand sets them: the DuckDB
 * files read {@code getvariable('name')} (set with {@code SET VARIABLE name = …}, defaults in the
 * query), the Snowflake files start with {@code SET name = default;} lines and read {@code $name}.
 * Here each {@code getvariable('name')} of a given parameter becomes {@code (literal)}; the
 * Snowflake {@code SET} lines are dropped and every {@code $name} becomes {@code (literal)}, or
 * {@code (default expression)} of its SET line, which is what Snowflake's session variables
 * evaluate to. Literals come from {@link #text}, {@link #integer} and {@link #timestamp} only.
 */
public final class ReportSql {
  private static final Pattern SET_LINE = Pattern.compile(
      "(?m)^\\s*SET\\s+([A-Za-z_]\\w*)\\s*=\\s*(.+?)\\s*;\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z_]\\w*)");
  private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*--.*$\\n?");

  /** The dialects with report files. */
  public static final List<String> DIALECTS = List.of("duckdb", "snowflake");

  private ReportSql() {}

  /** The dialect directory of a warehouse URL: {@code snowflake} for jdbc:snowflake:, else duckdb. */
  public static String dialectOf(String jdbcUrl) {
    return jdbcUrl != null && jdbcUrl.startsWith("jdbc:snowflake:") ? "snowflake" : "duckdb";
  }

  /** A string literal ({@code 'it''s'}); NUL and backslashes are refused (dialects differ). */
  public static String text(String value) {
    if (value.indexOf('\\') >= 0 || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a report parameter cannot contain a backslash or NUL");
    }
    return "'" + value.replace("'", "''") + "'";
  }

  /** A whole-number literal. */
  public static String integer(long value) {
    return Long.toString(value);
  }

  /** A UTC timestamp literal, {@code CAST('2026-01-12 00:00:00' AS TIMESTAMP)} (both dialects). */
  public static String timestamp(java.time.Instant value) {
    String ts = java.time.LocalDateTime.ofInstant(value.truncatedTo(java.time.temporal.ChronoUnit
        .MILLIS), java.time.ZoneOffset.UTC).toString().replace('T', ' ');
    return "CAST('" + ts + "' AS TIMESTAMP)";
  }

  /**
   * The report {@code name} of {@code dialect} with {@code params} (name → literal) written in, as
   * one statement without its trailing semicolon.
   */
  public static String render(String dialect, String name, Map<String, String> params) {
    if (!DIALECTS.contains(dialect)) {
      throw new IllegalArgumentException("no report dialect " + dialect + " (" + DIALECTS + ")");
    }
    if (!name.matches("[a-z_]+")) {
      throw new IllegalArgumentException("bad report name " + name);
    }
    return renderScript(dialect,
        DdlTables.resource("sql/" + dialect + "/reports/" + name + ".sql"), params);
  }

  /** As {@link #render(String, String, Map)} for the text of a report file. */
  static String renderScript(String dialect, String script, Map<String, String> params) {
    String sql = COMMENT_LINE.matcher(script).replaceAll("");
    if ("duckdb".equals(dialect)) {
      for (Map.Entry<String, String> p : params.entrySet()) {
        sql = sql.replace("getvariable('" + p.getKey() + "')", "(" + p.getValue() + ")");
      }
    } else {
      Map<String, String> values = new LinkedHashMap<>();
      Matcher set = SET_LINE.matcher(sql);
      while (set.find()) {
        values.put(set.group(1).toLowerCase(Locale.ROOT), set.group(2));
      }
      sql = SET_LINE.matcher(sql).replaceAll("");
      params.forEach((k, v) -> values.put(k.toLowerCase(Locale.ROOT), v));
      Matcher m = VARIABLE.matcher(sql);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String v = values.get(m.group(1).toLowerCase(Locale.ROOT));
        if (v == null) {
          throw new IllegalArgumentException("report uses $" + m.group(1) + " but sets no value");
        }
        m.appendReplacement(out, Matcher.quoteReplacement("(" + v + ")"));
      }
      m.appendTail(out);
      sql = out.toString();
    }
    sql = sql.strip();
    while (sql.endsWith(";")) {
      sql = sql.substring(0, sql.length() - 1).strip();
    }
    return sql;
  }
}
