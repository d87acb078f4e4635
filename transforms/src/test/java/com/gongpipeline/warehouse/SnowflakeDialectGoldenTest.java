package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.golden.GoldenSql;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every statement {@link SnowflakeDialect} produces, compared exactly with the golden files in
 * {@code src/test/resources/golden/snowflake/} (regenerate: see {@link GoldenSql}). The merge of
 * every table is generated from the columns the Snowflake DDL declares, so a DDL change shows up
 * here as a golden diff.
 */
class SnowflakeDialectGoldenTest {
  private final SnowflakeDialect dialect = new SnowflakeDialect();
  private final DdlTables ddl = DdlTables.fromResources(SnowflakeDialect.SCHEMA_SCRIPTS);
  private final GoldenSql golden = new GoldenSql("snowflake");

  /** name → rendered statement, for every statement shape the warehouse sends. */
  private Map<String, String> statements() {
    Map<String, String> out = new LinkedHashMap<>();
    for (WarehouseTable t : WarehouseTable.values()) {
      TableSpec spec = TableSpec.of(t);
      String stage = SnowflakeDialect.stagingName(spec, 1);
      out.put("merge_" + t.name().toLowerCase(), text(dialect.merge(spec, ddl.columns(spec), stage)));
    }
    TableSpec jobs = TableSpec.JOB_LOGS;
    out.put("merge_job_logs", text(dialect.merge(jobs, ddl.columns(jobs),
        SnowflakeDialect.stagingName(jobs, 1))));
    out.put("select_job_by_key", text(dialect.selectByKey(jobs, ddl.columns(jobs))));

    TableSpec memory = TableSpec.of(WarehouseTable.MEMORY_RECORDS);
    String stage = SnowflakeDialect.stagingName(memory, 7);
    out.put("staging_create_memory_records",
        text(dialect.createStagingTable(stage, ddl.columns(memory))));
    out.put("staging_insert_memory_records", text(dialect.insertStaging(stage, ddl.columns(memory))));
    out.put("staging_drop", text(dialect.dropStagingTable(stage)));
    out.put("staging_invalid_json", text(dialect.invalidJsonQuery(stage,
        ddl.columns(memory).stream().filter(SnowflakeDialect::isVariant).toList())));

    out.put("delete_where", bound(dialect.deleteWhere(memory, "SOURCE_ID",
        List.of("c1", "x'); DROP TABLE y; --"))));
    out.put("delete_children_not_staged", bound(dialect.deleteChildrenNotStaged(
        TableSpec.of(WarehouseTable.STG_PARTICIPANTS), "CALL_ID",
        SnowflakeDialect.stagingName(TableSpec.of(WarehouseTable.STG_PARTICIPANTS), 3),
        List.of("c1", "c'2"))));
    out.put("delete_stale_children", bound(dialect.deleteStaleChildren(
        TableSpec.of(WarehouseTable.STG_TRANSCRIPTS), "CALL_ID", "c1", "TRANSCRIPT_ID",
        List.of("c1:0", "c1:1"))));
    out.put("delete_stale_children_all", bound(dialect.deleteStaleChildren(
        TableSpec.of(WarehouseTable.STG_TRANSCRIPTS), "CALL_ID", "c1", "TRANSCRIPT_ID", List.of())));

    out.put("lookup_stored_chunks", bound(dialect.storedChunks(List.of("c1", "c2"))));
    out.put("lookup_stored_turns", bound(dialect.storedTurns(List.of("c1"))));
    out.put("lookup_stored_summaries", bound(dialect.storedSummaries(List.of("c1", "c2"))));
    out.put("call_vectors", bound(dialect.callVectors()));
    out.put("lookup_payload_hashes", bound(dialect.payloadHashes(
        TableSpec.of(WarehouseTable.RAW_CALLS), List.of("c1", "c2"))));

    SearchQuery full = SearchQuery.builder(new float[] {0.5f, -1.0e-5f}, "e5-base-v2").k(3)
        .account("Acme").since(Instant.parse("2024-01-01T00:00:00Z")).affiliation("External")
        .build();
    out.put("search_all_filters", bound(dialect.search(full)));
    out.put("search_plain", bound(dialect.search(SearchQuery.builder(new float[] {1f}, "m").build())));
    out.put("embedding_models", text(dialect.embeddingModelsQuery()));

    long t1 = 1_704_067_200_000_000L; // 2024-01-01T00:00:00Z
    long t2 = t1 + 1_800_000_123L;
    out.put("sync_select_mark", bound(dialect.selectHighWaterMark("gong_calls")));
    out.put("sync_advance_mark", bound(dialect.advanceHighWaterMark("gong_calls", t1, t2, "job-1")));
    out.put("lease_acquire", bound(dialect.acquireLease("gong_calls", "job-1", t1, t2)));
    out.put("lease_renew", bound(dialect.renewLease("gong_calls", "job-1", t1, t2)));
    out.put("lease_release", bound(dialect.releaseLease("gong_calls", "job-1")));
    out.put("lease_select", bound(dialect.selectLease("gong_calls")));
    out.put("gong_usage_add", bound(dialect.addGongUsage("2024-01-01", "job-1",
        "POST /v2/calls/extensive", -3, t2)));
    out.put("gong_usage_reserve", bound(dialect.reserveGongUsage("2024-01-01", "job-1",
        "GET /v2/calls", 20, 8000, t2)));
    out.put("gong_usage_total", bound(dialect.selectGongUsageTotal("2024-01-01")));

    StringBuilder landing = new StringBuilder();
    for (BoundSql sql : SnowflakeRawLanding.mergeStatements("load-1", 1)) {
      landing.append(bound(sql)).append(";\n");
    }
    out.put("raw_landing_merge", landing.toString());

    out.put("catalog_columns", text(dialect.columnsQuery()));
    out.put("catalog_tables", text(dialect.tablesQuery(4)));
    out.put("count", text(dialect.countQuery("RAW", "GONG_CALLS_RAW")));
    return out;
  }

  @Test
  void everyStatementMatchesItsGoldenFile() {
    statements().forEach(golden::check);
  }

  @Test
  void noGoldenFileIsLeftOver() {
    Set<String> produced = new TreeSet<>(statements().keySet());
    List<String> stale = new ArrayList<>();
    for (String name : golden.names()) {
      if (!name.startsWith("cortex_") && !produced.contains(name)) {
        stale.add(name);
      }
    }
    assertThat("golden files no statement produces", stale, is(empty()));
  }

  @Test
  void valuesAreBoundNeverSpliced() {
    BoundSql delete = dialect.deleteWhere(TableSpec.of(WarehouseTable.MEMORY_RECORDS), "SOURCE_ID",
        List.of("x'); DROP TABLE y; --"));
    assertThat(delete.params(), contains("x'); DROP TABLE y; --"));
    assertThat(delete.sql().contains("DROP"), is(false));
    BoundSql search = dialect.search(SearchQuery.builder(new float[] {1f}, "m' OR 1=1 --")
        .account("a' --").build());
    assertThat(search.sql().contains("OR 1=1"), is(false));
    assertThat(search.params(), contains("[1.0]", "m' OR 1=1 --", 1L, "a' --"));
  }

  @Test
  void timestampsTravelAsUtcTextWithMicroseconds() {
    assertThat(SnowflakeDialect.timestampText(Instant.parse("2024-03-05T06:07:08.123456789Z")),
        is("2024-03-05 06:07:08.123456"));
    assertThat(SnowflakeDialect.timestampText(-1L), is("1969-12-31 23:59:59.999999"));
  }

  @Test
  void vectorsTravelAsJsonArraysAndRefuseNonFiniteValues() {
    assertThat(SnowflakeDialect.vectorJson(new float[] {Float.MIN_VALUE, -0.1f, 1.0e-7f}),
        is("[1.4E-45,-0.1,1.0E-7]"));
    try {
      SnowflakeDialect.vectorJson(new float[] {Float.NaN});
      throw new AssertionError("NaN accepted");
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage(), is("vector element 0 is NaN"));
    }
  }

  @Test
  void stagingTypesCarryVariantsAndVectorsAsText() {
    assertThat(SnowflakeDialect.stagingType(new Column("P", "VARIANT", true)), is("VARCHAR"));
    assertThat(SnowflakeDialect.stagingType(new Column("E", "VECTOR(FLOAT, 768)", true)),
        is("VARCHAR"));
    assertThat(SnowflakeDialect.stagingType(new Column("T", "TIMESTAMP_NTZ", true)),
        is("TIMESTAMP_NTZ"));
    assertThat(SnowflakeDialect.vectorDimension(new Column("E", "VECTOR(FLOAT, 768)", true)),
        is(768));
    assertThat(SnowflakeDialect.vectorDimension(new Column("E", "VARCHAR", true)), is(-1));
  }

  @Test
  void retriesConnectionFailuresAndLockQueueOverflowOnly() {
    assertThat(dialect.isRetryable(new SQLTransientConnectionException("reset", "08006")), is(true));
    assertThat(dialect.isRetryable(new SQLException("too many waiters", "57014", 625)), is(true));
    assertThat(dialect.isRetryable(new SQLException("SQL compilation error", "42000", 1003)),
        is(false));
    assertThat(dialect.isRetryable(new SQLException("timeout", "57014", 630)), is(false));
  }

  private static String text(String sql) {
    return GoldenSql.render(sql, List.of());
  }

  private static String bound(BoundSql sql) {
    return GoldenSql.render(sql.sql(), sql.params());
  }
}
