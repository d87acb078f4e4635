package com.gongpipeline.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RAW bulk-load path on Snowflake: RAW rows become CSV rows of {@code RAW.GONG_RAW_LANDING}
 * ({@code sql/snowflake/bulk/200_raw_landing.sql}), which SnowflakeIO COPYs in from the staging
 * bucket; then, per RAW table, the load's rows are copied into a TEMPORARY staging table and
 * merged with exactly the MERGE the JDBC writer uses ({@link SnowflakeDialect#merge}: de-duplicated
 * by key, latest ingest wins, unchanged rows untouched), and finally deleted from the landing table.
 * Each load is identified by a load id, so concurrent loads never merge each other's rows.
 */
public final class SnowflakeRawLanding {
  private static final Logger LOG = LoggerFactory.getLogger(SnowflakeRawLanding.class);

  /** The landing table, in schema RAW. */
  public static final String TABLE = "GONG_RAW_LANDING";
  public static final String SCHEMA = "RAW";
  /** Its DDL (idempotent), run by the bulk path before each COPY. */
  public static final String DDL_RESOURCE = "sql/snowflake/bulk/200_raw_landing.sql";
  /** The RAW tables a load can target. */
  public static final List<WarehouseTable> TARGETS = List.of(WarehouseTable.RAW_CALLS,
      WarehouseTable.RAW_TRANSCRIPTS, WarehouseTable.RAW_USERS, WarehouseTable.RAW_WORKSPACES);

  private static final AtomicLong STAGING_IDS = new AtomicLong();
  private static final SnowflakeDialect DIALECT = new SnowflakeDialect();

  private SnowflakeRawLanding() {}

  /**
   * One CSV row of the landing table for a RAW row, in column order: TARGET_TABLE, RECORD_KEY,
   * CALL_STARTED_AT, PAYLOAD, PAYLOAD_HASH, JOB_ID, INGESTED_AT, LOAD_ID (timestamps as UTC text).
   *
   * @throws IllegalArgumentException for a row of a non-RAW table or without payload
   */
  public static Object[] csvRow(WarehouseRow row, String loadId) {
    WarehouseTable t = row.table();
    if (!TARGETS.contains(t)) {
      throw new IllegalArgumentException(row + " is not a RAW row");
    }
    Object payload = row.get("PAYLOAD");
    String text = payload instanceof WarehouseRow.Json j ? j.text()
        : payload instanceof String s ? s : null;
    if (text == null) {
      throw new IllegalArgumentException(row + " has no PAYLOAD");
    }
    return new Object[] {t.table(), row.get(t.keyColumns().get(0)),
        timestamp(row.get("CALL_STARTED_AT")), text, row.get("PAYLOAD_HASH"), row.get("JOB_ID"),
        timestamp(row.get("INGESTED_AT")), loadId};
  }

  /** The statements that merge one load, in order, with their binds. */
  static List<BoundSql> mergeStatements(String loadId, long stagingId) {
    DdlTables ddl = DdlTables.fromResources(SnowflakeDialect.SCHEMA_SCRIPTS);
    List<BoundSql> out = new ArrayList<>();
    for (WarehouseTable t : TARGETS) {
      TableSpec spec = TableSpec.of(t);
      List<Column> columns = ddl.columns(spec);
      String stage = SnowflakeDialect.stagingName(spec, stagingId);
      out.add(new BoundSql(copyToStaging(spec, columns, stage), List.of(t.table(), loadId)));
      out.add(new BoundSql(DIALECT.merge(spec, columns, stage), List.of()));
      out.add(new BoundSql(DIALECT.dropStagingTable(stage), List.of()));
    }
    out.add(new BoundSql("DELETE FROM " + DIALECT.qualified(SCHEMA, TABLE)
        + " WHERE \"LOAD_ID\" = ?", List.of(loadId)));
    return out;
  }

  /**
   * Merges the landing rows of {@code loadId} into the RAW tables and deletes them from the
   * landing table. Each statement commits on its own; re-running after a failure is safe (the
   * MERGEs are idempotent and the landing rows stay until the last step).
   *
   * @return RAW table → rows inserted and updated
   */
  public static Map<String, Long> mergeLoad(Connection conn, String loadId) throws SQLException {
    Map<String, Long> written = new LinkedHashMap<>();
    int i = 0;
    for (BoundSql sql : mergeStatements(loadId, STAGING_IDS.incrementAndGet())) {
      if (sql.sql().startsWith("MERGE")) {
        long[] counts = SnowflakeRowWriter.runMerge(conn, sql.sql());
        written.put(TARGETS.get(i++).qualifiedName(), counts[0] + counts[1]);
        continue;
      }
      try (PreparedStatement ps = conn.prepareStatement(sql.sql())) {
        int p = 1;
        for (Object v : sql.params()) {
          ps.setString(p++, (String) v);
        }
        ps.execute();
      }
    }
    LOG.info("RAW bulk load {} merged: {}", loadId, written);
    return written;
  }

  /** Runs the landing table's DDL (idempotent). */
  public static void createLandingTable(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement()) {
      for (String sql : SnowflakeWarehouse.statements(DdlTables.resource(DDL_RESOURCE))) {
        st.execute(sql);
      }
    }
  }

  private static String copyToStaging(TableSpec spec, List<Column> columns, String stage) {
    StringJoiner select = new StringJoiner(", ");
    String key = spec.keyColumns().get(0);
    for (Column c : columns) {
      String from = c.name().equals(key) ? "RECORD_KEY" : c.name();
      select.add(DIALECT.quote(from) + " AS " + DIALECT.quote(c.name()));
    }
    select.add("ROW_NUMBER() OVER (ORDER BY \"INGESTED_AT\", \"RECORD_KEY\") AS "
        + DIALECT.quote(DIALECT.sequenceColumn()));
    return "CREATE TEMPORARY TABLE " + DIALECT.qualified(spec.schema(), stage.substring(
        stage.indexOf('.') + 1)) + " AS SELECT " + select + " FROM "
        + DIALECT.qualified(SCHEMA, TABLE) + " WHERE \"TARGET_TABLE\" = ? AND \"LOAD_ID\" = ?";
  }

  private static @Nullable String timestamp(@Nullable Object v) {
    return v instanceof Instant i ? SnowflakeDialect.timestampText(i) : null;
  }
}
