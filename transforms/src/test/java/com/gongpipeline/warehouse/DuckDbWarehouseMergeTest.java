package com.gongpipeline.warehouse;

import static com.gongpipeline.warehouse.TestRows.T0;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merge semantics of {@link DuckDbWarehouse} against a real in-memory DuckDB. */
class DuckDbWarehouseMergeTest extends WithSchemaWarehouse {

  @Test
  void openRejectsUnsupportedUrls() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Warehouse.open("jdbc:h2:mem:x"));
    assertThat(e.getMessage(), containsString("Unsupported warehouse URL"));
    assertThat(e.getMessage(), containsString("jdbc:snowflake://"));
  }

  @Test
  void applySchemaIsIdempotentAcrossReopenOfAFile(@TempDir Path dir) {
    String url = "jdbc:duckdb:" + dir.resolve("wh.duckdb");
    try (Warehouse w = Warehouse.open(url)) {
      w.applySchema();
      w.applySchema();
      w.merge(WarehouseTable.STG_CALLS, TestRows.stgCalls(0, 3, "t", "j1"));
    }
    // A new instance of the same file runs the DDL again over existing tables.
    try (Warehouse w = Warehouse.open(url)) {
      w.applySchema();
      assertThat(w.count(WarehouseTable.STG_CALLS), is(3L));
      // 20 tables: the 15 of the first release, OPS_MONITORING.GONG_API_USAGE (the ledger),
      // OPS_MONITORING.RETRY_QUEUE and OPS_MONITORING.CALL_FETCH_SCHEDULE (the polling planner),
      // STG_GONG_CALL_TRACKERS and STG_GONG_CALL_TRACKER_OCCURRENCES (sql 110).
      assertThat(w.tableCounts().size(), is(21));
      assertThat(w.tableCounts().containsKey("OPS_MONITORING.GONG_API_USAGE"), is(true));
    }
    assertThat(Files.exists(dir.resolve("wh.duckdb")), is(true));
  }

  @Test
  void tableCountsCoverEveryTableInThePipelineSchemas() {
    wh.merge(WarehouseTable.STG_CALLS, TestRows.stgCalls(0, 2, "t", "j1"));
    Map<String, Long> counts = wh.tableCounts();
    for (WarehouseTable t : WarehouseTable.values()) {
      assertThat(counts, hasKey(t.qualifiedName()));
    }
    assertThat(counts, allOf(hasEntry("STG_TRANSFORMED.STG_GONG_CALLS", 2L),
        hasEntry("OPS_MONITORING.ETL_JOB_LOGS", 0L), hasEntry("OPS_MONITORING.SYNC_STATE", 0L)));
  }

  @Test
  void remergingTheSameRowsChangesNothing() {
    List<WarehouseRow> rows = TestRows.stgCalls(0, 50, "title ", "job-1");
    assertThat(wh.merge(WarehouseTable.STG_CALLS, rows), is(new MergeResult(50, 0, 0)));
    Map<String, Object> before = TestRows.read(wh, WarehouseTable.STG_CALLS, "c7");

    assertThat(wh.merge(WarehouseTable.STG_CALLS, rows), is(new MergeResult(0, 0, 50)));
    assertThat(wh.count(WarehouseTable.STG_CALLS), is(50L));
    assertThat(TestRows.read(wh, WarehouseTable.STG_CALLS, "c7"), is(before));
  }

  @Test
  void changedValueUpdatesExactlyThatRow() {
    wh.merge(WarehouseTable.STG_CALLS, TestRows.stgCalls(0, 10, "title ", "job-1"));
    List<WarehouseRow> rows = TestRows.stgCalls(0, 10, "title ", "job-2");
    rows.set(3, TestRows.stgCall("c3", "renamed", "job-2"));

    assertThat(wh.merge(WarehouseTable.STG_CALLS, rows), is(new MergeResult(0, 1, 9)));
    Map<String, Object> c3 = TestRows.read(wh, WarehouseTable.STG_CALLS, "c3");
    assertThat(c3.get("CALL_TITLE"), is("renamed"));
    assertThat("an update also refreshes volatile columns", c3.get("JOB_ID"), is("job-2"));
    assertThat(TestRows.read(wh, WarehouseTable.STG_CALLS, "c4").get("JOB_ID"), is("job-1"));
  }

  @Test
  void onlyVolatileColumnsChangedLeavesRowsUntouched() {
    wh.merge(WarehouseTable.STG_CALLS, List.of(TestRows.stgCall("c1", "t", "job-1")));
    WarehouseRow rerun = WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", "c1").set("CALL_TITLE", "t").set("CALL_DATETIME_UTC", T0)
        .set("CALL_DURATION_SECONDS", 1800L).set("IS_PRIVATE", false)
        .set("OPPORTUNITY_AMOUNT", 12500.5).set("PARTICIPANT_COUNT", 3)
        .set("KEY_POINTS", new WarehouseRow.Json("[\"pricing\",\"timeline\"]"))
        .set("JOB_ID", "job-2").set("LOADED_AT", T0.plusSeconds(3600))
        .build();

    assertThat(wh.merge(WarehouseTable.STG_CALLS, List.of(rerun)), is(new MergeResult(0, 0, 1)));
    Map<String, Object> row = TestRows.read(wh, WarehouseTable.STG_CALLS, "c1");
    assertThat(row.get("JOB_ID"), is("job-1"));
    assertThat(row.get("LOADED_AT"), is(LocalDateTime.ofInstant(T0, ZoneOffset.UTC)));
  }

  @Test
  void duplicateKeysInOneBatchLastOneWins() {
    List<WarehouseRow> rows = List.of(
        TestRows.stgCall("c1", "first", "j"),
        TestRows.stgCall("c2", "other", "j"),
        TestRows.stgCall("c1", "second", "j"),
        TestRows.stgCall("c1", "third", "j"));
    assertThat(wh.merge(WarehouseTable.STG_CALLS, rows), is(new MergeResult(2, 0, 0)));
    assertThat(TestRows.read(wh, WarehouseTable.STG_CALLS, "c1").get("CALL_TITLE"), is("third"));

    List<WarehouseRow> again = List.of(
        TestRows.stgCall("c1", "fourth", "j"), TestRows.stgCall("c1", "third", "j"));
    assertThat(wh.merge(WarehouseTable.STG_CALLS, again), is(new MergeResult(0, 0, 1)));
    assertThat(wh.count(WarehouseTable.STG_CALLS), is(2L));
  }

  @Test
  void compositeKeysMergePerPair() {
    List<WarehouseRow> parts = List.of(
        TestRows.participant("c1", "p1", "Ann", "j"),
        TestRows.participant("c1", "p2", "Bob", "j"),
        TestRows.participant("c2", "p1", "Cy", "j"));
    assertThat(wh.merge(WarehouseTable.STG_PARTICIPANTS, parts), is(new MergeResult(3, 0, 0)));
    assertThat(wh.merge(WarehouseTable.STG_PARTICIPANTS,
            List.of(TestRows.participant("c1", "p2", "Bobby", "j2"),
                TestRows.participant("c2", "p1", "Cy", "j2"),
                TestRows.participant("c2", "p2", "Dee", "j2"))),
        is(new MergeResult(1, 1, 1)));
    assertThat(wh.count(WarehouseTable.STG_PARTICIPANTS), is(4L));
    assertThat(TestRows.scalar(wh, "SELECT PARTICIPANT_NAME FROM STG_TRANSFORMED."
        + "STG_GONG_CALL_PARTICIPANTS WHERE CALL_ID = ? AND PARTICIPANT_ID = ?", "c1", "p2"),
        is("Bobby"));

    List<WarehouseRow> topics = List.of(TestRows.topic("c1", "Pricing", 120.0, "j"),
        TestRows.topic("c1", "Next Steps", 30.0, "j"), TestRows.topic("c2", "Pricing", 5.0, "j"));
    assertThat(wh.merge(WarehouseTable.STG_TOPICS, topics), is(new MergeResult(3, 0, 0)));
    assertThat(wh.merge(WarehouseTable.STG_TOPICS,
        List.of(TestRows.topic("c1", "Pricing", 121.0, "j"))), is(new MergeResult(0, 1, 0)));
  }

  @Test
  void vectorsOf384FloatsRoundTripExactly() {
    float[] v = TestRows.vector(384, 42);
    v[0] = Float.MIN_VALUE;
    v[1] = -Float.MAX_VALUE;
    v[2] = 1.0e-7f;
    wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(TestRows.memory("c1", 0, "hello", v).build()));
    Map<String, Object> row = TestRows.read(wh, WarehouseTable.MEMORY_RECORDS, "gong:c1:0");
    assertArrayEquals(v, (float[]) row.get("EMBEDDING"));
    assertThat(row.get("EMBEDDING_DIM"), is(384));

    assertThat("same vector: unchanged", wh.merge(WarehouseTable.MEMORY_RECORDS,
        List.of(TestRows.memory("c1", 0, "hello", v.clone()).build())), is(new MergeResult(0, 0, 1)));
    float[] w = v.clone();
    w[383] += 0.5f;
    assertThat("one float differs: updated", wh.merge(WarehouseTable.MEMORY_RECORDS,
        List.of(TestRows.memory("c1", 0, "hello", w).build())), is(new MergeResult(0, 1, 0)));
    assertArrayEquals(w, (float[]) TestRows.read(wh, WarehouseTable.MEMORY_RECORDS, "gong:c1:0")
        .get("EMBEDDING"));
  }

  @Test
  void trickyTextRoundTripsExactly() {
    String sqlish = "'); DROP TABLE STG_TRANSFORMED.STG_GONG_CALLS; -- \" \\ %_ ?";
    String unicode = "emoji 🚀👩🏽‍💻, RTL שלום مرحبا, zero\u200Bwidth\uFEFF, NUL[\u0000], tab\tnl\r\n";
    String big = "x".repeat(1 << 20) + "END";
    wh.merge(WarehouseTable.STG_CALLS, List.of(
        TestRows.stgCall("sql", sqlish, "j"),
        TestRows.stgCall("uni", unicode, "j"),
        TestRows.stgCall("big", big, "j"),
        TestRows.stgCall("'; DELETE FROM x; --", "key looks like SQL", "j")));

    assertThat(TestRows.read(wh, WarehouseTable.STG_CALLS, "sql").get("CALL_TITLE"), is(sqlish));
    assertThat(TestRows.read(wh, WarehouseTable.STG_CALLS, "uni").get("CALL_TITLE"), is(unicode));
    assertThat(TestRows.read(wh, WarehouseTable.STG_CALLS, "big").get("CALL_TITLE"), is(big));
    assertThat(TestRows.read(wh, WarehouseTable.STG_CALLS, "'; DELETE FROM x; --")
        .get("CALL_TITLE"), is("key looks like SQL"));
    assertThat(wh.count(WarehouseTable.STG_CALLS), is(4L));
    assertThat("re-merge of the same text is a no-op", wh.merge(WarehouseTable.STG_CALLS,
        List.of(TestRows.stgCall("uni", unicode, "j2"), TestRows.stgCall("big", big, "j2"))),
        is(new MergeResult(0, 0, 2)));
  }

  @Test
  void typesRoundTrip() {
    Instant nanos = Instant.parse("1969-12-31T23:59:59.999999999Z");
    WarehouseRow row = WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", "c1").set("CALL_DATETIME_UTC", nanos)
        .set("CALL_DURATION_SECONDS", 7) // Integer into BIGINT is widened
        .set("PARTICIPANT_COUNT", 5L) // Long into INTEGER within range
        .set("OPPORTUNITY_AMOUNT", 3) // Integer into DOUBLE
        .set("IS_PRIVATE", true)
        .set("KEY_TOPICS", "[\"a\"]") // a String into a JSON column is accepted and validated
        .set("JOB_ID", "j").set("LOADED_AT", T0).build();
    wh.merge(WarehouseTable.STG_CALLS, List.of(row));
    Map<String, Object> r = TestRows.read(wh, WarehouseTable.STG_CALLS, "c1");
    assertThat("microsecond precision, UTC, before the epoch", r.get("CALL_DATETIME_UTC"),
        is(LocalDateTime.parse("1969-12-31T23:59:59.999999")));
    assertThat(r.get("CALL_DURATION_SECONDS"), is(7L));
    assertThat(r.get("PARTICIPANT_COUNT"), is(5));
    assertThat(r.get("OPPORTUNITY_AMOUNT"), is(3.0));
    assertThat(r.get("IS_PRIVATE"), is(true));
    assertThat(String.valueOf(r.get("KEY_TOPICS")), is("[\"a\"]"));
    assertThat("missing columns are NULL", r.get("CALL_TITLE"), is((Object) null));
  }

  @Test
  void jsonTextIsStoredVerbatimAndInvalidJsonIsRejected() {
    String json = "{\"b\": [1, 2.50, \"🚀\"],   \"a\": null}";
    wh.merge(WarehouseTable.RAW_CALLS, List.of(raw("c1", json)));
    assertThat(String.valueOf(TestRows.read(wh, WarehouseTable.RAW_CALLS, "c1").get("PAYLOAD")),
        is(json));

    WarehouseException e = TestRows.assertPermanent(
        () -> wh.merge(WarehouseTable.RAW_CALLS, List.of(raw("c2", "{}"), raw("c3", "{\"a\":"))));
    assertThat(e.getMessage(), allOf(containsString("PAYLOAD"), containsString("c3"),
        containsString("not valid JSON")));
    assertThat("the failed batch wrote nothing", wh.count(WarehouseTable.RAW_CALLS), is(1L));
    TestRows.assertPermanent(
        () -> wh.merge(WarehouseTable.RAW_CALLS, List.of(raw("c4", ""))));
  }

  @Test
  void unknownColumnOrWrongTypeIsPermanent() {
    WarehouseRow extra = WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", "c1").set("NOT_A_COLUMN", "x").set("JOB_ID", "j").set("LOADED_AT", T0)
        .build();
    WarehouseException e = TestRows.assertPermanent(
        () -> wh.merge(WarehouseTable.STG_CALLS, List.of(extra)));
    assertThat(e.getMessage(), containsString("NOT_A_COLUMN"));

    WarehouseRow wrongType = WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", "c1").set("CALL_DATETIME_UTC", "2024-01-01").set("JOB_ID", "j")
        .set("LOADED_AT", T0).build();
    e = TestRows.assertPermanent(
        () -> wh.merge(WarehouseTable.STG_CALLS, List.of(wrongType)));
    assertThat(e.getMessage(), allOf(containsString("CALL_DATETIME_UTC"), containsString("Instant")));

    WarehouseRow overflow = WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", "c1").set("PARTICIPANT_COUNT", Long.MAX_VALUE).set("JOB_ID", "j")
        .set("LOADED_AT", T0).build();
    TestRows.assertPermanent(
        () -> wh.merge(WarehouseTable.STG_CALLS, List.of(overflow)));

    TestRows.assertPermanent(
        () -> wh.merge(WarehouseTable.STG_USERS, List.of(TestRows.stgCall("c1", "t", "j"))));
    assertThat(wh.count(WarehouseTable.STG_CALLS), is(0L));
  }

  @Test
  void missingNotNullColumnFailsTheWholeBatch() {
    WarehouseRow noJob = WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", "c9").build();
    List<WarehouseRow> rows = new ArrayList<>(TestRows.stgCalls(0, 3, "t", "j"));
    rows.add(noJob);
    WarehouseException e = assertThrows(WarehouseException.class,
        () -> wh.merge(WarehouseTable.STG_CALLS, rows));
    assertThat(String.valueOf(e.getCause().getMessage()), containsString("JOB_ID"));
    assertThat(wh.count(WarehouseTable.STG_CALLS), is(0L));
    assertThat("the warehouse still works afterwards",
        wh.merge(WarehouseTable.STG_CALLS, TestRows.stgCalls(0, 3, "t", "j")),
        is(new MergeResult(3, 0, 0)));
  }

  @Test
  void deleteWhereRemovesOnlyTheGivenValues() {
    List<WarehouseRow> rows = new ArrayList<>();
    for (String call : List.of("c1", "c2", "c3")) {
      for (int i = 0; i < 4; i++) {
        rows.add(TestRows.memory(call, i, call + " chunk " + i, TestRows.vector(8, i)).build());
      }
    }
    wh.merge(WarehouseTable.MEMORY_RECORDS, rows);
    assertThat(wh.deleteWhere(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID",
        List.of("c1", "c3", "'); DROP TABLE AI_MEMORY.MEMORY_RECORDS; --")), is(8L));
    assertThat(wh.count(WarehouseTable.MEMORY_RECORDS), is(4L));
    assertThat(wh.deleteWhere(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", List.of()), is(0L));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> wh.deleteWhere(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID = SOURCE_ID OR 1", List.of("x")));
    assertThat(e.getMessage(), containsString("no column"));
    assertThat(wh.count(WarehouseTable.MEMORY_RECORDS), not(equalTo(0L)));
  }

  @Test
  void closedWarehouseRefusesWork() {
    DuckDbWarehouse w = TestRows.openWithSchema();
    w.close();
    w.close(); // idempotent
    assertThrows(IllegalStateException.class, () -> w.count(WarehouseTable.STG_CALLS));
  }

  private static WarehouseRow raw(String id, String json) {
    return WarehouseRow.of(WarehouseTable.RAW_CALLS)
        .set("CALL_ID", id).set("PAYLOAD", new WarehouseRow.Json(json)).set("PAYLOAD_HASH", "h")
        .set("JOB_ID", "j").set("INGESTED_AT", T0).build();
  }
}
