package com.gongpipeline.snowflake.sim;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One driver session: its tokens and its own DuckDB connection (a duplicate of the stand-in's root
 * connection, so all sessions see one database). Statements of a session run one at a time.
 */
final class StandInSession {
  final long id;
  final String masterToken = "master-" + UUID.randomUUID();
  final Connection duckDb;
  final @Nullable String database;
  final @Nullable String warehouse;
  final @Nullable String role;
  private volatile String sessionToken = "session-" + UUID.randomUUID();
  private volatile @Nullable String schema;
  private volatile boolean closed;
  /** Snowflake temporary tables, real tables on DuckDB: dropped when the session closes. */
  private final java.util.Set<String> temporaryTables =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Session variables ({@code SET name = expr}), upper-case name to expression text. */
  final java.util.Map<String, String> variables = new java.util.concurrent.ConcurrentHashMap<>();

  StandInSession(long id, Connection duckDb, @Nullable String database, @Nullable String schema,
      @Nullable String warehouse, @Nullable String role) {
    this.id = id;
    this.duckDb = duckDb;
    this.database = database;
    this.schema = schema;
    this.warehouse = warehouse;
    this.role = role;
  }

  String sessionToken() {
    return sessionToken;
  }

  /** A fresh session token; the old one stops working. */
  String renew() {
    sessionToken = "session-" + UUID.randomUUID();
    return sessionToken;
  }

  @Nullable String schema() {
    return schema;
  }

  void schema(@Nullable String schema) {
    this.schema = schema;
  }

  boolean isClosed() {
    return closed;
  }

  void addTemporaryTable(String name) {
    temporaryTables.add(name);
  }

  void close() {
    closed = true;
    for (String table : temporaryTables) {
      try (java.sql.Statement st = duckDb.createStatement()) {
        st.execute("DROP TABLE IF EXISTS " + table);
      } catch (SQLException e) {
        // already gone or replaced by a permanent table of the same name: nothing to drop
      }
    }
    try {
      duckDb.close();
    } catch (SQLException e) {
      // the stand-in is shutting the session down; nothing to report to the driver
    }
  }
}
