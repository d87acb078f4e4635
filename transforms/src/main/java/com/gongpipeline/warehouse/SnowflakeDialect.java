package com.gongpipeline.warehouse;

import static com.gongpipeline.warehouse.SqlDialect.placeholders;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
          "sql/snowflake/050_sync_lease.sql",
          "sql/snowflake/060_migrations.sql",
          "sql/snowflake/070_gong_api_usage.sql",
          "sql/snowflake/080_call_fetch_schedule.sql",
          "sql/snowflake/090_retry_queue.sql",
          "sql/snowflake/100_call_lifecycle.sql",
          "sql/snowflake/110_conversation_intelligence.sql",
          "sql/snowflake/120_child_call_version.sql",
          "sql/snowflake/130_risk_indicators.sql",
          "sql/snowflake/140_call_summaries.sql",
          "sql/snowflake/150_call_risk_signals.sql");

  private static final String SEQ = "__GP_SEQ";
  private static final Pattern VECTOR = Pattern.compile("VECTOR\\(\\s*FLOAT\\s*,\\s*(\\d+)\\s*\\)");
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  @Override
  public List<String> schemaScripts() {
    return SCHEMA_SCRIPTS;
  }

  @Override
  public String epochMicrosOf(String expr) {
    return "DATE_PART(EPOCH_MICROSECOND, " + expr + ")";
  }

  @Override
  public String timestampParam() {
    return "?::TIMESTAMP_NTZ";
  }

  /** Bound as UTC text ({@link #timestampText(long)}). */
  @Override
  public Object bindMicros(long epochMicros) {
    return timestampText(epochMicros);
  }

  /** A Snowflake MERGE reports an update count (1 when it wrote, 0 otherwise), no rows. */
  @Override
  public String rowNumberFunction() {
    return "ROW_NUMBER()";
  }

  @Override
  public String returningSuffix() {
    return "";
  }

  /** {@code SCHEMA.NAME} → {@code "SCHEMA"."NAME"}; a bare name is quoted as is. */
  @Override
  public String stagingRef(String stagingName) {
    int dot = stagingName.indexOf('.');
    return dot < 0 ? quote(stagingName)
        : qualified(stagingName.substring(0, dot), stagingName.substring(dot + 1));
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

  /** {@code SCHEMA.GP_CHECK_TABLE_n}: in the target's schema, like the job's staging tables. */
  @Override
  public String probeStagingName(TableSpec spec, long id) {
    return spec.schema() + ".GP_CHECK_" + spec.table() + "_" + id;
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
    return "CREATE TEMPORARY TABLE " + stagingRef(stagingName) + " (" + cols + ")";
  }

  /** The batch INSERT into a staging table: one {@code ?} per column plus the sequence. */
  String insertStaging(String stagingName, List<Column> columns) {
    StringJoiner names = new StringJoiner(", ");
    for (Column c : columns) {
      names.add(quote(c.name()));
    }
    names.add(quote(SEQ));
    return "INSERT INTO " + stagingRef(stagingName) + " (" + names + ") VALUES ("
        + placeholders(columns.size() + 1) + ")";
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
    return "SELECT " + sel + " FROM " + stagingRef(stagingName);
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
    // Calls Gong no longer lists (private or deleted) are never returned.
    sql.append(" AND m.\"EMBEDDING\" IS NOT NULL AND c.\"IS_DELETED\" IS NOT TRUE\n) h\n");
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

  /**
   * An operator must act: authentication failed (SQLSTATE {@code 28xxx}; Snowflake's 390100
   * incorrect user or password, 390144 invalid JWT, 390318 expired token), the driver does not
   * know the URL, or an object (database, schema, warehouse) does not exist or is not authorized
   * (error 2003, 2043).
   */
  @Override
  public boolean isFatalConfig(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        int code = s.getErrorCode();
        if ((state != null && state.startsWith("28")) || code == 390100 || code == 390144
            || code == 390318 || code == 2003 || code == 2043
            || (s.getMessage() != null && s.getMessage().contains("No suitable driver"))) {
          return true;
        }
      }
    }
    return false;
  }

  // ---- value binding and reading ----

  private static final Set<String> READ_VERBS =
      Set.of("SELECT", "WITH", "VALUES", "DESCRIBE", "DESC", "SHOW", "EXPLAIN", "(");

  /** Integers as NUMBER, floats as FLOAT, instants as UTC text ({@link #timestampText}). */
  @Override
  public void bindOther(PreparedStatement ps, int i, Object p) throws SQLException {
    if (p instanceof Integer n) {
      ps.setLong(i, n);
    } else if (p instanceof Float f) {
      ps.setDouble(i, f);
    } else if (p instanceof Instant t) {
      ps.setString(i, timestampText(t));
    } else {
      throw new IllegalArgumentException("Unsupported parameter type " + p.getClass());
    }
  }

  /** Snowflake's conditional statements report an update count. */
  @Override
  public boolean wrote(PreparedStatement ps) throws SQLException {
    return ps.executeUpdate() > 0;
  }

  @Override
  public Set<String> readVerbs() {
    return READ_VERBS;
  }

  /** See {@link SnowflakeValues#read}. */
  @Override
  public @Nullable Object readValue(ResultSet rs, int i, ResultSetMetaData md)
      throws SQLException {
    return SnowflakeValues.read(rs, i, md);
  }

  @Override
  public float @Nullable [] readEmbedding(ResultSet rs, int column) throws SQLException {
    return SnowflakeValues.floats(rs.getString(column));
  }

  /** JDBC cannot fetch VECTOR: vectors are read as JSON array text. */
  @Override
  public String selectEmbedding(String column) {
    return column + "::ARRAY";
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
  @Override
  public String stagingSelect(Column c) {
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
    return timestampText(EpochMicros.toInstant(epochMicros));
  }

}
