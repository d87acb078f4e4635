package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Warehouse#checkSchema()}: compares the catalog with the tables and columns this
 * version's DDL declares ({@link DdlTables}, the one place columns are defined), then, for every
 * merge target that exists, creates a temporary staging table with the target's columns and runs
 * the job's own MERGE from it while it is empty. A zero-row MERGE changes nothing but is checked
 * for privileges and columns like a real one, so a role that may read but not write, or a table
 * whose columns drifted, shows up here rather than mid-run.
 */
final class SchemaChecker<C extends Connection> {
  private static final AtomicLong PROBE_IDS = new AtomicLong();

  private final ConnectionProvider<C> conns;

  SchemaChecker(ConnectionProvider<C> conns) {
    this.conns = conns;
  }

  SchemaCheck check() {
    SqlDialect dialect = conns.dialect();
    Map<String, List<Column>> declared = DdlTables.fromResources(dialect.schemaScripts()).tables();
    return conns.withConnection(conn -> {
      conn.setAutoCommit(true);
      List<String> missingTables = new ArrayList<>();
      Map<String, List<String>> missingColumns = new LinkedHashMap<>();
      Map<String, String> writeFailures = new LinkedHashMap<>();
      int present = 0;
      for (Map.Entry<String, List<Column>> table : declared.entrySet()) {
        String[] parts = table.getKey().split("\\.", 2);
        Set<String> actual = actualColumns(conn, dialect, parts[0], parts[1]);
        if (actual.isEmpty()) {
          missingTables.add(table.getKey());
          continue;
        }
        present++;
        List<String> lacking = new ArrayList<>();
        for (Column c : table.getValue()) {
          if (!actual.contains(c.name())) {
            lacking.add(c.name());
          }
        }
        if (!lacking.isEmpty()) {
          missingColumns.put(table.getKey(), lacking);
          continue;
        }
        TableSpec spec = mergeTarget(parts[0], parts[1]);
        if (spec != null) {
          String failure = probeMerge(conn, dialect, spec, table.getValue());
          if (failure != null) {
            writeFailures.put(table.getKey(), failure);
          }
        }
      }
      return new SchemaCheck(declared.size(), present, missingTables, missingColumns,
          writeFailures);
    });
  }

  private static Set<String> actualColumns(Connection conn, SqlDialect dialect, String schema,
      String table) throws SQLException {
    Set<String> names = new HashSet<>();
    try (PreparedStatement ps = conn.prepareStatement(dialect.columnsQuery())) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1).toUpperCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  /** The merge target behind a declared table, or null for tables written otherwise. */
  private static TableSpec mergeTarget(String schema, String table) {
    for (WarehouseTable t : WarehouseTable.values()) {
      if (t.schema().equals(schema) && t.table().equals(table)) {
        return TableSpec.of(t);
      }
    }
    for (TableSpec s : List.of(TableSpec.JOB_LOGS, TableSpec.SYNC_STATE, TableSpec.SYNC_LEASE,
        TableSpec.GONG_API_USAGE)) {
      if (s.schema().equals(schema) && s.table().equals(table)) {
        return s;
      }
    }
    return null;
  }

  /** Runs the zero-row MERGE; returns the database's refusal, or null when it was accepted. */
  private static String probeMerge(Connection conn, SqlDialect dialect, TableSpec spec,
      List<Column> columns) {
    String stage = dialect.probeStagingName(spec, PROBE_IDS.incrementAndGet());
    try (Statement st = conn.createStatement()) {
      st.execute(dialect.createStagingTable(stage, columns));
      try {
        st.execute(dialect.merge(spec, columns, stage));
      } finally {
        st.execute(dialect.dropStagingTable(stage));
      }
      return null;
    } catch (SQLException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return message.lines().findFirst().orElse(message);
    }
  }
}
