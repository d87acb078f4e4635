package com.gongpipeline.warehouse;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * Every piece of SQL text the warehouse layer runs, per database (the idea of kafka-connect-jdbc's
 * {@code DatabaseDialect}). Identifiers come only from {@link WarehouseTable}/{@link TableSpec} or
 * from the database's own catalog; data values are bound ({@link BoundSql}) or appended, never
 * concatenated. Implementations are stateless and golden-text tested.
 */
interface SqlDialect {

  /** Classpath resources of the DDL, in the order they must run. */
  List<String> schemaScripts();

  /** A quoted identifier. */
  String quote(String identifier);

  /** {@code "SCHEMA"."TABLE"}. */
  default String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /** Columns of one table: binds (schema, table); returns name, type, nullable (YES/NO). */
  String columnsQuery();

  /** Base tables of the given schemas: binds the schema names; returns schema, table. */
  String tablesQuery(int schemaCount);

  /** {@code SELECT count(*)} of a table. */
  String countQuery(String schema, String table);

  /** Name of the arrival-order column added to staging tables (last row per key wins). */
  String sequenceColumn();

  /** Creates the per-merge staging table: the target's columns plus {@link #sequenceColumn()}. */
  String createStagingTable(String stagingName, List<Column> columns);

  /** Drops the staging table. */
  String dropStagingTable(String stagingName);

  /**
   * One row: for each JSON column (in order), the smallest sequence number whose value is not
   * valid JSON, or NULL when all are valid.
   */
  String invalidJsonQuery(String stagingName, List<Column> jsonColumns);

  /**
   * The one MERGE from the de-duplicated staging rows into the target: insert new keys, update a
   * matched row only when a non-key, non-volatile column differs.
   */
  String merge(TableSpec spec, List<Column> columns, String stagingName);

  /** {@code DELETE ... WHERE column IN (values)}. */
  BoundSql deleteWhere(TableSpec spec, String column, Collection<String> values);

  /**
   * Selects all columns of the row with this single-column key (binds the key); TIMESTAMP columns
   * come back as UTC epoch microseconds.
   */
  String selectByKey(TableSpec spec, List<Column> columns);

  /** The semantic search over AI_MEMORY with only the filters the query sets. */
  BoundSql search(SearchQuery query);

  /** Distinct non-null embedding models in AI_MEMORY. */
  String embeddingModelsQuery();

  /** True when a failed transaction may succeed if retried (write conflicts between threads). */
  boolean isRetryable(SQLException e);

  /** The high-water mark (epoch microseconds, NULL if unset) of one sync; binds the name. */
  BoundSql selectHighWaterMark(String syncName);

  /**
   * One atomic statement that sets the sync's mark only if it is later than the stored one (or
   * none is stored); it returns one row when it wrote and none otherwise.
   */
  BoundSql advanceHighWaterMark(String syncName, long markMicros, long nowMicros, String jobId);

  /**
   * One atomic statement that takes the lease when it is absent, expired at {@code nowMicros}, or
   * already owned by {@code jobId}; it returns one row when it did and none otherwise.
   */
  BoundSql acquireLease(String name, String jobId, long nowMicros, long expiresMicros);

  /** Extends the lease only if {@code jobId} owns it and it has not expired; update count 1 or 0. */
  BoundSql renewLease(String name, String jobId, long nowMicros, long expiresMicros);

  /** Deletes the lease only if {@code jobId} owns it. */
  BoundSql releaseLease(String name, String jobId);

  /** Selects name, owner and expiry (epoch microseconds) of one lease; binds the name. */
  BoundSql selectLease(String name);

  /**
   * Deletes the rows of the given parents whose key is not in the staging table: what {@link
   * Warehouse#replaceChildren} removes before merging the staged rows.
   */
  BoundSql deleteChildrenNotStaged(
      TableSpec spec, String parentColumn, String stagingName, Collection<String> parentIds);

  /**
   * The stored chunks of some calls: MEMORY_ID, SOURCE_ID, CONTENT_HASH, EMBEDDING_MODEL,
   * EMBEDDING, SENTIMENT_SCORE, SENTIMENT_MODEL.
   */
  BoundSql storedChunks(Collection<String> callIds);

  /** Stored turns (id, text, sentiment, the call's sentiment model) of these calls. */
  BoundSql storedTurns(Collection<String> callIds);

  /** DELETE of a parent's rows whose key is not among {@code keepKeys}. */
  BoundSql deleteStaleChildren(TableSpec spec, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys);

  /** Key and PAYLOAD_HASH of the given keys of a RAW table. */
  BoundSql payloadHashes(TableSpec rawTable, Collection<String> keys);
}
