package com.gongpipeline.snowflake.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a DuckDB {@link ResultSet} as Snowflake's JSON result ({@code rowtype} + {@code rowset}),
 * the format the driver reads when {@code JDBC_QUERY_RESULT_FORMAT=JSON}. Every value is a string
 * (or null) in Snowflake's wire encoding:
 *
 * <table>
 *   <caption>DuckDB type to Snowflake rowtype</caption>
 *   <tr><th>DuckDB</th><th>type</th><th>value</th></tr>
 *   <tr><td>integers</td><td>fixed(38,0)</td><td>decimal digits</td></tr>
 *   <tr><td>DECIMAL(p,s)</td><td>fixed(p,s)</td><td>plain decimal</td></tr>
 *   <tr><td>FLOAT, DOUBLE</td><td>real</td><td>{@code Double.toString}</td></tr>
 *   <tr><td>BOOLEAN</td><td>boolean</td><td>{@code 1}/{@code 0}</td></tr>
 *   <tr><td>VARCHAR, UUID, others</td><td>text</td><td>text</td></tr>
 *   <tr><td>JSON</td><td>variant</td><td>JSON text</td></tr>
 *   <tr><td>lists and arrays ({@code FLOAT[768]})</td><td>array</td><td>JSON array text</td></tr>
 *   <tr><td>TIMESTAMP</td><td>timestamp_ntz(9)</td><td>{@code epochSeconds.nanos}</td></tr>
 *   <tr><td>TIMESTAMPTZ</td><td>timestamp_ltz(9)</td><td>{@code epochSeconds.nanos}</td></tr>
 *   <tr><td>DATE / TIME</td><td>date / time(9)</td><td>days since epoch / seconds.nanos</td></tr>
 *   <tr><td>BLOB</td><td>binary</td><td>hex</td></tr>
 * </table>
 *
 * <p>Timestamps have DuckDB's microsecond precision (Snowflake keeps nanoseconds); the wire value
 * still carries nine fraction digits. Column names that are plain lower-case identifiers are upper-cased, as Snowflake reports
 * unquoted identifiers (the driver's column lookup is case-sensitive by default).
 */
final class SnowflakeRowset {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");
  private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_$]*");

  private SnowflakeRowset() {}

  private enum Kind { FIXED, DECIMAL, REAL, BOOLEAN, TEXT, VARIANT, ARRAY, NTZ, LTZ, DATE, TIME,
    BINARY }

  /** Fills {@code data.rowtype}, {@code data.rowset}, {@code total}, {@code returned}; row count. */
  static long write(ResultSet rs, ObjectNode data) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    Kind[] kinds = new Kind[n];
    ArrayNode rowtype = data.putArray("rowtype");
    for (int i = 0; i < n; i++) {
      String type = md.getColumnTypeName(i + 1).toUpperCase(Locale.ROOT);
      ObjectNode col = rowtype.addObject();
      String name = md.getColumnLabel(i + 1);
      col.put("name", PLAIN_NAME.matcher(name).matches() ? name.toUpperCase(Locale.ROOT) : name);
      col.putNull("database");
      col.putNull("schema");
      col.putNull("table");
      col.put("nullable", true);
      col.putNull("collation");
      kinds[i] = kind(type);
      describe(kinds[i], type, col);
    }
    ArrayNode rowset = data.putArray("rowset");
    long rows = 0;
    while (rs.next()) {
      ArrayNode row = rowset.addArray();
      for (int i = 0; i < n; i++) {
        String v = value(rs, i + 1, kinds[i]);
        if (v == null) {
          row.addNull();
        } else {
          row.add(v);
        }
      }
      rows++;
    }
    data.put("total", rows);
    data.put("returned", rows);
    return rows;
  }

  /** A one-row result of counts, e.g. {@code "number of rows inserted"}, as Snowflake sends DML. */
  static void writeCounts(ObjectNode data, String[] names, long[] counts) {
    ArrayNode rowtype = data.putArray("rowtype");
    ArrayNode row = data.putArray("rowset").addArray();
    for (int i = 0; i < names.length; i++) {
      ObjectNode col = rowtype.addObject();
      col.put("name", names[i]);
      describe(Kind.FIXED, "BIGINT", col);
      col.put("nullable", false);
      row.add(Long.toString(counts[i]));
    }
    data.put("total", 1);
    data.put("returned", 1);
  }

  /** The one-row {@code status} result Snowflake sends for DDL and session statements. */
  static void writeStatus(ObjectNode data, String status) {
    ArrayNode rowtype = data.putArray("rowtype");
    ObjectNode col = rowtype.addObject();
    col.put("name", "status");
    describe(Kind.TEXT, "VARCHAR", col);
    data.putArray("rowset").addArray().add(status);
    data.put("total", 1);
    data.put("returned", 1);
  }

  private static Kind kind(String type) {
    if (type.endsWith("]")) {
      return Kind.ARRAY;
    }
    if (type.startsWith("DECIMAL")) {
      return Kind.DECIMAL;
    }
    switch (type) {
      case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
          "UINTEGER", "UBIGINT", "UHUGEINT":
        return Kind.FIXED;
      case "FLOAT", "DOUBLE":
        return Kind.REAL;
      case "BOOLEAN":
        return Kind.BOOLEAN;
      case "JSON":
        return Kind.VARIANT;
      case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S":
        return Kind.NTZ;
      case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ":
        return Kind.LTZ;
      case "DATE":
        return Kind.DATE;
      case "TIME":
        return Kind.TIME;
      case "BLOB":
        return Kind.BINARY;
      default:
        return Kind.TEXT;
    }
  }

  private static void describe(Kind kind, String type, ObjectNode col) {
    int precision = 0;
    int scale = 0;
    String sfType;
    switch (kind) {
      case FIXED -> {
        sfType = "fixed";
        precision = 38;
      }
      case DECIMAL -> {
        sfType = "fixed";
        Matcher m = DECIMAL.matcher(type);
        precision = 38;
        if (m.find()) {
          precision = Integer.parseInt(m.group(1));
          scale = Integer.parseInt(m.group(2));
        }
      }
      case REAL -> sfType = "real";
      case BOOLEAN -> sfType = "boolean";
      case VARIANT -> sfType = "variant";
      case ARRAY -> sfType = "array";
      case NTZ -> {
        sfType = "timestamp_ntz";
        scale = 9;
      }
      case LTZ -> {
        sfType = "timestamp_ltz";
        scale = 9;
      }
      case DATE -> sfType = "date";
      case TIME -> {
        sfType = "time";
        scale = 9;
      }
      case BINARY -> sfType = "binary";
      default -> sfType = "text";
    }
    col.put("type", sfType);
    col.put("precision", precision);
    col.put("scale", scale);
    boolean text = kind == Kind.TEXT || kind == Kind.VARIANT || kind == Kind.ARRAY;
    col.put("length", text ? 16777216 : 0);
    col.put("byteLength", text || kind == Kind.BINARY ? 16777216 : 0);
  }

  private static String value(ResultSet rs, int i, Kind kind) throws SQLException {
    Object raw = rs.getObject(i);
    if (raw == null) {
      return null;
    }
    switch (kind) {
      case FIXED:
        return rs.getString(i);
      case DECIMAL:
        return rs.getBigDecimal(i).toPlainString();
      case REAL:
        return Double.toString(rs.getDouble(i));
      case BOOLEAN:
        return rs.getBoolean(i) ? "1" : "0";
      case ARRAY:
        return arrayJson(rs.getArray(i));
      case NTZ:
        return epoch(rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC));
      case LTZ:
        return epoch(rs.getObject(i, OffsetDateTime.class).toInstant());
      case DATE:
        return Long.toString(rs.getObject(i, LocalDate.class).toEpochDay());
      case TIME: {
        LocalTime t = rs.getObject(i, LocalTime.class);
        return t.toSecondOfDay() + "." + String.format("%09d", t.getNano());
      }
      case BINARY:
        return HexFormat.of().withUpperCase().formatHex(rs.getBytes(i));
      default:
        return rs.getString(i);
    }
  }

  private static String epoch(java.time.Instant t) {
    return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9))
        .setScale(9).toPlainString();
  }

  private static String arrayJson(Array array) throws SQLException {
    Object[] items = (Object[]) array.getArray();
    ArrayNode out = F.arrayNode(items.length);
    for (Object o : items) {
      out.add((com.fasterxml.jackson.databind.JsonNode)
          JSON.valueToTree(o instanceof Array a ? a.getArray() : o));
    }
    return out.toString();
  }
}
