package com.gongpipeline.warehouse;

import java.util.List;
import java.util.Set;

/**
 * The tables of one warehouse: applying the DDL, the columns of a table, and which tables the
 * counts cover. DuckDB reads columns from its catalog ({@link DuckDbSchema}); Snowflake from the
 * DDL scripts themselves ({@link SnowflakeSchema}).
 */
interface WarehouseSchema {

  /** Creates the schemas and tables; idempotent, runs the DDL once per open database. */
  void apply();

  /** Columns of a table, in DDL order. */
  List<Column> columns(TableSpec spec);

  /** Schemas whose tables the table counts cover. */
  Set<String> countedSchemas();

  /** Whether the table counts cover this table of a counted schema. */
  default boolean counted(String schema, String table) {
    return true;
  }

  /** The table's column with this name (any case), upper-cased, or IllegalArgumentException. */
  default String requireColumn(TableSpec spec, String column) {
    String col = column.toUpperCase(java.util.Locale.ROOT);
    for (Column c : columns(spec)) {
      if (c.name().equals(col)) {
        return col;
      }
    }
    throw new IllegalArgumentException("table " + spec.qualifiedName() + " has no column " + column);
  }
}
