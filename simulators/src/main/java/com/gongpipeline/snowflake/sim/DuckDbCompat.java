package com.gongpipeline.snowflake.sim;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQL macros and views that give the stand-in's DuckDB database the Snowflake functions and
 * catalog {@link SnowflakeToDuckDb} maps to. Everything lives under {@code sf_} names so it never
 * shadows a DuckDB built-in:
 *
 * <ul>
 *   <li>{@code sf_try_parse_json}, {@code sf_zeroifnull}, {@code sf_to_varchar}, {@code
 *       sf_to_timestamp}, {@code sf_try_to_timestamp}, {@code sf_to_timestamptz}, {@code
 *       sf_get_path} (VARIANT) and {@code sf_get_path_text} (for {@code GET_PATH(..)::VARCHAR}),
 *       {@code sf_dateadd(unit, n, ts)}, {@code sf_epoch_second}, {@code sf_sha2(x, 256)}.
 *   <li>{@code sf_information_schema.columns} and {@code .tables}: DuckDB's information schema
 *       with Snowflake's {@code DATA_TYPE} names (TEXT, NUMBER, FLOAT, VARIANT, TIMESTAMP_NTZ,
 *       TIMESTAMP_LTZ, VECTOR, BOOLEAN, DATE, BINARY).
 * </ul>
 */
final class DuckDbCompat {
  static final String INFORMATION_SCHEMA = "sf_information_schema";

  private static final String[] STATEMENTS = {
    "CREATE OR REPLACE MACRO sf_try_parse_json(s) AS TRY_CAST(s AS JSON)",
    "CREATE OR REPLACE MACRO sf_zeroifnull(x) AS coalesce(x, 0)",
    "CREATE OR REPLACE MACRO sf_to_varchar(x) AS CAST(x AS VARCHAR)",
    "CREATE OR REPLACE MACRO sf_to_timestamp(x) AS CAST(x AS TIMESTAMP)",
    "CREATE OR REPLACE MACRO sf_try_to_timestamp(x) AS TRY_CAST(x AS TIMESTAMP)",
    "CREATE OR REPLACE MACRO sf_to_timestamptz(x) AS CAST(x AS TIMESTAMPTZ)",
    "CREATE OR REPLACE MACRO sf_get_path(j, p) AS json_extract(CAST(j AS JSON), '$.' || p)",
    "CREATE OR REPLACE MACRO sf_get_path_text(j, p) AS "
        + "json_extract_string(CAST(j AS JSON), '$.' || p)",
    "CREATE OR REPLACE MACRO sf_epoch_second(x) AS CAST(floor(epoch(x)) AS BIGINT)",
    "CREATE OR REPLACE MACRO sf_sha2(x, bits) AS CASE WHEN bits = 256 THEN sha256(x) "
        + "ELSE error('the stand-in''s SHA2 knows 256 bits only') END",
    "CREATE OR REPLACE MACRO sf_dateadd(unit, n, ts) AS ts + CASE unit"
        + " WHEN 'year' THEN to_years(CAST(n AS INTEGER))"
        + " WHEN 'quarter' THEN to_months(CAST(n AS INTEGER) * 3)"
        + " WHEN 'month' THEN to_months(CAST(n AS INTEGER))"
        + " WHEN 'week' THEN to_weeks(CAST(n AS INTEGER))"
        + " WHEN 'day' THEN to_days(CAST(n AS INTEGER))"
        + " WHEN 'hour' THEN to_hours(CAST(n AS BIGINT))"
        + " WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT))"
        + " WHEN 'second' THEN to_seconds(CAST(n AS DOUBLE))"
        + " WHEN 'millisecond' THEN to_milliseconds(CAST(n AS DOUBLE))"
        + " ELSE to_microseconds(CAST(n AS BIGINT)) END",
    "CREATE SCHEMA IF NOT EXISTS " + INFORMATION_SCHEMA,
    "CREATE OR REPLACE VIEW " + INFORMATION_SCHEMA + ".columns AS SELECT table_catalog, "
        + "table_schema, table_name, column_name, ordinal_position, column_default, is_nullable, "
        + "CASE WHEN data_type LIKE '%]' THEN 'VECTOR' WHEN data_type = 'VARCHAR' THEN 'TEXT' "
        + "WHEN data_type IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT') "
        + "OR data_type LIKE 'DECIMAL%' THEN 'NUMBER' "
        + "WHEN data_type IN ('DOUBLE', 'FLOAT') THEN 'FLOAT' WHEN data_type = 'JSON' THEN 'VARIANT' "
        + "WHEN data_type = 'TIMESTAMP' THEN 'TIMESTAMP_NTZ' "
        + "WHEN data_type = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_LTZ' "
        + "WHEN data_type = 'BLOB' THEN 'BINARY' ELSE data_type END AS data_type, "
        + "numeric_precision, numeric_scale, character_maximum_length "
        + "FROM information_schema.columns WHERE table_catalog = current_database() "
        + "AND table_schema <> '" + INFORMATION_SCHEMA + "'",
    "CREATE OR REPLACE VIEW " + INFORMATION_SCHEMA + ".tables AS SELECT table_catalog, "
        + "table_schema, table_name, table_type FROM information_schema.tables "
        + "WHERE table_catalog = current_database() AND table_schema <> '" + INFORMATION_SCHEMA
        + "'",
  };

  private DuckDbCompat() {}

  static void register(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      for (String sql : STATEMENTS) {
        st.execute(sql);
      }
    }
  }
}
