package com.gongpipeline.warehouse;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SQL text for DuckDB (≥ 1.4 for MERGE; tested on 2.0). Staging tables are TEMP tables (private
 * to the connection, so concurrent merges never see each other's rows); MERGE reports what it did
 * through {@code RETURNING merge_action}; search is brute-force {@code list_cosine_similarity}
 * (DuckDB's HNSW index needs the {@code vss} extension, which is not available offline).
 */
final class DuckDbDialect implements SqlDialect {

  /** The DDL, in order. A classpath directory cannot be listed inside a jar, hence the list. */
  static final List<String> SCHEMA_SCRIPTS =
      List.of(
          "sql/duckdb/001_schemas.sql",
          "sql/duckdb/010_raw.sql",
          "sql/duckdb/020_stg.sql",
          "sql/duckdb/030_ai_memory.sql",
          "sql/duckdb/040_ops.sql",
          "sql/duckdb/050_sync_lease.sql");

  private static final String SEQ = "__GP_SEQ";

  @Override
  public List<String> schemaScripts() {
    return SCHEMA_SCRIPTS;
  }

  @Override
  public String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  @Override
  public String columnsQuery() {
    return "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
        + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
  }

  @Override
  public String tablesQuery(int schemaCount) {
    return "SELECT table_schema, table_name FROM information_schema.tables"
        + " WHERE table_type = 'BASE TABLE' AND table_schema IN ("
        + placeholders(schemaCount)
        + ") ORDER BY table_schema, table_name";
  }

  @Override
  public String countQuery(String schema, String table) {
    return "SELECT count(*) FROM " + qualified(schema, table);
  }

  @Override
  public String sequenceColumn() {
    return SEQ;
  }

  @Override
  public String createStagingTable(String stagingName, List<Column> columns) {
    StringJoiner cols = new StringJoiner(", ");
    for (Column c : columns) {
      cols.add(quote(c.name()) + " " + c.type());
    }
    cols.add(quote(SEQ) + " BIGINT");
    return "CREATE TEMP TABLE " + quote(stagingName) + " (" + cols + ")";
  }

  @Override
  public String dropStagingTable(String stagingName) {
    return "DROP TABLE IF EXISTS " + quote(stagingName);
  }

  @Override
  public String invalidJsonQuery(String stagingName, List<Column> jsonColumns) {
    StringJoiner sel = new StringJoiner(", ");
    for (Column c : jsonColumns) {
      sel.add("min(CASE WHEN NOT json_valid(" + quote(c.name()) + ") THEN " + quote(SEQ) + " END)");
    }
    return "SELECT " + sel + " FROM " + quote(stagingName);
  }

  @Override
  public String merge(TableSpec spec, List<Column> columns, String stagingName) {
    List<String> all = new ArrayList<>();
    List<String> nonKey = new ArrayList<>();
    List<String> compared = new ArrayList<>();
    for (Column c : columns) {
      all.add(c.name());
      if (!spec.keyColumns().contains(c.name())) {
        nonKey.add(c.name());
        if (!spec.volatileColumns().contains(c.name())) {
          compared.add(c.name());
        }
      }
    }
    StringBuilder sql = new StringBuilder();
    sql.append("MERGE INTO ").append(qualified(spec.schema(), spec.table())).append(" AS t\n");
    sql.append("USING (\n  SELECT ").append(join(all, "", ", "));
    sql.append("\n  FROM ").append(quote(stagingName));
    sql.append("\n  QUALIFY row_number() OVER (PARTITION BY ").append(join(spec.keyColumns(), "", ", "));
    sql.append(" ORDER BY ").append(quote(SEQ)).append(" DESC) = 1\n) AS s\n");
    StringJoiner on = new StringJoiner(" AND ");
    for (String k : spec.keyColumns()) {
      on.add("t." + quote(k) + " = s." + quote(k));
    }
    sql.append("ON ").append(on).append('\n');
    if (!compared.isEmpty()) {
      StringJoiner changed = new StringJoiner(" OR ");
      for (String c : compared) {
        changed.add("t." + quote(c) + " IS DISTINCT FROM s." + quote(c));
      }
      StringJoiner set = new StringJoiner(", ");
      for (String c : nonKey) {
        set.add(quote(c) + " = s." + quote(c));
      }
      sql.append("WHEN MATCHED AND (").append(changed).append(")\n  THEN UPDATE SET ").append(set);
      sql.append('\n');
    }
    sql.append("WHEN NOT MATCHED\n  THEN INSERT (").append(join(all, "", ", "));
    sql.append(") VALUES (").append(join(all, "s.", ", ")).append(")\n");
    sql.append("RETURNING merge_action");
    return sql.toString();
  }

  @Override
  public BoundSql deleteWhere(TableSpec spec, String column, Collection<String> values) {
    String sql =
        "DELETE FROM " + qualified(spec.schema(), spec.table())
            + " WHERE " + quote(column) + " IN (" + placeholders(values.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(values));
  }

  @Override
  public String selectByKey(TableSpec spec, List<Column> columns) {
    StringJoiner sel = new StringJoiner(", ");
    for (Column c : columns) {
      String q = quote(c.name());
      // TIMESTAMPs come back as UTC epoch microseconds: no JDBC time-zone conversion on the way.
      sel.add(c.type().equals("TIMESTAMP") ? "epoch_us(" + q + ") AS " + q : q);
    }
    return "SELECT " + sel + " FROM " + qualified(spec.schema(), spec.table())
        + " WHERE " + quote(spec.keyColumns().get(0)) + " = ?";
  }

  /**
   * Binds, in order: the query vector as a list literal string, model, dimension (twice), then
   * account, since (epoch microseconds) and affiliation when set, then k. Title/started/account
   * come from the record's METADATA ({@code title}, {@code started} ISO-8601, {@code account} or
   * {@code accountName}) and fall back to STG_GONG_CALLS.
   */
  @Override
  public BoundSql search(SearchQuery q) {
    List<@Nullable Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    sql.append("SELECT score, MEMORY_ID, CALL_ID, TITLE, epoch_us(STARTED) AS STARTED_US, ACCOUNT,");
    sql.append(" SPEAKER_NAME, AFFILIATION, START_MS, END_MS, CONTENT\nFROM (\n  SELECT\n");
    sql.append("    CASE WHEN len(m.\"EMBEDDING\") = len(q.v)");
    sql.append(" THEN list_cosine_similarity(m.\"EMBEDDING\", q.v) END AS score,\n");
    sql.append("    m.\"MEMORY_ID\" AS MEMORY_ID,\n");
    sql.append("    m.\"SOURCE_ID\" AS CALL_ID,\n");
    sql.append("    COALESCE(m.\"METADATA\"->>'$.title', c.\"CALL_TITLE\") AS TITLE,\n");
    sql.append("    COALESCE(timezone('UTC', TRY_CAST(m.\"METADATA\"->>'$.started' AS TIMESTAMPTZ)),");
    sql.append(" c.\"CALL_DATETIME_UTC\") AS STARTED,\n");
    sql.append("    COALESCE(m.\"METADATA\"->>'$.account', m.\"METADATA\"->>'$.accountName',");
    sql.append(" c.\"ACCOUNT_NAME\") AS ACCOUNT,\n");
    sql.append("    m.\"SPEAKER_NAME\" AS SPEAKER_NAME,\n");
    sql.append("    m.\"AFFILIATION\" AS AFFILIATION,\n");
    sql.append("    m.\"START_MS\" AS START_MS,\n");
    sql.append("    m.\"END_MS\" AS END_MS,\n");
    sql.append("    m.\"CONTENT\" AS CONTENT\n");
    sql.append("  FROM \"AI_MEMORY\".\"MEMORY_RECORDS\" m\n");
    sql.append("  CROSS JOIN (SELECT CAST(? AS FLOAT[]) AS v) q\n");
    params.add(vectorLiteral(q.queryVector()));
    sql.append("  LEFT JOIN \"STG_TRANSFORMED\".\"STG_GONG_CALLS\" c ON c.\"CALL_ID\" = m.\"SOURCE_ID\"\n");
    sql.append("  WHERE m.\"EMBEDDING_MODEL\" = ? AND m.\"EMBEDDING_DIM\" = ?");
    sql.append(" AND len(m.\"EMBEDDING\") = ?\n) h\n");
    params.add(q.embeddingModel());
    params.add(q.dimension());
    params.add(q.dimension());
    sql.append("WHERE score IS NOT NULL AND NOT isnan(score)");
    if (q.account() != null) {
      sql.append("\n  AND lower(ACCOUNT) = lower(?)");
      params.add(q.account());
    }
    if (q.since() != null) {
      sql.append("\n  AND STARTED >= make_timestamp(?)");
      params.add(DuckDbValues.epochMicros(q.since()));
    }
    if (q.affiliation() != null) {
      sql.append("\n  AND lower(AFFILIATION) = lower(?)");
      params.add(q.affiliation());
    }
    sql.append("\nORDER BY score DESC, MEMORY_ID\nLIMIT ?");
    params.add(q.k());
    return new BoundSql(sql.toString(), params);
  }

  @Override
  public String embeddingModelsQuery() {
    return "SELECT DISTINCT \"EMBEDDING_MODEL\" FROM \"AI_MEMORY\".\"MEMORY_RECORDS\""
        + " WHERE \"EMBEDDING_MODEL\" IS NOT NULL ORDER BY 1";
  }

  @Override
  public BoundSql selectHighWaterMark(String syncName) {
    return new BoundSql("SELECT epoch_us(\"HIGH_WATER_MARK\") FROM "
        + qualified(TableSpec.SYNC_STATE.schema(), TableSpec.SYNC_STATE.table())
        + " WHERE \"SYNC_NAME\" = ?", List.of(syncName));
  }

  /**
   * A MERGE whose matched branch only fires for a strictly later mark: the comparison and the
   * write are one statement on the current row, so the mark can never move backwards.
   */
  @Override
  public BoundSql advanceHighWaterMark(
      String syncName, long markMicros, long nowMicros, String jobId) {
    String sql = String.join("\n",
        "MERGE INTO " + qualified(TableSpec.SYNC_STATE.schema(), TableSpec.SYNC_STATE.table())
            + " AS t",
        "USING (SELECT ? AS \"SYNC_NAME\", make_timestamp(?) AS \"HIGH_WATER_MARK\","
            + " make_timestamp(?) AS \"UPDATED_AT\", ? AS \"JOB_ID\") AS s",
        "ON t.\"SYNC_NAME\" = s.\"SYNC_NAME\"",
        "WHEN MATCHED AND (t.\"HIGH_WATER_MARK\" IS NULL"
            + " OR t.\"HIGH_WATER_MARK\" < s.\"HIGH_WATER_MARK\")",
        "  THEN UPDATE SET \"HIGH_WATER_MARK\" = s.\"HIGH_WATER_MARK\","
            + " \"UPDATED_AT\" = s.\"UPDATED_AT\", \"JOB_ID\" = s.\"JOB_ID\"",
        "WHEN NOT MATCHED",
        "  THEN INSERT (\"SYNC_NAME\", \"HIGH_WATER_MARK\", \"UPDATED_AT\", \"JOB_ID\")"
            + " VALUES (s.\"SYNC_NAME\", s.\"HIGH_WATER_MARK\", s.\"UPDATED_AT\", s.\"JOB_ID\")",
        "RETURNING merge_action");
    return new BoundSql(sql, List.of(syncName, markMicros, nowMicros, jobId));
  }

  /**
   * A MERGE that inserts an absent lease, and takes over an existing one only when it has expired
   * or is already the caller's: the check of the current row and the write are one statement.
   * A re-acquire by the owner keeps ACQUIRED_AT.
   */
  @Override
  public BoundSql acquireLease(String name, String jobId, long nowMicros, long expiresMicros) {
    String sql = String.join("\n",
        "MERGE INTO " + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
            + " AS t",
        "USING (SELECT ? AS \"LEASE_NAME\", ? AS \"OWNER_JOB_ID\", make_timestamp(?) AS \"NOW_AT\","
            + " make_timestamp(?) AS \"EXPIRES_AT\") AS s",
        "ON t.\"LEASE_NAME\" = s.\"LEASE_NAME\"",
        "WHEN MATCHED AND (t.\"EXPIRES_AT\" <= s.\"NOW_AT\""
            + " OR t.\"OWNER_JOB_ID\" = s.\"OWNER_JOB_ID\")",
        "  THEN UPDATE SET \"OWNER_JOB_ID\" = s.\"OWNER_JOB_ID\","
            + " \"ACQUIRED_AT\" = CASE WHEN t.\"OWNER_JOB_ID\" = s.\"OWNER_JOB_ID\""
            + " THEN t.\"ACQUIRED_AT\" ELSE s.\"NOW_AT\" END,"
            + " \"EXPIRES_AT\" = s.\"EXPIRES_AT\", \"HEARTBEAT_AT\" = s.\"NOW_AT\"",
        "WHEN NOT MATCHED",
        "  THEN INSERT (\"LEASE_NAME\", \"OWNER_JOB_ID\", \"ACQUIRED_AT\", \"EXPIRES_AT\","
            + " \"HEARTBEAT_AT\") VALUES (s.\"LEASE_NAME\", s.\"OWNER_JOB_ID\", s.\"NOW_AT\","
            + " s.\"EXPIRES_AT\", s.\"NOW_AT\")",
        "RETURNING merge_action");
    return new BoundSql(sql, List.of(name, jobId, nowMicros, expiresMicros));
  }

  @Override
  public BoundSql renewLease(String name, String jobId, long nowMicros, long expiresMicros) {
    return new BoundSql("UPDATE "
        + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
        + " SET \"EXPIRES_AT\" = make_timestamp(?), \"HEARTBEAT_AT\" = make_timestamp(?)"
        + " WHERE \"LEASE_NAME\" = ? AND \"OWNER_JOB_ID\" = ? AND \"EXPIRES_AT\" > make_timestamp(?)",
        List.of(expiresMicros, nowMicros, name, jobId, nowMicros));
  }

  @Override
  public BoundSql releaseLease(String name, String jobId) {
    return new BoundSql("DELETE FROM "
        + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
        + " WHERE \"LEASE_NAME\" = ? AND \"OWNER_JOB_ID\" = ?", List.of(name, jobId));
  }

  @Override
  public BoundSql selectLease(String name) {
    return new BoundSql("SELECT \"LEASE_NAME\", \"OWNER_JOB_ID\", epoch_us(\"EXPIRES_AT\") FROM "
        + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
        + " WHERE \"LEASE_NAME\" = ?", List.of(name));
  }

  @Override
  public BoundSql deleteChildrenNotStaged(
      TableSpec spec, String parentColumn, String stagingName, Collection<String> parentIds) {
    StringJoiner sameKey = new StringJoiner(" AND ");
    for (String k : spec.keyColumns()) {
      sameKey.add("s." + quote(k) + " = t." + quote(k));
    }
    String sql = "DELETE FROM " + qualified(spec.schema(), spec.table()) + " AS t"
        + " WHERE t." + quote(parentColumn) + " IN (" + placeholders(parentIds.size()) + ")"
        + " AND NOT EXISTS (SELECT 1 FROM " + quote(stagingName) + " AS s WHERE " + sameKey + ")";
    return new BoundSql(sql, new ArrayList<>(parentIds));
  }

  @Override
  public BoundSql storedTurns(Collection<String> callIds) {
    String sql = "SELECT t.\"TRANSCRIPT_ID\", t.\"TRANSCRIPT_TEXT\", t.\"SEGMENT_SENTIMENT\","
        + " c.\"SENTIMENT_MODEL\" FROM " + qualified(WarehouseTable.STG_TRANSCRIPTS.schema(),
            WarehouseTable.STG_TRANSCRIPTS.table()) + " AS t"
        + " LEFT JOIN " + qualified(WarehouseTable.STG_CALLS.schema(),
            WarehouseTable.STG_CALLS.table()) + " AS c ON c.\"CALL_ID\" = t.\"CALL_ID\""
        + " WHERE t.\"CALL_ID\" IN (" + placeholders(callIds.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(callIds));
  }

  @Override
  public BoundSql deleteStaleChildren(TableSpec spec, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys) {
    String sql = "DELETE FROM " + qualified(spec.schema(), spec.table())
        + " WHERE " + quote(parentColumn) + " = ?"
        + (keepKeys.isEmpty() ? ""
            : " AND " + quote(keyColumn) + " NOT IN (" + placeholders(keepKeys.size()) + ")");
    List<Object> params = new ArrayList<>();
    params.add(parentId);
    params.addAll(keepKeys);
    return new BoundSql(sql, params);
  }

  @Override
  public BoundSql storedChunks(Collection<String> callIds) {
    String sql = "SELECT \"MEMORY_ID\", \"SOURCE_ID\", \"CONTENT_HASH\", \"EMBEDDING_MODEL\","
        + " \"EMBEDDING\", \"SENTIMENT_SCORE\", \"SENTIMENT_MODEL\""
        + " FROM " + qualified(WarehouseTable.MEMORY_RECORDS.schema(),
            WarehouseTable.MEMORY_RECORDS.table())
        + " WHERE \"SOURCE_ID\" IN (" + placeholders(callIds.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(callIds));
  }

  @Override
  public BoundSql payloadHashes(TableSpec rawTable, Collection<String> keys) {
    String key = quote(rawTable.keyColumns().get(0));
    String sql = "SELECT " + key + ", \"PAYLOAD_HASH\" FROM "
        + qualified(rawTable.schema(), rawTable.table())
        + " WHERE " + key + " IN (" + placeholders(keys.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(keys));
  }

  /**
   * DuckDB's optimistic concurrency: two transactions touching the same row ("Conflict on update",
   * "Conflict on tuple deletion"), concurrent catalog changes ("write-write conflict"), or two
   * transactions inserting the same new key (the PRIMARY KEY check, raised by the statement or at
   * commit). A MERGE's source is de-duplicated and inserts only unmatched keys, so a duplicate key
   * can only come from a concurrent writer; re-running the merge resolves all of these.
   */
  @Override
  public boolean isRetryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m == null) {
        continue;
      }
      String msg = m.toLowerCase(Locale.ROOT);
      if (msg.contains("conflict on")
          || msg.contains("write-write conflict")
          || (msg.contains("duplicate key")
              && (msg.contains("primary key") || msg.contains("unique")))) {
        return true;
      }
    }
    return false;
  }

  /** {@code [0.1, -2.5E-4, ...]}: Java's float text round-trips exactly through DuckDB's cast. */
  static String vectorLiteral(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 12).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(Float.toString(v[i]));
    }
    return sb.append(']').toString();
  }

  private String join(List<String> names, String prefix, String sep) {
    StringJoiner j = new StringJoiner(sep);
    for (String n : names) {
      j.add(prefix + quote(n));
    }
    return j.toString();
  }

  private static String placeholders(int n) {
    StringJoiner j = new StringJoiner(", ");
    for (int i = 0; i < n; i++) {
      j.add("?");
    }
    return j.toString();
  }
}
