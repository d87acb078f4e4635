package com.gongpipeline.warehouse;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.duckdb.DuckDBConnection;

/** The DuckDB tables: DDL applied once per open database, columns from the catalog (cached). */
final class DuckDbSchema implements WarehouseSchema {
  private final DuckDbDatabase db;
  private final ConnectionProvider<DuckDBConnection> conns;

  DuckDbSchema(DuckDbDatabase db, ConnectionProvider<DuckDBConnection> conns) {
    this.db = db;
    this.conns = conns;
  }

  @Override
  public void apply() {
    conns.checkOpen();
    db.applySchemaOnce(conns.dialect());
  }

  @Override
  public List<Column> columns(TableSpec spec) {
    return conns.withConnection(conn -> db.columns(conns.dialect(), spec, conn));
  }

  @Override
  public Set<String> countedSchemas() {
    Set<String> schemas = new TreeSet<>();
    for (WarehouseTable t : WarehouseTable.values()) {
      schemas.add(t.schema());
    }
    schemas.add(TableSpec.JOB_LOGS.schema());
    return schemas;
  }
}
