package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Snowflake tables: column lists from the DDL in {@code sql/snowflake/} ({@link DdlTables}),
 * not from the catalog, and the DDL statements run once per warehouse instance (all idempotent).
 */
final class SnowflakeSchema implements WarehouseSchema {
  /** Parsed once per JVM: writers open a warehouse per batch. */
  static final DdlTables DDL = DdlTables.fromResources(SnowflakeDialect.SCHEMA_SCRIPTS);

  private final ConnectionProvider<Connection> conns;
  private final AtomicBoolean applied = new AtomicBoolean();

  SnowflakeSchema(ConnectionProvider<Connection> conns) {
    this.conns = conns;
  }

  /** Runs the statements of {@code sql/snowflake/0*.sql} once per instance (all idempotent). */
  @Override
  public void apply() {
    conns.checkOpen();
    synchronized (applied) {
      if (applied.get()) {
        return;
      }
      conns.retrying("apply schema", conn -> {
        try (Statement st = conn.createStatement()) {
          for (String script : conns.dialect().schemaScripts()) {
            for (String sql : statements(DdlTables.resource(script))) {
              st.execute(sql);
            }
          }
        }
        return null;
      });
      applied.set(true);
    }
  }

  /** The statements of a script: comments removed, split at {@code ;}, blanks dropped. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    for (String s : DdlTables.stripComments(script).split(";")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  @Override
  public List<Column> columns(TableSpec spec) {
    return DDL.columns(spec);
  }

  @Override
  public Set<String> countedSchemas() {
    Set<String> schemas = new TreeSet<>();
    for (String t : DDL.tables().keySet()) {
      schemas.add(t.substring(0, t.indexOf('.')));
    }
    return schemas;
  }

  /** Only the schema's own tables: not the per-merge staging tables a session still holds. */
  @Override
  public boolean counted(String schema, String table) {
    return DDL.tables().containsKey(schema + "." + table);
  }

  /** The dimension of AI_MEMORY.MEMORY_RECORDS.EMBEDDING as the DDL declares it. */
  int embeddingDimension() {
    for (Column c : DDL.columns(TableSpec.of(WarehouseTable.MEMORY_RECORDS))) {
      if (c.name().equals("EMBEDDING")) {
        return SnowflakeDialect.vectorDimension(c);
      }
    }
    throw new IllegalStateException("AI_MEMORY.MEMORY_RECORDS has no EMBEDDING column");
  }
}
