package com.gongpipeline.warehouse;

import static com.gongpipeline.warehouse.SqlDialect.placeholders;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
          "sql/duckdb/050_sync_lease.sql",
          "sql/duckdb/060_migrations.sql",
          "sql/duckdb/070_gong_api_usage.sql",
          "sql/duckdb/080_call_fetch_schedule.sql",
          "sql/duckdb/090_retry_queue.sql",
          "sql/duckdb/100_call_lifecycle.sql",
          "sql/duckdb/110_conversation_intelligence.sql",
          "sql/duckdb/120_child_call_version.sql",
          "sql/duckdb/130_risk_indicators.sql",
          "sql/duckdb/140_call_summaries.sql",
          "sql/duckdb/150_call_risk_signals.sql",
          "sql/duckdb/160_lookup_indexes.sql");

  private static final String SEQ = "__GP_SEQ";

  @Override
  public List<String> schemaScripts() {
    return SCHEMA_SCRIPTS;
  }

  @Override
  public String epochMicrosOf(String expr) {
    return "epoch_us(" + expr + ")";
  }

  @Override
  public String timestampParam() {
    return "make_timestamp(?)";
  }

  /** Bound as epoch microseconds, the argument of {@code make_timestamp}. */
  @Override
  public Object bindMicros(long epochMicros) {
    return epochMicros;
  }

  /** DuckDB's MERGE reports what it did through {@code RETURNING merge_action}. */
  @Override
  public String rowNumberFunction() {
    return "row_number()";
  }

  @Override
  public String returningSuffix() {
    return "\nRETURNING merge_action";
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
  public String invalidJsonQuery(String stagingName, List<Column> jsonColumns) {
    StringJoiner sel = new StringJoiner(", ");
    for (Column c : jsonColumns) {
      sel.add("min(CASE WHEN NOT json_valid(" + quote(c.name()) + ") THEN " + quote(SEQ) + " END)");
    }
    return "SELECT " + sel + " FROM " + quote(stagingName);
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
    // Calls Gong no longer lists (private or deleted) are never returned.
    sql.append(" AND len(m.\"EMBEDDING\") = ? AND c.\"IS_DELETED\" IS NOT TRUE\n) h\n");
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
      params.add(EpochMicros.of(q.since()));
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
  public BoundSql storedChunks(Collection<String> callIds) {
    String sql = "SELECT \"MEMORY_ID\", \"SOURCE_ID\", \"CONTENT_HASH\", \"EMBEDDING_MODEL\","
        + " \"EMBEDDING\", \"SENTIMENT_SCORE\", \"SENTIMENT_MODEL\""
        + " FROM " + qualified(WarehouseTable.MEMORY_RECORDS.schema(),
            WarehouseTable.MEMORY_RECORDS.table())
        + " WHERE \"SOURCE_ID\" IN (" + placeholders(callIds.size()) + ")";
    return new BoundSql(sql, new ArrayList<>(callIds));
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

  /**
   * An operator must act: the file is unreadable or not a database ("IO Error"), or the schema is
   * missing ("Catalog Error": a table that does not exist, so {@code applySchema()} never ran).
   */
  @Override
  public boolean isFatalConfig(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.startsWith("IO Error") || m.startsWith("Catalog Error")
          || m.contains("No suitable driver"))) {
        return true;
      }
    }
    return false;
  }

  // ---- value binding and reading ----

  private static final Set<String> READ_VERBS = Set.of("SELECT", "WITH", "FROM", "VALUES", "TABLE",
      "DESCRIBE", "SHOW", "SUMMARIZE", "EXPLAIN", "PIVOT", "UNPIVOT", "(");

  @Override
  public void bindOther(PreparedStatement ps, int i, Object p) throws SQLException {
    if (p instanceof Integer n) {
      ps.setInt(i, n);
    } else if (p instanceof Float f) {
      ps.setFloat(i, f);
    } else if (p instanceof Instant t) {
      ps.setObject(i, LocalDateTime.ofInstant(t, ZoneOffset.UTC)); // a UTC TIMESTAMP
    } else {
      throw new IllegalArgumentException("Unsupported parameter type " + p.getClass());
    }
  }

  /** DuckDB's conditional statements end in RETURNING: a row when they wrote. */
  @Override
  public boolean wrote(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  @Override
  public Set<String> readVerbs() {
    return READ_VERBS;
  }

  /**
   * TIMESTAMP values come back as {@link Instant} (UTC), TIMESTAMPTZ as Instant, FLOAT[] as {@code
   * float[]}, other lists as {@code List}, JSON as its text.
   */
  @Override
  public @Nullable Object readValue(ResultSet rs, int i, ResultSetMetaData md)
      throws SQLException {
    String type = md.getColumnTypeName(i);
    Object v = rs.getObject(i);
    if (v == null) {
      return null;
    }
    if ("TIMESTAMP".equals(type)) {
      return rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
    if (type.startsWith("TIMESTAMP WITH TIME ZONE")) {
      return rs.getObject(i, OffsetDateTime.class).toInstant();
    }
    if (v instanceof Array a) {
      return type.startsWith("FLOAT[") ? floats(a) : Arrays.asList((Object[]) a.getArray());
    }
    if ("JSON".equals(type)) {
      return v.toString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }

  @Override
  public float @Nullable [] readEmbedding(ResultSet rs, int column) throws SQLException {
    return floats(rs.getArray(column));
  }

  private static float @Nullable [] floats(@Nullable Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    Object[] boxed = (Object[]) array.getArray();
    float[] f = new float[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      f[i] = ((Number) boxed[i]).floatValue();
    }
    return f;
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

}
