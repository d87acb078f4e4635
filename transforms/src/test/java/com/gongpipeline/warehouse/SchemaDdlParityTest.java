package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One logical schema, two dialects: the DuckDB and Snowflake DDL declare the same tables with the
 * same columns (names, order, nullability) and corresponding types.
 */
class SchemaDdlParityTest {
  private final DdlTables duck = DdlTables.fromResources(DuckDbDialect.SCHEMA_SCRIPTS);
  private final DdlTables snow = DdlTables.fromResources(SnowflakeDialect.SCHEMA_SCRIPTS);

  @Test
  void bothDialectsDeclareTheSameTables() {
    assertThat(new ArrayList<>(snow.tables().keySet()),
        is(new ArrayList<>(duck.tables().keySet())));
    for (WarehouseTable t : WarehouseTable.values()) {
      assertThat(snow.tables(), hasKey(t.qualifiedName()));
    }
    for (TableSpec s : List.of(TableSpec.JOB_LOGS, TableSpec.SYNC_STATE, TableSpec.SYNC_LEASE,
        TableSpec.GONG_API_USAGE, TableSpec.CALL_FETCH_SCHEDULE)) {
      assertThat(snow.tables(), hasKey(s.qualifiedName()));
    }
  }

  @Test
  void everyTableHasTheSameColumnsInOrderWithCorrespondingTypes() {
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, List<Column>> e : duck.tables().entrySet()) {
      List<Column> d = e.getValue();
      List<Column> s = snow.tables().get(e.getKey());
      if (s == null) {
        differences.add(e.getKey() + " missing in Snowflake");
        continue;
      }
      if (!names(d).equals(names(s))) {
        differences.add(e.getKey() + ": DuckDB " + names(d) + " vs Snowflake " + names(s));
        continue;
      }
      for (int i = 0; i < d.size(); i++) {
        Column dc = d.get(i);
        Column sc = s.get(i);
        if (dc.nullable() != sc.nullable()) {
          differences.add(e.getKey() + "." + dc.name() + ": nullability differs");
        }
        if (!snowflakeTypeOf(dc.type()).equals(sc.type())) {
          differences.add(e.getKey() + "." + dc.name() + ": DuckDB " + dc.type()
              + " should be Snowflake " + snowflakeTypeOf(dc.type()) + ", is " + sc.type());
        }
      }
    }
    assertThat(differences, is(empty()));
  }

  @Test
  void theParserReadsTypesKeysAndNullability() {
    DdlTables t = DdlTables.parse("-- c\nCREATE TABLE IF NOT EXISTS A.B (\n"
        + "  ID VARCHAR NOT NULL PRIMARY KEY, -- id\n  V VECTOR(FLOAT, 768),\n"
        + "  N NUMBER(38,0) NOT NULL,\n  PRIMARY KEY (ID, N)\n);");
    assertThat(t.tables().get("A.B"), contains(new Column("ID", "VARCHAR", false),
        new Column("V", "VECTOR(FLOAT, 768)", true), new Column("N", "NUMBER(38,0)", false)));
  }

  @Test
  void theSchemaScriptListNamesEveryNumberedSnowflakeFile() throws IOException {
    List<String> onDisk;
    try (Stream<Path> files = Files.list(Path.of("..", "sql", "snowflake"))) {
      onDisk = files.map(p -> "sql/snowflake/" + p.getFileName())
          .filter(n -> n.matches("sql/snowflake/[01]\\d\\d_.*\\.sql")).sorted().toList();
    }
    assertThat(onDisk, is(SnowflakeDialect.SCHEMA_SCRIPTS));
  }

  /** The documented type map (sql/snowflake/001_schemas.sql). */
  static String snowflakeTypeOf(String duckType) {
    return switch (duckType) {
      case "VARCHAR" -> "VARCHAR";
      case "JSON" -> "VARIANT";
      case "TIMESTAMP" -> "TIMESTAMP_NTZ";
      case "DATE" -> "DATE";
      case "BIGINT", "INTEGER" -> "NUMBER(38,0)";
      case "DOUBLE" -> "FLOAT";
      case "BOOLEAN" -> "BOOLEAN";
      case "FLOAT[]" -> "VECTOR(FLOAT, 768)";
      default -> "unmapped " + duckType;
    };
  }

  private static List<String> names(List<Column> cols) {
    return cols.stream().map(Column::name).toList();
  }
}
