package com.gongpipeline.warehouse;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SQL text for Snowflake: pure functions from table specs and values to SQL text plus ordered
 * binds, golden-tested without a server ({@code src/test/resources/golden/snowflake/}).
 *
 * <p>What differs from {@link DuckDbDialect}, and why:
 *
 * <ul>
 *   <li>The JDBC driver can array-bind only {@code INSERT ... VALUES (?, ...)}, cannot bind or
 *       fetch {@code VECTOR}, and {@code PARSE_JSON} is not allowed in {@code VALUES}. So a
 *       staging table has the target's columns with VARIANT and VECTOR columns as VARCHAR (JSON
 *       text), the rows are batch-INSERTed into it, and the one MERGE converts: {@code
 *       PARSE_JSON(x)} for VARIANT, {@code PARSE_JSON(x)::ARRAY::VECTOR(FLOAT, n)} for vectors.
 *       Reads fetch {@code EMBEDDING::ARRAY} (JSON text).
 *   <li>Staging tables are {@code TEMPORARY} (private to the session, dropped with it) and live in
 *       the target's schema, because a session has no current schema by default: staging names
 *       are {@code SCHEMA.NAME}.
 *   <li>MERGE reports counts (a result set with {@code number of rows inserted}/{@code updated})
 *       instead of {@code RETURNING merge_action}; the conditional MERGE/UPDATE statements of
 *       marks and leases report through their update count (1 when they wrote, 0 otherwise).
 *   <li>Timestamps are bound as UTC text ({@code 2024-01-01 10:00:00.123456}) into {@code
 *       TIMESTAMP_NTZ}, and read back as {@code DATE_PART(EPOCH_MICROSECOND, x)}: no JDBC
 *       time-zone conversion either way.
 * </ul>
 *
 * <p>The SQL stays within what a Snowflake-to-DuckDB translator can map: standard MERGE, QUALIFY,
 * PARSE_JSON, {@code ::} casts, GET_PATH, TIMESTAMP_NTZ, NUMBER, VARCHAR, BOOLEAN, FLOAT,
 * CURRENT_TIMESTAMP(); no scripting blocks, no stored procedures.
 */
final class SnowflakeDialect implements SqlDialect {

  /** The DDL the pipeline applies, in order (admin scripts under admin/ are run by hand). */
  static final List<String> SCHEMA_SCRIPTS =
      List.of(
          "sql/snowflake/001_schemas.sql",
          "sql/snowflake/010_raw.sql",
          "sql/snowflake/020_stg.sql",
          "sql/snowflake/030_ai_memory.sql",
          "sql/snowflake/040_ops.sql",
          "sql/snowflake/050_sync_lease.sql");

  private static final String SEQ = "__GP_SEQ";
  private static final Pattern VECTOR = Pattern.compile("VECTOR\\(\\s*FLOAT\\s*,\\s*(\\d+)\\s*\\)");
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  @Override
  public List<String> schemaScripts() {
    return SCHEMA_SCRIPTS;
  }

  @Override
  public String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** Used by the integration test to check the live tables against the DDL. */
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
    return "SELECT COUNT(*) FROM " + qualified(schema, table);
  }

  @Override
  public String sequenceColumn() {
    return SEQ;
  }

  /** {@code SCHEMA.GP_STAGE_TABLE_n}: a staging table name in the target's schema. */
  static String stagingName(TableSpec spec, long id) {
    return spec.schema() + ".GP_STAGE_" + spec.table() + "_" + id;
  }

  /**
   * A TEMPORARY table with the target's columns (VARIANT and VECTOR as VARCHAR: they travel as
   * JSON text) plus the arrival sequence.
   */
  @Override
  public String createStagingTable(String stagingName, List<Column> columns) {
    StringJoiner cols = new StringJoiner(", ");
    for (Column c : columns) {
      cols.add(quote(c.name()) + " " + stagingType(c));
    }
    cols.add(quote(SEQ) + " NUMBER(38,0)");
    return "CREATE TEMPORARY TABLE " + ref(stagingName) + " (" + cols + ")";
  }

  /** The batch INSERT into a staging table: one {@code ?} per column plus the sequence. */
  String insertStaging(String stagingName, List<Column> columns) {
    StringJoiner names = new StringJoiner(", ");
    for (Column c : columns) {
      names.add(quote(c.name()));
    }
    names.add(quote(SEQ));
    return "INSERT INTO " + ref(stagingName) + " (" + names + ") VALUES ("
        + placeholders(columns.size() + 1) + ")";
  }

  @Override
  public String dropStagingTable(String stagingName) {
    return "DROP TABLE IF EXISTS " + ref(stagingName);
  }

  /**
   * For each VARIANT column, the smallest sequence number whose text does not parse as JSON. The
   * Snowflake writer checks JSON in Java before binding (no extra round trip), so this is for
   * ad-hoc checks of a staging table.
   */
  @Override
  public String invalidJsonQuery(String stagingName, List<Column> jsonColumns) {
    StringJoiner sel = new StringJoiner(", ");
    for (Column c : jsonColumns) {
      String q = quote(c.name());
      sel.add("MIN(CASE WHEN " + q + " IS NOT NULL AND TRY_PARSE_JSON(" + q + ") IS NULL THEN "
          + quote(SEQ) + " END)");
    }
    return "SELECT " + sel + " FROM " + ref(stagingName);
  }

  @Override
  public String merge(TableSpec spec, List<Column> columns, String stagingName) {
    List<String> all = new ArrayList<>();
    List<String> nonKey = new ArrayList<>();
    List<String> compared = new ArrayList<>();
    StringJoiner select = new StringJoiner(", ");
    for (Column c : columns) {
      all.add(c.name());
      select.add(fromStaging(c));
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
    sql.append("\n  FROM ").append(ref(stagingName));
    sql.append("\n  QUALIFY ROW_NUMBER() OVER (PARTITION BY ").append(join(spec.keyColumns(), "", ", "));
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
    sql.append(") VALUES (").append(join(all, "s.", ", ")).append(")");
    return sql.toString();
  }

  @Override
  public BoundSql deleteWhere(TableSpec spec, String column, Collection<String> values) {
    String sql =
        "DELETE FROM " + qualified(spec.schema(), spec.table())
            + " WHERE " + quote(column) + " IN (" + placeholders(values.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(values));
  }

  /** TIMESTAMP_NTZ columns as epoch microseconds, VARIANT columns as JSON text. */
  @Override
  public String selectByKey(TableSpec spec, List<Column> columns) {
    StringJoiner sel = new StringJoiner(", ");
    for (Column c : columns) {
      String q = quote(c.name());
      if (isTimestamp(c)) {
        sel.add("DATE_PART(EPOCH_MICROSECOND, " + q + ") AS " + q);
      } else if (isVariant(c)) {
        sel.add("TO_JSON(" + q + ") AS " + q);
      } else {
        sel.add(q);
      }
    }
    return "SELECT " + sel + " FROM " + qualified(spec.schema(), spec.table())
        + " WHERE " + quote(spec.keyColumns().get(0)) + " = ?";
  }

  /**
   * Binds, in order: the query vector as JSON array text (cast to the VECTOR type server-side),
   * model, dimension, then account, since (UTC text) and affiliation when set. {@code k} is
   * range-checked by {@link SearchQuery} and written as a number. Only rows of the query's model
   * and dimension are compared; the caller runs it only when the dimension is the column's.
   */
  @Override
  public BoundSql search(SearchQuery q) {
    List<@Nullable Object> params = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    sql.append("SELECT score, MEMORY_ID, CALL_ID, TITLE,");
    sql.append(" DATE_PART(EPOCH_MICROSECOND, STARTED) AS STARTED_US, ACCOUNT,");
    sql.append(" SPEAKER_NAME, AFFILIATION, START_MS, END_MS, CONTENT\nFROM (\n  SELECT\n");
    sql.append("    VECTOR_COSINE_SIMILARITY(m.\"EMBEDDING\", PARSE_JSON(?)::ARRAY::VECTOR(FLOAT, ")
        .append(q.dimension()).append(")) AS score,\n");
    params.add(vectorJson(q.queryVector()));
    sql.append("    m.\"MEMORY_ID\" AS MEMORY_ID,\n");
    sql.append("    m.\"SOURCE_ID\" AS CALL_ID,\n");
    sql.append("    COALESCE(GET_PATH(m.\"METADATA\", 'title')::VARCHAR, c.\"CALL_TITLE\") AS TITLE,\n");
    sql.append("    COALESCE(TRY_TO_TIMESTAMP_NTZ(GET_PATH(m.\"METADATA\", 'started')::VARCHAR),");
    sql.append(" c.\"CALL_DATETIME_UTC\") AS STARTED,\n");
    sql.append("    COALESCE(GET_PATH(m.\"METADATA\", 'account')::VARCHAR,");
    sql.append(" GET_PATH(m.\"METADATA\", 'accountName')::VARCHAR, c.\"ACCOUNT_NAME\") AS ACCOUNT,\n");
    sql.append("    m.\"SPEAKER_NAME\" AS SPEAKER_NAME,\n");
    sql.append("    m.\"AFFILIATION\" AS AFFILIATION,\n");
    sql.append("    m.\"START_MS\" AS START_MS,\n");
    sql.append("    m.\"END_MS\" AS END_MS,\n");
    sql.append("    m.\"CONTENT\" AS CONTENT\n");
    sql.append("  FROM \"AI_MEMORY\".\"MEMORY_RECORDS\" m\n");
    sql.append("  LEFT JOIN \"STG_TRANSFORMED\".\"STG_GONG_CALLS\" c ON c.\"CALL_ID\" = m.\"SOURCE_ID\"\n");
    sql.append("  WHERE m.\"EMBEDDING_MODEL\" = ? AND m.\"EMBEDDING_DIM\" = ?");
    sql.append(" AND m.\"EMBEDDING\" IS NOT NULL\n) h\n");
    params.add(q.embeddingModel());
    params.add((long) q.dimension());
    sql.append("WHERE score IS NOT NULL");
    if (q.account() != null) {
      sql.append("\n  AND LOWER(ACCOUNT) = LOWER(?)");
      params.add(q.account());
    }
    if (q.since() != null) {
      sql.append("\n  AND STARTED >= ?::TIMESTAMP_NTZ");
      params.add(timestampText(q.since()));
    }
    if (q.affiliation() != null) {
      sql.append("\n  AND LOWER(AFFILIATION) = LOWER(?)");
      params.add(q.affiliation());
    }
    sql.append("\nORDER BY score DESC, MEMORY_ID\nLIMIT ").append(q.k());
    return new BoundSql(sql.toString(), params);
  }

  @Override
  public String embeddingModelsQuery() {
    return "SELECT DISTINCT \"EMBEDDING_MODEL\" FROM \"AI_MEMORY\".\"MEMORY_RECORDS\""
        + " WHERE \"EMBEDDING_MODEL\" IS NOT NULL ORDER BY 1";
  }

  /**
   * A {@code 57014} (statement cancelled or timed out) is not retried; connection failures
   * ({@code 08xxx}) and error 625 (too many statements waiting for one table's lock) are.
   */
  @Override
  public boolean isRetryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ((state != null && state.startsWith("08")) || s.getErrorCode() == 625) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public BoundSql selectHighWaterMark(String syncName) {
    return new BoundSql("SELECT DATE_PART(EPOCH_MICROSECOND, \"HIGH_WATER_MARK\") FROM "
        + qualified(TableSpec.SYNC_STATE.schema(), TableSpec.SYNC_STATE.table())
        + " WHERE \"SYNC_NAME\" = ?", List.of(syncName));
  }

  /**
   * A MERGE whose matched branch only fires for a strictly later mark; its update count is 1 when
   * it wrote and 0 otherwise.
   */
  @Override
  public BoundSql advanceHighWaterMark(
      String syncName, long markMicros, long nowMicros, String jobId) {
    String sql = String.join("\n",
        "MERGE INTO " + qualified(TableSpec.SYNC_STATE.schema(), TableSpec.SYNC_STATE.table())
            + " AS t",
        "USING (SELECT ? AS \"SYNC_NAME\", ?::TIMESTAMP_NTZ AS \"HIGH_WATER_MARK\","
            + " ?::TIMESTAMP_NTZ AS \"UPDATED_AT\", ? AS \"JOB_ID\") AS s",
        "ON t.\"SYNC_NAME\" = s.\"SYNC_NAME\"",
        "WHEN MATCHED AND (t.\"HIGH_WATER_MARK\" IS NULL"
            + " OR t.\"HIGH_WATER_MARK\" < s.\"HIGH_WATER_MARK\")",
        "  THEN UPDATE SET \"HIGH_WATER_MARK\" = s.\"HIGH_WATER_MARK\","
            + " \"UPDATED_AT\" = s.\"UPDATED_AT\", \"JOB_ID\" = s.\"JOB_ID\"",
        "WHEN NOT MATCHED",
        "  THEN INSERT (\"SYNC_NAME\", \"HIGH_WATER_MARK\", \"UPDATED_AT\", \"JOB_ID\")"
            + " VALUES (s.\"SYNC_NAME\", s.\"HIGH_WATER_MARK\", s.\"UPDATED_AT\", s.\"JOB_ID\")");
    return new BoundSql(sql,
        List.of(syncName, timestampText(markMicros), timestampText(nowMicros), jobId));
  }

  /**
   * A MERGE that inserts an absent lease and takes over an existing one only when it has expired
   * or is already the caller's; update count 1 when the caller holds the lease afterwards.
   */
  @Override
  public BoundSql acquireLease(String name, String jobId, long nowMicros, long expiresMicros) {
    String sql = String.join("\n",
        "MERGE INTO " + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
            + " AS t",
        "USING (SELECT ? AS \"LEASE_NAME\", ? AS \"OWNER_JOB_ID\", ?::TIMESTAMP_NTZ AS \"NOW_AT\","
            + " ?::TIMESTAMP_NTZ AS \"EXPIRES_AT\") AS s",
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
            + " s.\"EXPIRES_AT\", s.\"NOW_AT\")");
    return new BoundSql(sql,
        List.of(name, jobId, timestampText(nowMicros), timestampText(expiresMicros)));
  }

  @Override
  public BoundSql renewLease(String name, String jobId, long nowMicros, long expiresMicros) {
    return new BoundSql("UPDATE "
        + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
        + " SET \"EXPIRES_AT\" = ?::TIMESTAMP_NTZ, \"HEARTBEAT_AT\" = ?::TIMESTAMP_NTZ"
        + " WHERE \"LEASE_NAME\" = ? AND \"OWNER_JOB_ID\" = ? AND \"EXPIRES_AT\" > ?::TIMESTAMP_NTZ",
        List.of(timestampText(expiresMicros), timestampText(nowMicros), name, jobId,
            timestampText(nowMicros)));
  }

  @Override
  public BoundSql releaseLease(String name, String jobId) {
    return new BoundSql("DELETE FROM "
        + qualified(TableSpec.SYNC_LEASE.schema(), TableSpec.SYNC_LEASE.table())
        + " WHERE \"LEASE_NAME\" = ? AND \"OWNER_JOB_ID\" = ?", List.of(name, jobId));
  }

  @Override
  public BoundSql selectLease(String name) {
    return new BoundSql("SELECT \"LEASE_NAME\", \"OWNER_JOB_ID\","
        + " DATE_PART(EPOCH_MICROSECOND, \"EXPIRES_AT\") FROM "
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
        + " AND NOT EXISTS (SELECT 1 FROM " + ref(stagingName) + " AS s WHERE " + sameKey + ")";
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

  /** The embedding comes back as JSON array text ({@code ::ARRAY}): JDBC cannot fetch VECTOR. */
  @Override
  public BoundSql storedChunks(Collection<String> callIds) {
    String sql = "SELECT \"MEMORY_ID\", \"SOURCE_ID\", \"CONTENT_HASH\", \"EMBEDDING_MODEL\","
        + " \"EMBEDDING\"::ARRAY AS \"EMBEDDING\", \"SENTIMENT_SCORE\", \"SENTIMENT_MODEL\""
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

  // ---- types and values ----

  static boolean isVariant(Column c) {
    return c.type().equals("VARIANT") || c.type().equals("OBJECT") || c.type().equals("ARRAY");
  }

  static boolean isTimestamp(Column c) {
    return c.type().startsWith("TIMESTAMP");
  }

  /** The dimension of a {@code VECTOR(FLOAT, n)} column, or -1 for any other type. */
  static int vectorDimension(Column c) {
    Matcher m = VECTOR.matcher(c.type());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** The staging column type: VARIANT and VECTOR travel as JSON text. */
  static String stagingType(Column c) {
    return isVariant(c) || vectorDimension(c) > 0 ? "VARCHAR" : c.type();
  }

  /** The staging column as the MERGE reads it, converted to the target's type. */
  private String fromStaging(Column c) {
    String q = quote(c.name());
    if (isVariant(c)) {
      return "PARSE_JSON(" + q + ") AS " + q;
    }
    int dim = vectorDimension(c);
    if (dim > 0) {
      return "PARSE_JSON(" + q + ")::ARRAY::VECTOR(FLOAT, " + dim + ") AS " + q;
    }
    return q;
  }

  /** {@code [0.5,-1.0E-5]}: JSON array text; Java's float text round-trips through FLOAT32. */
  static String vectorJson(float[] v) {
    StringBuilder sb = new StringBuilder(v.length * 12).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException("vector element " + i + " is " + v[i]);
      }
      sb.append(Float.toString(v[i]));
    }
    return sb.append(']').toString();
  }

  /** UTC text with microseconds, as TIMESTAMP_NTZ parses it. */
  static String timestampText(Instant t) {
    return LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(TS);
  }

  static String timestampText(long epochMicros) {
    return timestampText(DuckDbValues.fromEpochMicros(epochMicros));
  }

  /** {@code SCHEMA.NAME} → {@code "SCHEMA"."NAME"}; a bare name is quoted as is. */
  private String ref(String stagingName) {
    int dot = stagingName.indexOf('.');
    return dot < 0 ? quote(stagingName)
        : qualified(stagingName.substring(0, dot), stagingName.substring(dot + 1));
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
