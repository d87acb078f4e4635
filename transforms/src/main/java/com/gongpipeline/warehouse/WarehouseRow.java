package com.gongpipeline.warehouse;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One row bound for a {@link WarehouseTable}: upper-case column name to value. Values are
 * {@code String}, {@code Long}, {@code Integer}, {@code Double}, {@code Boolean},
 * {@code java.time.Instant} (stored as UTC timestamp), {@code float[]} (vector) or {@link Json}
 * (text for a JSON/VARIANT column), or null. Columns absent from the map are written as NULL.
 */
public final class WarehouseRow implements Serializable {
  private final WarehouseTable table;
  private final LinkedHashMap<String, @Nullable Object> values;
  /** The version of the call this row comes from (not a column; not part of equality). */
  private final @Nullable Long callVersion;

  private WarehouseRow(WarehouseTable table, LinkedHashMap<String, @Nullable Object> values,
      @Nullable Long callVersion) {
    this.table = table;
    this.values = values;
    this.callVersion = callVersion;
  }

  /**
   * The version of the call this row belongs to, or null when unversioned: the sink skips child
   * rows of a call whose stored version is newer, and a table with a {@link
   * WarehouseTable#versionColumn()} also stores it there.
   */
  public @Nullable Long callVersion() {
    return callVersion;
  }

  /**
   * This row stamped with its call's version (and that version column set, if the table has one);
   * version 0 (unversioned) leaves the row as it is, so it merges as it always did.
   */
  public WarehouseRow withCallVersion(long version) {
    if (version <= 0) {
      return this;
    }
    LinkedHashMap<String, @Nullable Object> v = new LinkedHashMap<>(values);
    if (table.versionColumn() != null) {
      v.put(table.versionColumn(), version);
    }
    return new WarehouseRow(table, v, version);
  }

  /** A row as {@link WarehouseRowCoder} decoded it (values already as the builder left them). */
  static WarehouseRow restore(WarehouseTable table, LinkedHashMap<String, @Nullable Object> values,
      @Nullable Long callVersion) {
    return new WarehouseRow(table, values, callVersion);
  }

  public static Builder of(WarehouseTable table) {
    return new Builder(table);
  }

  public WarehouseTable table() {
    return table;
  }

  public Map<String, @Nullable Object> values() {
    return Collections.unmodifiableMap(values);
  }

  public @Nullable Object get(String column) {
    return values.get(column);
  }

  /** The merge key as one string, e.g. {@code 123|Pricing}, for logs and dead letters. */
  public String keyString() {
    StringBuilder sb = new StringBuilder();
    for (String k : table.keyColumns()) {
      if (sb.length() > 0) {
        sb.append('|');
      }
      sb.append(values.get(k));
    }
    return sb.toString();
  }

  /** Rows are equal when table and every value are; vectors compare element-wise. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WarehouseRow other) || table != other.table
        || !values.keySet().equals(other.values.keySet())) {
      return false;
    }
    for (Map.Entry<String, @Nullable Object> e : values.entrySet()) {
      Object a = e.getValue();
      Object b = other.values.get(e.getKey());
      if (a instanceof float[] fa && b instanceof float[] fb) {
        if (!java.util.Arrays.equals(fa, fb)) {
          return false;
        }
      } else if (!java.util.Objects.equals(a, b)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = table.hashCode();
    for (Map.Entry<String, @Nullable Object> e : values.entrySet()) {
      Object v = e.getValue();
      h = 31 * h + e.getKey().hashCode()
          + (v instanceof float[] f ? java.util.Arrays.hashCode(f) : java.util.Objects.hashCode(v));
    }
    return h;
  }

  @Override
  public String toString() {
    return table.qualifiedName() + "[" + keyString() + "]";
  }

  /** JSON text destined for a JSON (DuckDB) or VARIANT (Snowflake) column. */
  public record Json(String text) implements Serializable {}

  /** Builds a row; column names are upper-cased. */
  public static final class Builder {
    private final WarehouseTable table;
    private final LinkedHashMap<String, @Nullable Object> values = new LinkedHashMap<>();

    private Builder(WarehouseTable table) {
      this.table = table;
    }

    public Builder set(String column, @Nullable Object value) {
      values.put(column.toUpperCase(java.util.Locale.ROOT), value);
      return this;
    }

    public WarehouseRow build() {
      for (String k : table.keyColumns()) {
        if (values.get(k) == null) {
          throw new IllegalArgumentException(table.qualifiedName() + " row lacks key column " + k);
        }
      }
      return new WarehouseRow(table, values, null);
    }
  }
}
