package com.gongpipeline.warehouse;

import java.sql.SQLException;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.duckdb.DuckDBAppender;

/**
 * Converts {@link WarehouseRow} values into {@link DuckDBAppender} calls for a column's type. The
 * appender is strict (an {@code Integer} is rejected by a BIGINT column), so values are widened
 * here where that is lossless; anything else is a PERMANENT {@link WarehouseException} naming the
 * column, because such a row can never be written.
 *
 * <p>Accepted: VARCHAR ← String or Json (its text); JSON ← Json or String (validated after
 * staging); BIGINT ← Long/Integer/Short; INTEGER ← Integer/Short, or Long within range; DOUBLE ←
 * any of Double/Float/Long/Integer; BOOLEAN ← Boolean; TIMESTAMP ← Instant (stored as UTC
 * microseconds); FLOAT[] ← float[].
 */
final class DuckDbValues {
  private DuckDbValues() {}

  /** Appends {@code value} for {@code column}, or throws naming the column and the row. */
  static void append(DuckDBAppender ap, Column column, @Nullable Object value, String rowName)
      throws SQLException {
    if (value == null || (value instanceof WarehouseRow.Json j && j.text() == null)) {
      ap.appendNull();
      return;
    }
    switch (column.type()) {
      case "VARCHAR" -> {
        if (value instanceof String s) {
          ap.append(s);
        } else if (value instanceof WarehouseRow.Json j) {
          ap.append(j.text());
        } else {
          throw wrongType(column, value, rowName, "String");
        }
      }
      case "JSON" -> {
        if (value instanceof WarehouseRow.Json j) {
          ap.append(j.text());
        } else if (value instanceof String s) {
          ap.append(s);
        } else {
          throw wrongType(column, value, rowName, "WarehouseRow.Json");
        }
      }
      case "BIGINT" -> {
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
          ap.append(((Number) value).longValue());
        } else {
          throw wrongType(column, value, rowName, "Long");
        }
      }
      case "INTEGER" -> {
        if (value instanceof Integer || value instanceof Short) {
          ap.append(((Number) value).intValue());
        } else if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
          ap.append(l.intValue());
        } else {
          throw wrongType(column, value, rowName, "Integer");
        }
      }
      case "DOUBLE" -> {
        if (value instanceof Double || value instanceof Float || value instanceof Long
            || value instanceof Integer) {
          ap.append(((Number) value).doubleValue());
        } else {
          throw wrongType(column, value, rowName, "Double");
        }
      }
      case "BOOLEAN" -> {
        if (value instanceof Boolean b) {
          ap.append(b.booleanValue());
        } else {
          throw wrongType(column, value, rowName, "Boolean");
        }
      }
      case "TIMESTAMP" -> {
        if (value instanceof Instant i) {
          ap.appendEpochMicros(EpochMicros.of(i));
        } else {
          throw wrongType(column, value, rowName, "java.time.Instant");
        }
      }
      case "FLOAT[]" -> {
        if (value instanceof float[] f) {
          ap.append(f);
        } else {
          throw wrongType(column, value, rowName, "float[]");
        }
      }
      default ->
          throw WarehouseException.invalidRow(
              rowName + ": column " + column.name() + " has type " + column.type()
                  + ", which the warehouse writer does not support yet");
    }
  }

  private static WarehouseException wrongType(
      Column column, Object value, String rowName, String expected) {
    return WarehouseException.invalidRow(
        rowName + ": column " + column.name() + " (" + column.type() + ") needs a " + expected
            + ", got " + value.getClass().getSimpleName());
  }
}
