package com.gongpipeline.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Converts {@link WarehouseRow} values into JDBC binds for a Snowflake column, one fixed JDBC type
 * per column (the driver refuses array binding when one column mixes types across the rows of a
 * batch, nulls included). Values that can never be written are a PERMANENT {@link WarehouseException}
 * naming the row and column.
 *
 * <p>Accepted: VARCHAR ← String or Json (its text); VARIANT ← Json or String, checked to be JSON
 * here (bound as text, {@code PARSE_JSON} in the MERGE); NUMBER ← Long/Integer/Short; FLOAT ←
 * Double/Float/Long/Integer; BOOLEAN ← Boolean; TIMESTAMP_NTZ ← Instant (bound as UTC text with
 * microseconds); VECTOR(FLOAT, n) ← float[] of exactly n finite values (bound as JSON array text).
 */
final class SnowflakeValues {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SnowflakeValues() {}

  /** The JDBC type every value (and null) of this column is bound with. */
  static int jdbcType(Column c) {
    String t = c.type();
    if (t.startsWith("NUMBER") || t.equals("BIGINT") || t.equals("INTEGER") || t.equals("INT")) {
      return Types.BIGINT;
    }
    if (t.equals("FLOAT") || t.equals("DOUBLE") || t.equals("REAL")) {
      return Types.DOUBLE;
    }
    if (t.equals("BOOLEAN")) {
      return Types.BOOLEAN;
    }
    return Types.VARCHAR; // VARCHAR, VARIANT and VECTOR as JSON text, TIMESTAMP_NTZ as UTC text
  }

  /** The value to bind for {@code value} in {@code column}: String, Long, Double, Boolean or null. */
  static @Nullable Object toBind(Column column, @Nullable Object value, String rowName) {
    if (value == null || (value instanceof WarehouseRow.Json j && j.text() == null)) {
      return null;
    }
    String type = column.type();
    int dim = SnowflakeDialect.vectorDimension(column);
    if (dim > 0) {
      if (!(value instanceof float[] f)) {
        throw wrongType(column, value, rowName, "float[]");
      }
      if (f.length != dim) {
        throw WarehouseException.invalidRow(rowName + ": column " + column.name() + " ("
            + type + ") needs " + dim + " dimensions, got " + f.length
            + " (vectors of another embedding model cannot be stored here)");
      }
      try {
        return SnowflakeDialect.vectorJson(f);
      } catch (IllegalArgumentException e) {
        throw WarehouseException.invalidRow(rowName + ": column " + column.name() + ": "
            + e.getMessage());
      }
    }
    if (SnowflakeDialect.isVariant(column)) {
      String text;
      if (value instanceof WarehouseRow.Json j) {
        text = j.text();
      } else if (value instanceof String s) {
        text = s;
      } else {
        throw wrongType(column, value, rowName, "WarehouseRow.Json");
      }
      checkJson(column, text, rowName);
      return text;
    }
    if (SnowflakeDialect.isTimestamp(column)) {
      if (value instanceof Instant i) {
        return SnowflakeDialect.timestampText(i);
      }
      throw wrongType(column, value, rowName, "java.time.Instant");
    }
    switch (jdbcType(column)) {
      case Types.BIGINT -> {
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
          return ((Number) value).longValue();
        }
        throw wrongType(column, value, rowName, "Long");
      }
      case Types.DOUBLE -> {
        if (value instanceof Double || value instanceof Float || value instanceof Long
            || value instanceof Integer) {
          return ((Number) value).doubleValue();
        }
        throw wrongType(column, value, rowName, "Double");
      }
      case Types.BOOLEAN -> {
        if (value instanceof Boolean b) {
          return b;
        }
        throw wrongType(column, value, rowName, "Boolean");
      }
      default -> {
        if (!type.startsWith("VARCHAR") && !type.equals("TEXT") && !type.equals("STRING")) {
          throw WarehouseException.invalidRow(rowName + ": column " + column.name() + " has type "
              + type + ", which the Snowflake writer does not support");
        }
        if (value instanceof String s) {
          return s;
        }
        if (value instanceof WarehouseRow.Json j) {
          return j.text();
        }
        throw wrongType(column, value, rowName, "String");
      }
    }
  }

  /** The binds of one staging row: every column in order, then the arrival sequence. */
  static Object[] stagingRow(List<Column> columns, Map<String, @Nullable Object> row, long seq,
      String rowName) {
    Object[] out = new Object[columns.size() + 1];
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      out[i] = toBind(c, row.get(c.name()), rowName);
    }
    out[columns.size()] = seq;
    return out;
  }

  /** Binds one value with its column's fixed JDBC type. */
  static void bind(PreparedStatement ps, int index, int jdbcType, @Nullable Object v)
      throws SQLException {
    if (v == null) {
      ps.setNull(index, jdbcType);
      return;
    }
    switch (jdbcType) {
      case Types.BIGINT -> ps.setLong(index, (Long) v);
      case Types.DOUBLE -> ps.setDouble(index, (Double) v);
      case Types.BOOLEAN -> ps.setBoolean(index, (Boolean) v);
      default -> ps.setString(index, (String) v);
    }
  }

  /** Parses {@code [0.1, 0.2]} (the text of an ARRAY) into floats; null stays null. */
  static float @Nullable [] floats(@Nullable String arrayJson) throws SQLException {
    if (arrayJson == null) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(arrayJson);
      float[] f = new float[n.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) n.get(i).asDouble();
      }
      return f;
    } catch (JsonProcessingException e) {
      throw new SQLException("Snowflake returned an embedding that is not a JSON array", e);
    }
  }

  /**
   * A {@code query()} value: TIMESTAMP values as {@link Instant} (NTZ read as UTC), whole NUMBERs
   * as Long, VARIANT/ARRAY as JSON text.
   */
  static @Nullable Object read(ResultSet rs, int i, ResultSetMetaData md) throws SQLException {
    int sqlType = md.getColumnType(i);
    Object v = rs.getObject(i);
    if (v == null) {
      return null;
    }
    if (v instanceof Timestamp t) {
      // TIMESTAMP_NTZ holds UTC wall-clock time; the driver returns it as local wall-clock.
      return sqlType == Types.TIMESTAMP_WITH_TIMEZONE ? t.toInstant()
          : t.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
    if (v instanceof BigDecimal d && d.scale() == 0 && d.unscaledValue().bitLength() < 64) {
      return d.longValueExact();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }

  private static void checkJson(Column column, String text, String rowName) {
    try {
      if (text.isBlank() || JSON.readTree(text).isMissingNode()) {
        throw WarehouseException.invalidRow(rowName + ": column " + column.name() + " is empty");
      }
    } catch (JsonProcessingException e) {
      throw WarehouseException.invalidRow(
          rowName + ": column " + column.name() + " is not valid JSON");
    }
  }

  private static WarehouseException wrongType(
      Column column, Object value, String rowName, String expected) {
    return WarehouseException.invalidRow(
        rowName + ": column " + column.name() + " (" + column.type() + ") needs a " + expected
            + ", got " + value.getClass().getSimpleName());
  }
}
