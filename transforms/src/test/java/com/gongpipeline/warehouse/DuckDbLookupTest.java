package com.gongpipeline.warehouse;

import static com.gongpipeline.warehouse.TestRows.T0;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stored-chunk and payload-hash lookups, and the read-only {@link Warehouse#query}. */
class DuckDbLookupTest extends WithSchemaWarehouse {

  @Test
  void storedChunksReturnWhatIsNeededToSkipReEmbedding() {
    float[] v0 = TestRows.vector(384, 1);
    v0[5] = Float.MIN_VALUE;
    wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(
        TestRows.memory("c1", 0, "hello", v0).set("SENTIMENT_SCORE", -0.25)
            .set("SENTIMENT_MODEL", "distilbert-sst2").build(),
        TestRows.memory("c1", 1, "world", TestRows.vector(384, 2)).build(),
        TestRows.memory("c2", 0, "not embedded yet", new float[0]).set("EMBEDDING", null)
            .set("EMBEDDING_MODEL", null).set("EMBEDDING_DIM", null).build(),
        TestRows.memory("c3", 0, "other call", TestRows.vector(384, 3)).build()));

    Map<String, StoredChunk> stored = wh.storedChunks(List.of("c1", "c2", "missing", "c1"));
    assertThat(stored.keySet(), is(java.util.Set.of("gong:c1:0", "gong:c1:1", "gong:c2:0")));
    StoredChunk c10 = stored.get("gong:c1:0");
    assertThat(c10, is(new StoredChunk("gong:c1:0", "c1", Integer.toHexString("hello".hashCode()),
        "e5-small-v2", v0.clone(), -0.25, "distilbert-sst2")));
    assertArrayEquals(v0, c10.embedding());
    assertThat(stored.get("gong:c1:1").sentimentScore(), is((Double) null));
    assertThat(stored.get("gong:c2:0"), is(new StoredChunk("gong:c2:0", "c2",
        Integer.toHexString("not embedded yet".hashCode()), null, null, null, null)));
    assertThat(wh.storedChunks(List.of()), is(Map.of()));
  }

  @Test
  void lookupsBindThousandsOfIds() {
    List<WarehouseRow> chunks = new ArrayList<>();
    List<WarehouseRow> raws = new ArrayList<>();
    for (int i : new int[] {0, 999, 1000, 2999}) {
      chunks.add(TestRows.memory("c" + i, 0, "t" + i, new float[] {i}).build());
      raws.add(raw(WarehouseTable.RAW_CALLS, "c" + i, "h" + i));
    }
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks);
    wh.merge(WarehouseTable.RAW_CALLS, raws);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      ids.add("c" + i);
    }
    ids.add("x'); DROP TABLE RAW.GONG_CALLS_RAW; --");
    assertThat(wh.storedChunks(ids).keySet(),
        is(java.util.Set.of("gong:c0:0", "gong:c999:0", "gong:c1000:0", "gong:c2999:0")));
    assertThat(wh.payloadHashes(WarehouseTable.RAW_CALLS, ids),
        is(Map.of("c0", "h0", "c999", "h999", "c1000", "h1000", "c2999", "h2999")));
  }

  @Test
  void payloadHashesPerRawTable() {
    wh.merge(WarehouseTable.RAW_CALLS, List.of(raw(WarehouseTable.RAW_CALLS, "c1", "call-1"),
        raw(WarehouseTable.RAW_CALLS, "c2", "call-2")));
    wh.merge(WarehouseTable.RAW_TRANSCRIPTS, List.of(raw(WarehouseTable.RAW_TRANSCRIPTS, "c1", "tr-1")));
    assertThat(wh.payloadHashes(WarehouseTable.RAW_CALLS, List.of("c1", "c2", "c3")),
        is(Map.of("c1", "call-1", "c2", "call-2")));
    assertThat(wh.payloadHashes(WarehouseTable.RAW_TRANSCRIPTS, List.of("c1", "c2")),
        is(Map.of("c1", "tr-1")));
    assertThat(wh.payloadHashes(WarehouseTable.RAW_CALLS, List.of()), is(Map.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> wh.payloadHashes(WarehouseTable.STG_CALLS, List.of("c1")));
    assertThat(e.getMessage(), containsString("not a RAW table"));
  }

  @Test
  void queryBindsParametersAndConvertsValues() {
    wh.merge(WarehouseTable.STG_CALLS, List.of(TestRows.stgCall("c1", "Pricing call", "j1"),
        TestRows.stgCall("c2", "it's \"quoted\" ?", "j1")));
    wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(TestRows.memory("c1", 0, "hi",
        new float[] {0.5f, -1.0e-7f}).set("METADATA", new WarehouseRow.Json("{\"a\":1}")).build()));

    List<Map<String, Object>> rows = wh.query(
        "SELECT CALL_ID, CALL_TITLE, CALL_DATETIME_UTC, OPPORTUNITY_AMOUNT, PARTICIPANT_COUNT,"
            + " IS_PRIVATE, CALL_BRIEF FROM STG_TRANSFORMED.STG_GONG_CALLS"
            + " WHERE CALL_DATETIME_UTC >= ? AND OPPORTUNITY_AMOUNT > ? AND IS_PRIVATE = ?"
            + " AND CALL_TITLE = ? ORDER BY CALL_ID",
        T0, 100.5, false, "it's \"quoted\" ?");
    assertThat(rows.size(), is(1));
    Map<String, Object> r = rows.get(0);
    assertThat(new ArrayList<>(r.keySet()), is(List.of("CALL_ID", "CALL_TITLE", "CALL_DATETIME_UTC",
        "OPPORTUNITY_AMOUNT", "PARTICIPANT_COUNT", "IS_PRIVATE", "CALL_BRIEF")));
    assertThat(r, allOf(hasEntry("CALL_ID", (Object) "c2"),
        hasEntry("CALL_DATETIME_UTC", (Object) T0.minusNanos(T0.getNano() % 1000)),
        hasEntry("OPPORTUNITY_AMOUNT", (Object) 12500.5), hasEntry("PARTICIPANT_COUNT", (Object) 3),
        hasEntry("IS_PRIVATE", (Object) false), hasEntry("CALL_BRIEF", null)));

    assertThat("an injection attempt is just a value", wh.query(
        "SELECT count(*) AS n FROM STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID = ?",
        "c1' OR '1'='1").get(0).get("n"), is(0L));
    assertThat(wh.query("SELECT ? AS a, ? AS b", null, 7L).get(0), is(mapOf("a", null, "b", 7L)));

    Map<String, Object> m = wh.query("-- leading comment\n/* and a block */ SELECT EMBEDDING,"
        + " METADATA, now() AS ts, [1, 2] AS l FROM AI_MEMORY.MEMORY_RECORDS").get(0);
    assertArrayEquals(new float[] {0.5f, -1.0e-7f}, (float[]) m.get("EMBEDDING"));
    assertThat(m.get("METADATA"), is("{\"a\":1}"));
    assertThat(m.get("ts"), instanceOf(java.time.Instant.class));
    assertThat(m.get("l"), is(Arrays.asList(1, 2)));
  }

  /** Writes are refused up front, and whatever runs is rolled back (EXPLAIN ANALYZE executes its statement). */
  @Test
  void queryIsReadOnly() {
    wh.merge(WarehouseTable.STG_CALLS, TestRows.stgCalls(0, 3, "t", "j"));
    for (String sql : List.of("DELETE FROM STG_TRANSFORMED.STG_GONG_CALLS",
        "  -- x\n  UPDATE STG_TRANSFORMED.STG_GONG_CALLS SET CALL_TITLE = 'x'",
        "COPY STG_TRANSFORMED.STG_GONG_CALLS TO '/tmp/x.csv'", "DROP TABLE RAW.GONG_CALLS_RAW", "")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wh.query(sql));
      assertThat(e.getMessage(), containsString("read-only"));
    }
    List<Map<String, Object>> plan = wh.query(
        "EXPLAIN ANALYZE DELETE FROM STG_TRANSFORMED.STG_GONG_CALLS");
    assertThat(plan.isEmpty(), is(false));
    assertThat("the executed DELETE was rolled back", wh.count(WarehouseTable.STG_CALLS), is(3L));
    assertThat("the connection is healthy afterwards", wh.merge(WarehouseTable.STG_CALLS,
        TestRows.stgCalls(3, 4, "t", "j")), is(new MergeResult(1, 0, 0)));
    WarehouseException bad = assertThrows(WarehouseException.class,
        () -> wh.query("SELECT nope FROM STG_TRANSFORMED.STG_GONG_CALLS"));
    assertThat(String.valueOf(bad.getCause().getMessage()), containsString("nope"));
  }

  @Test
  void reportFilesRunThroughQuery() throws Exception {
    wh.merge(WarehouseTable.STG_CALLS, List.of(WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", "c1").set("ACCOUNT_NAME", "Acme").set("SENTIMENT_SCORE", 0.5)
        .set("JOB_ID", "j").set("LOADED_AT", T0).build()));
    String report = Files.readString(Path.of("..", "sql", "duckdb", "reports",
        "sentiment_by_account.sql"));
    List<Map<String, Object>> rows = wh.query(report);
    assertThat(rows.size(), is(1));
    assertThat(rows.get(0), allOf(hasEntry("account", (Object) "Acme"), hasEntry("calls", (Object) 1L),
        hasEntry("avg_call_sentiment", (Object) 0.5)));
    assertThat(rows.get(0), not(hasEntry("account", (Object) "x")));
  }

  @Test
  void firstKeywordSkipsBlanksAndComments() {
    assertThat(DuckDbWarehouse.firstKeyword("  select 1"), is("SELECT"));
    assertThat(DuckDbWarehouse.firstKeyword("-- a\n-- b\nWITH x AS (SELECT 1) SELECT * FROM x"),
        is("WITH"));
    assertThat(DuckDbWarehouse.firstKeyword("/* SELECT */ DELETE FROM t"), is("DELETE"));
    assertThat(DuckDbWarehouse.firstKeyword("(SELECT 1) UNION (SELECT 2)"), is("("));
    assertThat(DuckDbWarehouse.firstKeyword("-- only a comment"), is(""));
  }

  private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  private static WarehouseRow raw(WarehouseTable t, String id, String hash) {
    return WarehouseRow.of(t).set("CALL_ID", id).set("PAYLOAD", new WarehouseRow.Json("{}"))
        .set("PAYLOAD_HASH", hash).set("JOB_ID", "j").set("INGESTED_AT", T0).build();
  }
}
