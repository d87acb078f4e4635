package com.gongpipeline.warehouse;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.errors.RetryPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Every piece of SQL text the warehouse layer runs, and how values cross JDBC (binding, reading,
 * what a failure means), per database (the idea of kafka-connect-jdbc's {@code DatabaseDialect}):
 * the stores and the connection provider above it hold no database differences. Identifiers come only from {@link WarehouseTable}/{@link TableSpec} or
 * from the database's own catalog; data values are bound ({@link BoundSql}) or appended, never
 * concatenated. Implementations are stateless and golden-text tested.
 *
 * <p>The default methods are the statements whose text is the same on every database, or differs
 * only in the few pieces named by {@link #stagingRef}, {@link #epochMicrosOf}, {@link
 * #timestampParam}, {@link #bindMicros} and {@link #returningSuffix}.
 */
interface SqlDialect {

  /** Classpath resources of the DDL, in the order they must run. */
  List<String> schemaScripts();

  /** A quoted identifier. */
  default String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  // ---- the pieces that differ between databases ----

  /** A staging table name as it appears in SQL (quoted; may be schema-qualified). */
  default String stagingRef(String stagingName) {
    return quote(stagingName);
  }

  /** The SQL expression of a TIMESTAMP column {@code expr} as UTC epoch microseconds. */
  String epochMicrosOf(String expr);

  /** A bound TIMESTAMP parameter in SQL ({@link #bindMicros} binds its value). */
  String timestampParam();

  /** The bind value of a {@link #timestampParam} holding these epoch microseconds. */
  Object bindMicros(long epochMicros);

  /**
   * Appended to the MERGE statements: how a MERGE reports what it wrote as rows (empty when the
   * database reports an update count instead).
   */
  String returningSuffix();

  /** {@code "SCHEMA"."TABLE"}. */
  default String qualified(String schema, String table) {
    return quote(schema) + "." + quote(table);
  }

  /** Columns of one table: binds (schema, table); returns name, type, nullable (YES/NO). */
  default String columnsQuery() {
    return "SELECT column_name, data_type, is_nullable FROM information_schema.columns"
        + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position";
  }

  /** Base tables of the given schemas: binds the schema names; returns schema, table. */
  default String tablesQuery(int schemaCount) {
    return "SELECT table_schema, table_name FROM information_schema.tables"
        + " WHERE table_type = 'BASE TABLE' AND table_schema IN ("
        + placeholders(schemaCount)
        + ") ORDER BY table_schema, table_name";
  }

  /** {@code SELECT count(*)} of a table. */
  String countQuery(String schema, String table);

  /** Name of the arrival-order column added to staging tables (last row per key wins). */
  String sequenceColumn();

  /** Creates the per-merge staging table: the target's columns plus {@link #sequenceColumn()}. */
  String createStagingTable(String stagingName, List<Column> columns);

  /**
   * The name of the empty staging table {@code check} creates for its zero-row MERGE into {@code
   * spec} (see {@link SchemaChecker}).
   */
  default String probeStagingName(TableSpec spec, long id) {
    return "GP_CHECK_" + spec.table() + "_" + id;
  }

  /** Drops the staging table. */
  default String dropStagingTable(String stagingName) {
    return "DROP TABLE IF EXISTS " + stagingRef(stagingName);
  }

  /**
   * One row: for each JSON column (in order), the smallest sequence number whose value is not
   * valid JSON, or NULL when all are valid.
   */
  String invalidJsonQuery(String stagingName, List<Column> jsonColumns);

  /**
   * The one MERGE from the de-duplicated staging rows into the target: insert new keys, update a
   * matched row only when a non-key, non-volatile column differs. A {@link
   * TableSpec#keepStoredWhenNull()} column keeps its stored value when the incoming one is NULL
   * (and an incoming NULL there is no change).
   */
  default String merge(TableSpec spec, List<Column> columns, String stagingName) {
    return mergeSql(spec, columns, stagingName, 0);
  }

  /**
   * {@link #merge}, whose ON clause also names the staged keys ({@code AND t."KEY" IN (?, ...)},
   * bound to {@code keys}) for a table with a one-column key, so that a database with an index on
   * the key looks the staged keys up instead of joining them against a scan of the whole target.
   * The same statement otherwise: every staged key is in the list. Measured on DuckDB 2.0 with a
   * 20,000-call file (668,337 memory records): a 250-row MERGE into AI_MEMORY.MEMORY_RECORDS took
   * 1.8 s, its join reading every column (the vectors too) of every stored row; with the keys
   * named, 44 ms through the primary key's index. With no keys or a composite key: {@link #merge}.
   */
  default BoundSql mergeNamingKeys(TableSpec spec, List<Column> columns, String stagingName,
      List<Object> keys) {
    if (keys.isEmpty() || spec.keyColumns().size() != 1) {
      return new BoundSql(merge(spec, columns, stagingName), List.of());
    }
    return new BoundSql(mergeSql(spec, columns, stagingName, keys.size()), new ArrayList<>(keys));
  }

  /** The MERGE of {@link #merge}; with {@code keyParams > 0}, the key look-up of {@link #mergeNamingKeys}. */
  private String mergeSql(TableSpec spec, List<Column> columns, String stagingName, int keyParams) {
    List<String> all = new ArrayList<>();
    List<String> nonKey = new ArrayList<>();
    List<String> compared = new ArrayList<>();
    StringJoiner select = new StringJoiner(", ");
    for (Column c : columns) {
      all.add(c.name());
      select.add(stagingSelect(c));
      if (!spec.keyColumns().contains(c.name())) {
        nonKey.add(c.name());
        if (!spec.volatileColumns().contains(c.name())) {
          compared.add(c.name());
        }
      }
    }
    StringBuilder sql = new StringBuilder();
    sql.append("MERGE INTO ").append(qualified(spec.schema(), spec.table())).append(" AS t\n");
    sql.append("USING (\n  SELECT ").append(select);
    sql.append("\n  FROM ").append(stagingRef(stagingName));
    String version = spec.versionColumn();
    String call = spec.callColumn();
    if (version != null && call != null) {
      sql.append(" AS st");
      // An older version's row never lands once its call has a newer version anywhere: not over
      // a newer row (the WHEN MATCHED guard below) and not as a key the newer version dropped.
      // Decided inside this statement, so no look-up can race a concurrent newer write.
      String stg = qualified(WarehouseTable.STG_CALLS.schema(), WarehouseTable.STG_CALLS.table());
      String target = qualified(spec.schema(), spec.table());
      sql.append("\n  WHERE st.").append(quote(version)).append(" IS NULL OR (NOT EXISTS (SELECT 1 FROM ")
          .append(target).append(" AS n WHERE n.").append(quote(call)).append(" = st.")
          .append(quote(call)).append(" AND n.").append(quote(version)).append(" > st.")
          .append(quote(version)).append(")");
      if (!target.equals(stg)) {
        sql.append(" AND NOT EXISTS (SELECT 1 FROM ").append(stg).append(" AS v WHERE v.\"CALL_ID\" = st.")
            .append(quote(call)).append(" AND v.").append(quote(version)).append(" > st.")
            .append(quote(version)).append(")");
      }
      sql.append(")");
    }
    sql.append("\n  QUALIFY ").append(rowNumberFunction()).append(" OVER (PARTITION BY ")
        .append(join(spec.keyColumns(), "", ", "));
    sql.append(" ORDER BY ");
    if (version != null) {
      sql.append(quote(version)).append(" DESC NULLS LAST, ");
    }
    sql.append(quote(sequenceColumn())).append(" DESC) = 1\n) AS s\n");
    StringJoiner on = new StringJoiner(" AND ");
    for (String k : spec.keyColumns()) {
      on.add("t." + quote(k) + " = s." + quote(k));
    }
    if (keyParams > 0) {
      on.add("t." + quote(spec.keyColumns().get(0)) + " IN (" + placeholders(keyParams) + ")");
    }
    sql.append("ON ").append(on).append('\n');
    if (!compared.isEmpty()) {
      StringJoiner changed = new StringJoiner(" OR ");
      for (String c : compared) {
        changed.add(spec.keepStoredWhenNull().contains(c)
            ? "(s." + quote(c) + " IS NOT NULL AND t." + quote(c) + " IS DISTINCT FROM s."
                + quote(c) + ")"
            : "t." + quote(c) + " IS DISTINCT FROM s." + quote(c));
      }
      StringJoiner set = new StringJoiner(", ");
      for (String c : nonKey) {
        set.add(spec.keepStoredWhenNull().contains(c)
            ? quote(c) + " = COALESCE(s." + quote(c) + ", t." + quote(c) + ")"
            : quote(c) + " = s." + quote(c));
      }
      sql.append("WHEN MATCHED AND ");
      if (version != null) {
        // An older version never overwrites a newer one (unversioned rows merge as before).
        sql.append("(t.").append(quote(version)).append(" IS NULL OR s.").append(quote(version))
            .append(" IS NULL OR s.").append(quote(version)).append(" >= t.")
            .append(quote(version)).append(") AND ");
      }
      sql.append("(").append(changed).append(")\n  THEN UPDATE SET ").append(set);
      sql.append('\n');
    }
    sql.append("WHEN NOT MATCHED\n  THEN INSERT (").append(join(all, "", ", "));
    sql.append(") VALUES (").append(join(all, "s.", ", ")).append(")");
    sql.append(returningSuffix());
    return sql.toString();
  }

  /** A staging column as the MERGE's source selects it (converted to the target's type). */
  default String stagingSelect(Column c) {
    return quote(c.name());
  }

  /** The window function that numbers a key's staged rows, as this dialect spells it. */
  String rowNumberFunction();

  /** {@code DELETE ... WHERE column IN (values)}. */
  default BoundSql deleteWhere(TableSpec spec, String column, Collection<String> values) {
    String sql =
        "DELETE FROM " + qualified(spec.schema(), spec.table())
            + " WHERE " + quote(column) + " IN (" + placeholders(values.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(values));
  }

  /**
   * Selects all columns of the row with this single-column key (binds the key); TIMESTAMP columns
   * come back as UTC epoch microseconds.
   */
  String selectByKey(TableSpec spec, List<Column> columns);

  /** The semantic search over AI_MEMORY with only the filters the query sets. */
  BoundSql search(SearchQuery query);

  /** Distinct non-null embedding models in AI_MEMORY. */
  default String embeddingModelsQuery() {
    return "SELECT DISTINCT \"EMBEDDING_MODEL\" FROM \"AI_MEMORY\".\"MEMORY_RECORDS\""
        + " WHERE \"EMBEDDING_MODEL\" IS NOT NULL ORDER BY 1";
  }

  /** True when a failed transaction may succeed if retried (write conflicts between threads). */
  boolean isRetryable(SQLException e);

  /**
   * What a failed database statement means: {@link FailureKind#RETRYABLE} when {@link
   * #isRetryable}, {@link FailureKind#FATAL_CONFIG} when nothing will work until an operator acts
   * ({@link #isFatalConfig}), else {@link FailureKind#PERMANENT} (the statement or its rows, as
   * they are, will fail again: a constraint, a type, invalid JSON).
   */
  default FailureKind kindOf(SQLException e) {
    if (isRetryable(e)) {
      return FailureKind.RETRYABLE;
    }
    return isFatalConfig(e) ? FailureKind.FATAL_CONFIG : FailureKind.PERMANENT;
  }

  /** True for failures no retry and no other row can fix: credentials, URL, missing schema. */
  boolean isFatalConfig(SQLException e);

  /**
   * The classifier of the warehouse's {@link RetryPolicy}: a {@link PipelineException} (e.g. a
   * {@link WarehouseException#invalidRow}) keeps its kind, a {@link SQLException} is classified by
   * {@link #kindOf}, anything else (a bug, a bad argument) is {@link FailureKind#PERMANENT}: it
   * is not retried.
   */
  default RetryPolicy.Failure classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof PipelineException p) {
        return new RetryPolicy.Failure(p.kind(), p.retryAfter());
      }
      if (t instanceof SQLException s) {
        return RetryPolicy.Failure.of(kindOf(s));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return RetryPolicy.Failure.of(FailureKind.PERMANENT);
  }

  /** The high-water mark (epoch microseconds, NULL if unset) of one sync; binds the name. */
  default BoundSql selectHighWaterMark(String syncName) {
    return new BoundSql("SELECT " + epochMicrosOf("\"HIGH_WATER_MARK\"") + " FROM "
        + qualified(TableSpec.SYNC_STATE.schema(), TableSpec.SYNC_STATE.table())
        + " WHERE \"SYNC_NAME\" = ?", List.of(syncName));
  }

  /** Deletes one sync's mark row (binds the name): the sync starts over. */
  default BoundSql clearHighWaterMark(String syncName) {
    return new BoundSql("DELETE FROM "
        + qualified(TableSpec.SYNC_STATE.schema(), TableSpec.SYNC_STATE.table())
        + " WHERE \"SYNC_NAME\" = ?", List.of(syncName));
  }

  /**
   * One atomic statement that sets the sync's mark only if it is later than the stored one (or
   * none is stored); it returns one row when it wrote and none otherwise. A MERGE whose matched
   * branch only fires for a strictly later mark: the comparison and the write are one statement on
   * the current row, so the mark can never move backwards.
   */
  default BoundSql advanceHighWaterMark(
      String syncName, long markMicros, long nowMicros, String jobId) {
    String sql = String.join("\n",
        "MERGE INTO " + qualified(TableSpec.SYNC_STATE.schema(), TableSpec.SYNC_STATE.table())
            + " AS t",
        "USING (SELECT ? AS \"SYNC_NAME\", " + timestampParam() + " AS \"HIGH_WATER_MARK\","
            + " " + timestampParam() + " AS \"UPDATED_AT\", ? AS \"JOB_ID\") AS s",
        "ON t.\"SYNC_NAME\" = s.\"SYNC_NAME\"",
        "WHEN MATCHED AND (t.\"HIGH_WATER_MARK\" IS NULL"
            + " OR t.\"HIGH_WATER_MARK\" < s.\"HIGH_WATER_MARK\")",
        "  THEN UPDATE SET \"HIGH_WATER_MARK\" = s.\"HIGH_WATER_MARK\","
            + " \"UPDATED_AT\" = s.\"UPDATED_AT\", \"JOB_ID\" = s.\"JOB_ID\"",
        "WHEN NOT MATCHED",
        "  THEN INSERT (\"SYNC_NAME\", \"HIGH_WATER_MARK\", \"UPDATED_AT\", \"JOB_ID\")"
            + " VALUES (s.\"SYNC_NAME\", s.\"HIGH_WATER_MARK\", s.\"UPDATED_AT\", s.\"JOB_ID\")")
        + returningSuffix();
    return new BoundSql(sql,
        List.of(syncName, bindMicros(markMicros), bindMicros(nowMicros), jobId));
  }

  /**
   * One atomic statement that takes the lease when it is absent, expired at {@code nowMicros}, or
   * already owned by {@code jobId}; it returns one row when it did and none otherwise. A MERGE:
   * the check of the current row and the write are one statement. A re-acquire by the owner keeps
   * ACQUIRED_AT.
   */
  default BoundSql acquireLease(String name, String jobId, long nowMicros, long expiresMicros) {
    String sql = String.join("\n",
        "MERGE INTO " + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
            + " AS t",
        "USING (SELECT ? AS \"LEASE_NAME\", ? AS \"OWNER_JOB_ID\", " + timestampParam()
            + " AS \"NOW_AT\", " + timestampParam() + " AS \"EXPIRES_AT\") AS s",
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
            + " s.\"EXPIRES_AT\", s.\"NOW_AT\")")
        + returningSuffix();
    return new BoundSql(sql,
        List.of(name, jobId, bindMicros(nowMicros), bindMicros(expiresMicros)));
  }

  /**
   * One atomic statement that adds {@code delta} (negative to give back) to the ledger row of
   * (day, job, endpoint), creating it if absent; binds day as {@code YYYY-MM-DD}.
   */
  default BoundSql addGongUsage(String day, String jobId, String endpoint, long delta,
      long nowMicros) {
    return gongUsageMerge("SELECT CAST(? AS DATE) AS \"USAGE_DAY\", ? AS \"JOB_ID\", ? AS"
        + " \"ENDPOINT\", ? AS \"DELTA\", " + timestampParam() + " AS \"UPDATED_AT\"",
        List.<Object>of(day, jobId, endpoint, delta, bindMicros(nowMicros)));
  }

  /**
   * One atomic statement that adds {@code requests} to the ledger row of (day, job, endpoint)
   * only if the day's total across all jobs stays within {@code budget}: the source row exists
   * only then, so the check and the increment are one statement. It returns one row when it
   * wrote and none otherwise.
   */
  default BoundSql reserveGongUsage(String day, String jobId, String endpoint, long requests,
      long budget, long nowMicros) {
    String usage = qualified(TableSpec.GONG_API_USAGE.schema(), TableSpec.GONG_API_USAGE.table());
    return gongUsageMerge("SELECT CAST(? AS DATE) AS \"USAGE_DAY\", ? AS \"JOB_ID\", ? AS"
        + " \"ENDPOINT\", ? AS \"DELTA\", " + timestampParam() + " AS \"UPDATED_AT\""
        + " WHERE (SELECT COALESCE(SUM(\"REQUESTS\"), 0) FROM " + usage
        + " WHERE \"USAGE_DAY\" = CAST(? AS DATE)) + ? <= ?",
        List.<Object>of(day, jobId, endpoint, requests, bindMicros(nowMicros), day, requests,
            budget));
  }

  private BoundSql gongUsageMerge(String source, List<Object> params) {
    String sql = String.join("\n",
        "MERGE INTO " + qualified(TableSpec.GONG_API_USAGE.schema(),
            TableSpec.GONG_API_USAGE.table()) + " AS t",
        "USING (" + source + ") AS s",
        "ON t.\"USAGE_DAY\" = s.\"USAGE_DAY\" AND t.\"JOB_ID\" = s.\"JOB_ID\""
            + " AND t.\"ENDPOINT\" = s.\"ENDPOINT\"",
        "WHEN MATCHED THEN UPDATE SET \"REQUESTS\" = t.\"REQUESTS\" + s.\"DELTA\","
            + " \"UPDATED_AT\" = s.\"UPDATED_AT\"",
        "WHEN NOT MATCHED",
        "  THEN INSERT (\"USAGE_DAY\", \"JOB_ID\", \"ENDPOINT\", \"REQUESTS\", \"UPDATED_AT\")"
            + " VALUES (s.\"USAGE_DAY\", s.\"JOB_ID\", s.\"ENDPOINT\", s.\"DELTA\","
            + " s.\"UPDATED_AT\")")
        + returningSuffix();
    return new BoundSql(sql, params);
  }

  /** The day's requests across all jobs (0 when none); binds day as {@code YYYY-MM-DD}. */
  default BoundSql selectGongUsageTotal(String day) {
    return new BoundSql("SELECT COALESCE(SUM(\"REQUESTS\"), 0) FROM "
        + qualified(TableSpec.GONG_API_USAGE.schema(), TableSpec.GONG_API_USAGE.table())
        + " WHERE \"USAGE_DAY\" = CAST(? AS DATE)", List.of(day));
  }

  /** Extends the lease only if {@code jobId} owns it and it has not expired; update count 1 or 0. */
  default BoundSql renewLease(String name, String jobId, long nowMicros, long expiresMicros) {
    String ts = timestampParam();
    return new BoundSql("UPDATE "
        + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
        + " SET \"EXPIRES_AT\" = " + ts + ", \"HEARTBEAT_AT\" = " + ts
        + " WHERE \"LEASE_NAME\" = ? AND \"OWNER_JOB_ID\" = ? AND \"EXPIRES_AT\" > " + ts,
        List.of(bindMicros(expiresMicros), bindMicros(nowMicros), name, jobId,
            bindMicros(nowMicros)));
  }

  /** Deletes the lease only if {@code jobId} owns it. */
  default BoundSql releaseLease(String name, String jobId) {
    return new BoundSql("DELETE FROM "
        + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
        + " WHERE \"LEASE_NAME\" = ? AND \"OWNER_JOB_ID\" = ?", List.of(name, jobId));
  }

  /** Selects name, owner and expiry (epoch microseconds) of one lease; binds the name. */
  default BoundSql selectLease(String name) {
    return new BoundSql("SELECT \"LEASE_NAME\", \"OWNER_JOB_ID\", "
        + epochMicrosOf("\"EXPIRES_AT\"") + " FROM "
        + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
        + " WHERE \"LEASE_NAME\" = ?", List.of(name));
  }

  /**
   * Deletes the rows of the given parents whose key is not in the staging table: what {@link
   * Warehouse#replaceChildren} removes before merging the staged rows.
   */
  default BoundSql deleteChildrenNotStaged(
      TableSpec spec, String parentColumn, String stagingName, Collection<String> parentIds) {
    StringJoiner sameKey = new StringJoiner(" AND ");
    for (String k : spec.keyColumns()) {
      sameKey.add("s." + quote(k) + " = t." + quote(k));
    }
    String sql = "DELETE FROM " + qualified(spec.schema(), spec.table()) + " AS t"
        + " WHERE t." + quote(parentColumn) + " IN (" + placeholders(parentIds.size()) + ")"
        + " AND NOT EXISTS (SELECT 1 FROM " + stagingRef(stagingName) + " AS s WHERE " + sameKey
        + ")";
    return new BoundSql(sql, new ArrayList<>(parentIds));
  }

  /**
   * The stored chunks of some calls: MEMORY_ID, SOURCE_ID, CONTENT_HASH, EMBEDDING_MODEL,
   * EMBEDDING, SENTIMENT_SCORE, SENTIMENT_MODEL.
   */
  BoundSql storedChunks(Collection<String> callIds);

  /** Stored turns (id, text, sentiment, the call's sentiment model) of these calls. */
  default BoundSql storedTurns(Collection<String> callIds) {
    String sql = "SELECT t.\"TRANSCRIPT_ID\", t.\"TRANSCRIPT_TEXT\", t.\"SEGMENT_SENTIMENT\","
        + " c.\"SENTIMENT_MODEL\" FROM " + qualified(WarehouseTable.STG_TRANSCRIPTS.schema(),
            WarehouseTable.STG_TRANSCRIPTS.table()) + " AS t"
        + " LEFT JOIN " + qualified(WarehouseTable.STG_CALLS.schema(),
            WarehouseTable.STG_CALLS.table()) + " AS c ON c.\"CALL_ID\" = t.\"CALL_ID\""
        + " WHERE t.\"CALL_ID\" IN (" + placeholders(callIds.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(callIds));
  }

  /** How a SELECT reads a vector column so that {@link #readEmbedding} can read it. */
  default String selectEmbedding(String column) {
    return column;
  }

  /**
   * Call vectors of calls neither deleted nor private: CALL_ID, EMBEDDING_MODEL, EMBEDDING,
   * title, start (text), account, HubSpot deal, Salesforce opportunity.
   */
  default BoundSql callVectors() {
    String sql = "SELECT v.\"CALL_ID\", v.\"EMBEDDING_MODEL\", "
        + selectEmbedding("v.\"EMBEDDING\"") + " AS \"EMBEDDING\", c.\"CALL_TITLE\","
        + " CAST(c.\"CALL_DATETIME_UTC\" AS VARCHAR), c.\"ACCOUNT_NAME\", c.\"HUBSPOT_DEAL_ID\","
        + " c.\"SALESFORCE_OPPORTUNITY_ID\" FROM " + qualified(WarehouseTable.CALL_VECTORS.schema(),
            WarehouseTable.CALL_VECTORS.table()) + " AS v JOIN "
        + qualified(WarehouseTable.STG_CALLS.schema(), WarehouseTable.STG_CALLS.table())
        + " AS c ON c.\"CALL_ID\" = v.\"CALL_ID\""
        + " WHERE c.\"IS_DELETED\" IS NOT TRUE AND c.\"IS_PRIVATE\" IS NOT TRUE"
        + " ORDER BY v.\"CALL_ID\"";
    return new BoundSql(sql, new ArrayList<>());
  }

  /** Stored summaries (id, summary, method, input hash) of these calls. */
  default BoundSql storedSummaries(Collection<String> callIds) {
    String sql = "SELECT \"CALL_ID\", \"CALL_SUMMARY\", \"CALL_SUMMARY_METHOD\","
        + " \"CALL_SUMMARY_INPUT_HASH\" FROM " + qualified(WarehouseTable.STG_CALLS.schema(),
            WarehouseTable.STG_CALLS.table())
        + " WHERE \"CALL_ID\" IN (" + placeholders(callIds.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(callIds));
  }

  /** DELETE of a parent's rows whose key is not among {@code keepKeys}. */
  default BoundSql deleteStaleChildren(TableSpec spec, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys) {
    return deleteStaleChildren(spec, parentColumn, parentId, keyColumn, keepKeys, null);
  }

  /**
   * As {@link #deleteStaleChildren(TableSpec, String, String, String, Collection)}, deleting
   * nothing when {@code callVersion} is set and STG_GONG_CALLS already holds a newer version of
   * the call (the keep-set is an older version's), decided in the same statement. In a table
   * whose rows carry the version (turns, chunks), rows of a newer version are never deleted, and
   * nothing is once any row of the call there is newer.
   */
  default BoundSql deleteStaleChildren(TableSpec spec, String parentColumn, String parentId,
      String keyColumn, Collection<String> keepKeys, @Nullable Long callVersion) {
    String sql = "DELETE FROM " + qualified(spec.schema(), spec.table())
        + " WHERE " + quote(parentColumn) + " = ?"
        + (keepKeys.isEmpty() ? ""
            : " AND " + quote(keyColumn) + " NOT IN (" + placeholders(keepKeys.size()) + ")");
    List<Object> params = new ArrayList<>();
    params.add(parentId);
    params.addAll(keepKeys);
    if (callVersion != null) {
      sql += " AND NOT EXISTS (SELECT 1 FROM " + qualified(WarehouseTable.STG_CALLS.schema(),
          WarehouseTable.STG_CALLS.table()) + " AS v WHERE v.\"CALL_ID\" = ?"
          + " AND v.\"CALL_VERSION\" > ?)";
      params.add(parentId);
      params.add(callVersion);
      String version = spec.versionColumn();
      if (version != null && !spec.table().equals(WarehouseTable.STG_CALLS.table())) {
        // The rows carry their call's version (sql 120): an older version's replace never
        // deletes a row a newer version wrote, nor anything once a newer version has landed
        // some of its rows here, even before its STG_GONG_CALLS row.
        String table = qualified(spec.schema(), spec.table());
        sql += " AND (" + quote(version) + " IS NULL OR " + quote(version) + " <= ?)"
            + " AND NOT EXISTS (SELECT 1 FROM " + table + " AS n WHERE n." + quote(parentColumn)
            + " = ? AND n." + quote(version) + " > ?)";
        params.add(callVersion);
        params.add(parentId);
        params.add(callVersion);
      }
    }
    return new BoundSql(sql, params);
  }

  /**
   * {@link #deleteStaleChildren(TableSpec, String, String, String, Collection, Long)} for several
   * calls of one table in one statement, so the table is scanned once per batch of calls rather
   * than once per call (the cost that grew with the corpus). Each entry's rows are deleted exactly
   * as its own statement would: keys not in its keep-set, and, when its {@link
   * ChildKeys#callVersion()} is positive, nothing once STG_GONG_CALLS (or, in a versioned table,
   * any row of that call) holds a newer version, never a newer version's row. Every condition
   * names only the entry's own call, so entries never affect each other; the parents must be
   * distinct. Keep-keys and versions are bound as {@code VALUES} rows.
   */
  default BoundSql deleteStaleChildren(TableSpec spec, String parentColumn, String keyColumn,
      List<ChildKeys> sets) {
    if (sets.isEmpty()) {
      throw new IllegalArgumentException("no key sets");
    }
    String table = qualified(spec.schema(), spec.table());
    String parent = quote(parentColumn);
    String key = quote(keyColumn);
    List<Object> params = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    for (ChildKeys k : sets) {
      if (!seen.add(k.parentId())) {
        throw new IllegalArgumentException("parent " + k.parentId() + " twice in one delete");
      }
      params.add(k.parentId());
    }
    StringBuilder sql = new StringBuilder("DELETE FROM ").append(table).append(" AS t WHERE t.")
        .append(parent).append(" IN (").append(placeholders(sets.size())).append(")");
    StringJoiner keep = new StringJoiner(", ");
    for (ChildKeys k : sets) {
      for (String kk : k.keepKeys()) {
        keep.add("(CAST(? AS VARCHAR), CAST(? AS VARCHAR))");
        params.add(k.parentId());
        params.add(kk);
      }
    }
    if (keep.length() > 0) {
      sql.append(" AND NOT EXISTS (SELECT 1 FROM (VALUES ").append(keep)
          .append(") AS k(\"P\", \"K\") WHERE k.\"P\" = t.").append(parent)
          .append(" AND k.\"K\" = t.").append(key).append(")");
    }
    List<ChildKeys> versioned = new ArrayList<>();
    for (ChildKeys k : sets) {
      if (k.callVersion() > 0) {
        versioned.add(k);
      }
    }
    if (!versioned.isEmpty()) {
      StringJoiner rows = new StringJoiner(", ");
      for (int i = 0; i < versioned.size(); i++) {
        rows.add("(CAST(? AS VARCHAR), CAST(? AS BIGINT))");
      }
      String versions = "(VALUES " + rows + ") AS c(\"P\", \"V\")";
      List<Object> versionParams = new ArrayList<>();
      for (ChildKeys k : versioned) {
        versionParams.add(k.parentId());
        versionParams.add(k.callVersion());
      }
      sql.append(" AND NOT EXISTS (SELECT 1 FROM ").append(versions).append(" JOIN ")
          .append(qualified(WarehouseTable.STG_CALLS.schema(), WarehouseTable.STG_CALLS.table()))
          .append(" AS v ON v.\"CALL_ID\" = c.\"P\" AND v.\"CALL_VERSION\" > c.\"V\"")
          .append(" WHERE c.\"P\" = t.").append(parent).append(")");
      params.addAll(versionParams);
      String version = spec.versionColumn();
      if (version != null && !spec.table().equals(WarehouseTable.STG_CALLS.table())) {
        // As the one-call statement: a row of a newer version is never deleted, nor anything of
        // a call once a newer version has landed some of its rows here (sql 120).
        String ver = quote(version);
        sql.append(" AND (t.").append(ver).append(" IS NULL OR NOT EXISTS (SELECT 1 FROM ")
            .append(versions).append(" WHERE c.\"P\" = t.").append(parent).append(" AND t.")
            .append(ver).append(" > c.\"V\"))");
        params.addAll(versionParams);
        sql.append(" AND NOT EXISTS (SELECT 1 FROM ").append(versions).append(" JOIN ")
            .append(table).append(" AS n ON n.").append(parent).append(" = c.\"P\" AND n.")
            .append(ver).append(" > c.\"V\" WHERE c.\"P\" = t.").append(parent).append(")");
        params.addAll(versionParams);
      }
    }
    return new BoundSql(sql.toString(), params);
  }

  /** Key and PAYLOAD_HASH of the given keys of a RAW table. */
  default BoundSql payloadHashes(TableSpec rawTable, Collection<String> keys) {
    String key = quote(rawTable.keyColumns().get(0));
    String sql = "SELECT " + key + ", \"PAYLOAD_HASH\" FROM "
        + qualified(rawTable.schema(), rawTable.table())
        + " WHERE " + key + " IN (" + placeholders(keys.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(keys));
  }

  // ---- value binding and reading ----

  /**
   * Prepares {@code sql} and binds its parameters: null, String, Long, Double and Boolean the same
   * way on every database, anything else by {@link #bindOther}.
   */
  default PreparedStatement prepare(Connection conn, BoundSql sql) throws SQLException {
    PreparedStatement ps = conn.prepareStatement(sql.sql());
    try {
      int i = 1;
      for (Object p : sql.params()) {
        if (p == null) {
          ps.setNull(i, Types.VARCHAR);
        } else if (p instanceof String s) {
          ps.setString(i, s);
        } else if (p instanceof Long n) {
          ps.setLong(i, n);
        } else if (p instanceof Double v) {
          ps.setDouble(i, v);
        } else if (p instanceof Boolean b) {
          ps.setBoolean(i, b);
        } else {
          bindOther(ps, i, p);
        }
        i++;
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  /** Binds a parameter that is not null, String, Long, Double or Boolean (Integer, Float, Instant). */
  void bindOther(PreparedStatement ps, int i, Object p) throws SQLException;

  /**
   * Executes a conditional statement that "returns one row when it wrote and none otherwise"
   * (the MERGEs above with {@link #returningSuffix}, or an update count): true when it wrote.
   */
  boolean wrote(PreparedStatement ps) throws SQLException;

  /** First keywords of the read-only statements {@code query()} accepts. */
  Set<String> readVerbs();

  /**
   * Column {@code i} of the current row as {@code query()} returns it: TIMESTAMPs as {@link
   * java.time.Instant} (UTC), whole numbers as Long, vectors as {@code float[]}, JSON as text.
   */
  @Nullable Object readValue(ResultSet rs, int i, ResultSetMetaData md) throws SQLException;

  /** The stored EMBEDDING in column {@code column} of a {@link #storedChunks} row. */
  float @Nullable [] readEmbedding(ResultSet rs, int column) throws SQLException;

  // ---- text helpers ----

  /** The names, each quoted and prefixed, joined by {@code sep}. */
  default String join(List<String> names, String prefix, String sep) {
    StringJoiner j = new StringJoiner(sep);
    for (String n : names) {
      j.add(prefix + quote(n));
    }
    return j.toString();
  }

  /** {@code ?, ?, ...}: n bind markers. */
  static String placeholders(int n) {
    StringJoiner j = new StringJoiner(", ");
    for (int i = 0; i < n; i++) {
      j.add("?");
    }
    return j.toString();
  }
}
