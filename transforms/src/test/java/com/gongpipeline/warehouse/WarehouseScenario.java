package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One list of logical warehouse operations with their expected outcomes, written against the
 * {@link Warehouse} interface only, so every dialect runs the same scenario: DuckDB in {@code
 * DuckDbWarehouseScenarioTest}, Snowflake in {@code SnowflakeWarehouseIT} (a real account), and
 * later SnowflakeWarehouse over the local wire stand-in.
 *
 * <p>Every key carries {@code tag}, so a run in a shared account touches only its own rows (and
 * {@link #cleanUp} removes them). Vectors have {@code dim} dimensions (768 on Snowflake).
 */
final class WarehouseScenario {
  private final Warehouse wh;
  private final String tag;
  private final int dim;
  private final String model;

  WarehouseScenario(Warehouse wh, String tag, int dim, String model) {
    this.wh = wh;
    this.tag = tag;
    this.dim = dim;
    this.model = model;
  }

  /** Runs every step in order. */
  void runAll() {
    wh.applySchema();
    wh.applySchema();
    mergesAreIdempotentAndUpdateOnlyRealChanges();
    compositeKeysAndJsonRoundTrip();
    rawPayloadHashes();
    vectorsRoundTripAndSearchComparesOnlyTheQueryModel();
    replaceChildrenDeletesOnlyStaleRowsOfTheGivenParents();
    staleChildrenAndStoredTurns();
    batchedStaleChildrenDeleteAsOneAtATime();
    highWaterMarkNeverMovesBackwards();
    leasesExcludeOtherLiveJobs();
    jobLogRoundTrips();
    fetchScheduleRoundTrips();
    catalogAndQueries();
  }

  private String id(String s) {
    return tag + "-" + s;
  }

  void mergesAreIdempotentAndUpdateOnlyRealChanges() {
    List<WarehouseRow> calls = List.of(TestRows.stgCall(id("c1"), "One", "job-1"),
        TestRows.stgCall(id("c2"), "Two", "job-1"), TestRows.stgCall(id("c3"), "Three", "job-1"));
    assertThat(wh.merge(WarehouseTable.STG_CALLS, calls), is(new MergeResult(3, 0, 0)));
    assertThat(wh.merge(WarehouseTable.STG_CALLS, calls), is(new MergeResult(0, 0, 3)));
    // Only bookkeeping columns differ: nothing changes.
    assertThat(wh.merge(WarehouseTable.STG_CALLS, List.of(
        TestRows.stgCall(id("c1"), "One", "job-2"))), is(new MergeResult(0, 0, 1)));
    // A real change, and a duplicate key in one batch: the last row wins.
    assertThat(wh.merge(WarehouseTable.STG_CALLS, List.of(
        TestRows.stgCall(id("c2"), "Two (old)", "job-3"),
        TestRows.stgCall(id("c2"), "Two (new)", "job-3"))), is(new MergeResult(0, 1, 0)));
    List<Map<String, Object>> rows = wh.query("SELECT CALL_TITLE, JOB_ID, CALL_DURATION_SECONDS,"
        + " OPPORTUNITY_AMOUNT, IS_PRIVATE, CALL_DATETIME_UTC FROM STG_TRANSFORMED.STG_GONG_CALLS"
        + " WHERE CALL_ID IN (?, ?) ORDER BY CALL_ID", id("c1"), id("c2"));
    assertThat(rows.get(0).get("CALL_TITLE"), is("One"));
    assertThat(rows.get(0).get("JOB_ID"), is("job-1"));
    assertThat(((Number) rows.get(0).get("CALL_DURATION_SECONDS")).longValue(), is(1800L));
    assertThat(((Number) rows.get(0).get("OPPORTUNITY_AMOUNT")).doubleValue(), is(12500.5));
    assertThat(rows.get(0).get("IS_PRIVATE"), is(false));
    assertThat(rows.get(0).get("CALL_DATETIME_UTC"), is(TestRows.T0));
    assertThat(rows.get(1).get("CALL_TITLE"), is("Two (new)"));
    assertThat(rows.get(1).get("JOB_ID"), is("job-3"));
  }

  void compositeKeysAndJsonRoundTrip() {
    String call = id("c1");
    assertThat(wh.merge(WarehouseTable.STG_PARTICIPANTS, List.of(
            TestRows.participant(call, "p1", "Ann \"Q\" O'Neil ✓", "j"),
            TestRows.participant(call, "p2", "Bob", "j"))),
        is(new MergeResult(2, 0, 0)));
    assertThat(wh.merge(WarehouseTable.STG_PARTICIPANTS, List.of(
            TestRows.participant(call, "p1", "Ann \"Q\" O'Neil ✓", "j2"))),
        is(new MergeResult(0, 0, 1)));
    List<Map<String, Object>> rows = wh.query("SELECT PARTICIPANT_NAME FROM"
        + " STG_TRANSFORMED.STG_GONG_CALL_PARTICIPANTS WHERE CALL_ID = ? ORDER BY PARTICIPANT_ID",
        call);
    assertThat(rows.size(), is(2));
    assertThat(rows.get(0).get("PARTICIPANT_NAME"), is("Ann \"Q\" O'Neil ✓"));
    TestRows.assertPermanent( () -> wh.merge(WarehouseTable.STG_CALLS,
        List.of(WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", id("bad"))
            .set("KEY_POINTS", new WarehouseRow.Json("{oops")).set("JOB_ID", "j")
            .set("LOADED_AT", TestRows.T0).build())));
  }

  void rawPayloadHashes() {
    WarehouseRow raw = WarehouseRow.of(WarehouseTable.RAW_CALLS).set("CALL_ID", id("c1"))
        .set("CALL_STARTED_AT", TestRows.T0)
        .set("PAYLOAD", new WarehouseRow.Json("{\"metaData\":{\"id\":\"1\",\"title\":\"One\"}}"))
        .set("PAYLOAD_HASH", "h1").set("JOB_ID", "j").set("INGESTED_AT", TestRows.T0).build();
    assertThat(wh.merge(WarehouseTable.RAW_CALLS, List.of(raw)), is(new MergeResult(1, 0, 0)));
    assertThat(wh.payloadHashes(WarehouseTable.RAW_CALLS, List.of(id("c1"), id("absent"))),
        is(Map.of(id("c1"), "h1")));
  }

  void vectorsRoundTripAndSearchComparesOnlyTheQueryModel() {
    String call = id("c1");
    float[] near = TestRows.vector(dim, 1);
    float[] far = TestRows.vector(dim, 2);
    List<WarehouseRow> chunks = List.of(
        TestRows.memory(call, 0, "security review and SOC 2", near)
            .set("EMBEDDING_MODEL", model).set("SENTIMENT_SCORE", -0.25)
            .set("SENTIMENT_MODEL", "vader")
            .set("METADATA", new WarehouseRow.Json("{\"title\":\"Kickoff\",\"account\":\"Acme\"}"))
            .build(),
        TestRows.memory(call, 1, "pricing", far).set("EMBEDDING_MODEL", model).build());
    assertThat(wh.merge(WarehouseTable.MEMORY_RECORDS, chunks), is(new MergeResult(2, 0, 0)));
    assertThat(wh.merge(WarehouseTable.MEMORY_RECORDS, chunks), is(new MergeResult(0, 0, 2)));

    Map<String, StoredChunk> stored = wh.storedChunks(List.of(call));
    StoredChunk first = stored.get("gong:" + call + ":0");
    assertThat(first.embedding(), is(near));
    assertThat(first.embeddingModel(), is(model));
    assertThat(first.sentimentScore(), is(-0.25));

    List<SearchHit> hits = wh.search(SearchQuery.builder(near, model).k(2).account("acme").build());
    assertThat(hits.size(), is(1));
    assertThat(hits.get(0).memoryId(), is("gong:" + call + ":0"));
    assertThat(hits.get(0).score(), closeTo(1.0, 1e-5));
    assertThat(hits.get(0).title(), is("Kickoff"));
    assertThat(wh.search(SearchQuery.builder(near, "another-model").build()), is(empty()));
    assertThat(wh.embeddingModels(), hasItem(model));
  }

  void replaceChildrenDeletesOnlyStaleRowsOfTheGivenParents() {
    String a = id("c1");
    String b = id("c2");
    wh.merge(WarehouseTable.STG_TOPICS, List.of(TestRows.topic(a, "Pricing", 10, "j"),
        TestRows.topic(a, "Security", 20, "j"), TestRows.topic(a, "Legal", 5, "j"),
        TestRows.topic(b, "Pricing", 7, "j")));
    MergeResult r = wh.replaceChildren(WarehouseTable.STG_TOPICS, "CALL_ID", List.of(a),
        List.of(TestRows.topic(a, "Pricing", 10, "j2"), TestRows.topic(a, "Security", 25, "j2")));
    assertThat(r, is(new MergeResult(0, 1, 1, 1)));
    List<Map<String, Object>> rows = wh.query("SELECT CALL_ID, TOPIC_NAME FROM"
        + " STG_TRANSFORMED.STG_GONG_CALL_TOPICS WHERE CALL_ID IN (?, ?)"
        + " ORDER BY CALL_ID, TOPIC_NAME", a, b);
    assertThat(rows.size(), is(3));
    assertThat(rows.get(0).get("TOPIC_NAME"), is("Pricing"));
    assertThat(rows.get(1).get("TOPIC_NAME"), is("Security"));
    assertThat(rows.get(2).get("CALL_ID"), is(b));
  }

  void staleChildrenAndStoredTurns() {
    String call = id("c3");
    List<WarehouseRow> turns = List.of(turn(call, 0, "Hello", 0.5), turn(call, 1, "Bye", null),
        turn(call, 2, "Later", -0.1));
    wh.merge(WarehouseTable.STG_TRANSCRIPTS, turns);
    assertThat(wh.deleteStaleChildren(WarehouseTable.STG_TRANSCRIPTS, "CALL_ID", call,
        "TRANSCRIPT_ID", List.of(call + ":0", call + ":1")), is(1L));
    Map<String, StoredTurn> stored = wh.storedTurns(List.of(call));
    assertThat(stored.keySet().size(), is(2));
    assertThat(stored.get(call + ":0"), is(new StoredTurn(call + ":0", "Hello", 0.5, null)));
    assertThat(stored.get(call + ":1").sentiment(), is((Double) null));
    assertThat(wh.deleteWhere(WarehouseTable.STG_TRANSCRIPTS, "CALL_ID", List.of(call)), is(2L));
  }

  /**
   * Key sets of several calls deleted in one batch ({@link Warehouse#deleteStaleChildren(List)})
   * delete what they would one at a time in arrival order: each call's own stale rows, nothing of
   * a call whose stored version is newer (in STG_GONG_CALLS or on one of its rows), everything of
   * an empty keep-set, and a call's second set after its first.
   */
  void batchedStaleChildrenDeleteAsOneAtATime() {
    String a = id("ba");
    String b = id("bb");
    String c = id("bc");
    String d = id("bd");
    String e = id("be");
    List<WarehouseRow> turns = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      turns.add(versionedTurn(a, i, 10L));
    }
    for (int i = 0; i < 3; i++) {
      turns.add(versionedTurn(b, i, 10L));
      turns.add(versionedTurn(e, i, 10L));
    }
    turns.add(turn(c, 0, "c0", null));
    turns.add(turn(c, 1, "c1", null));
    turns.add(versionedTurn(d, 0, 30L)); // a newer version landed one of d's rows already
    turns.add(versionedTurn(d, 1, 10L));
    turns.add(versionedTurn(d, 2, 10L));
    wh.merge(WarehouseTable.STG_TRANSCRIPTS, turns);
    wh.merge(WarehouseTable.STG_CALLS, List.of(WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", b).set("CALL_VERSION", 20L).set("JOB_ID", "j")
        .set("LOADED_AT", TestRows.T0).build()));
    String t = "STG_TRANSCRIPTS";
    List<ChildKeys> sets = List.of(
        keys(a, List.of(a + ":0", a + ":1", a + ":1"), 10L), // deletes a:2, a:3
        keys(b, List.of(b + ":0"), 10L), // STG_GONG_CALLS holds version 20: nothing
        keys(c, List.of(), 0L), // unversioned, empty keep-set: all of c
        keys(d, List.of(d + ":1"), 10L), // a row of version 30: nothing
        keys(e, List.of(e + ":0", e + ":2"), 10L), // deletes e:1
        keys(a, List.of(a + ":1"), 10L)); // after the first set of a: deletes a:0
    assertThat(t, wh.deleteStaleChildren(sets), is(6L));
    List<Map<String, Object>> rows = wh.query("SELECT TRANSCRIPT_ID FROM"
        + " STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS WHERE CALL_ID IN (?, ?, ?, ?, ?)"
        + " ORDER BY TRANSCRIPT_ID", a, b, c, d, e);
    List<Object> left = new ArrayList<>();
    rows.forEach(r -> left.add(r.get("TRANSCRIPT_ID")));
    assertThat(left, is(List.of(a + ":1", b + ":0", b + ":1", b + ":2", d + ":0", d + ":1",
        d + ":2", e + ":0", e + ":2")));
    assertThat("the same sets again delete nothing", wh.deleteStaleChildren(sets), is(0L));
    wh.deleteWhere(WarehouseTable.STG_TRANSCRIPTS, "CALL_ID", List.of(a, b, c, d, e));
    wh.deleteWhere(WarehouseTable.STG_CALLS, "CALL_ID", List.of(b));
  }

  private static ChildKeys keys(String call, List<String> keep, long version) {
    return new ChildKeys(WarehouseTable.STG_TRANSCRIPTS, "CALL_ID", call, "TRANSCRIPT_ID", keep,
        version);
  }

  private static WarehouseRow versionedTurn(String call, int index, long version) {
    return WarehouseRow.of(WarehouseTable.STG_TRANSCRIPTS)
        .set("TRANSCRIPT_ID", call + ":" + index).set("CALL_ID", call).set("TURN_INDEX", index)
        .set("TRANSCRIPT_TEXT", "turn " + index).set("JOB_ID", "j").set("LOADED_AT", TestRows.T0)
        .set("CALL_VERSION", version).build();
  }

  void highWaterMarkNeverMovesBackwards() {
    String sync = id("sync");
    Instant t1 = Instant.parse("2024-05-01T10:00:00.123456789Z");
    assertThat(wh.highWaterMark(sync), is(Optional.empty()));
    assertThat(wh.advanceHighWaterMark(sync, t1, "job-1"), is(true));
    assertThat(wh.advanceHighWaterMark(sync, t1.minusSeconds(60), "job-2"), is(false));
    assertThat(wh.advanceHighWaterMark(sync, t1, "job-2"), is(false));
    assertThat(wh.highWaterMark(sync), is(Optional.of(Instant.parse("2024-05-01T10:00:00.123456Z"))));
    assertThat(wh.advanceHighWaterMark(sync, t1.plusSeconds(1), "job-3"), is(true));
    assertThat(wh.highWaterMark(sync).orElseThrow(), is(Instant.parse("2024-05-01T10:00:01.123456Z")));
  }

  void leasesExcludeOtherLiveJobs() {
    String lease = id("lease");
    Duration ttl = Duration.ofMinutes(10);
    assertThat(wh.tryAcquireLease(lease, "job-1", ttl).isPresent(), is(true));
    assertThat(wh.tryAcquireLease(lease, "job-2", ttl), is(Optional.empty()));
    assertThat(wh.tryAcquireLease(lease, "job-1", ttl).isPresent(), is(true));
    assertThat(wh.renewLease(lease, "job-1", ttl), is(true));
    assertThat(wh.renewLease(lease, "job-2", ttl), is(false));
    wh.releaseLease(lease, "job-2");
    assertThat(wh.tryAcquireLease(lease, "job-2", ttl), is(Optional.empty()));
    wh.releaseLease(lease, "job-1");
    assertThat(wh.tryAcquireLease(lease, "job-2", ttl).isPresent(), is(true));
    wh.releaseLease(lease, "job-2");
  }

  void jobLogRoundTrips() {
    JobLog running = JobLog.builder(id("job"), "backfill", TestRows.T0).runner("DirectRunner")
        .window(Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-06-01T00:00:00Z"))
        .options(Map.of("note", "quote \" and unicode ✓")).build();
    wh.recordJob(running);
    assertThat(wh.findJob(id("job")), is(Optional.of(running)));
    JobLog done = running.toBuilder().finish(JobLog.Status.SUCCEEDED, TestRows.T0.plusMillis(61_500))
        .callsProcessed(2).rowsWritten(Map.of("STG_TRANSFORMED.STG_GONG_CALLS", 2L)).build();
    wh.recordJob(done);
    assertThat(wh.findJob(id("job")), is(Optional.of(done)));
    assertThat(wh.findJob(id("no-such-job")), is(Optional.empty()));
  }

  /** The polling planner's schedule: inserted, then replaced (a NULL next-due included). */
  void fetchScheduleRoundTrips() {
    Instant seen = TestRows.T0;
    wh.recordPlannedFetches(List.of(
        new PlannedFetch(id("f1"), seen, seen, seen.plusSeconds(3600), 1, id("job")),
        new PlannedFetch(id("f2"), seen, seen, seen.plusSeconds(3600), 1, id("job"))));
    wh.recordPlannedFetches(List.of(new PlannedFetch(id("f2"), seen, seen.plusSeconds(7200),
        null, 5, id("job2"))));
    List<Map<String, Object>> rows = wh.query("SELECT CALL_ID, FIRST_SEEN, LAST_FETCHED, "
        + "NEXT_DUE, FETCHES, JOB_ID FROM OPS_MONITORING.CALL_FETCH_SCHEDULE WHERE CALL_ID IN "
        + "(?, ?) ORDER BY CALL_ID", id("f1"), id("f2"));
    assertThat(rows.size(), is(2));
    assertThat(rows.get(0).get("NEXT_DUE"), is(seen.plusSeconds(3600)));
    assertThat(((Number) rows.get(0).get("FETCHES")).longValue(), is(1L));
    assertThat(rows.get(1).get("FIRST_SEEN"), is(seen));
    assertThat(rows.get(1).get("LAST_FETCHED"), is(seen.plusSeconds(7200)));
    assertThat(rows.get(1).get("NEXT_DUE"), is((Object) null));
    assertThat(((Number) rows.get(1).get("FETCHES")).longValue(), is(5L));
    assertThat(rows.get(1).get("JOB_ID"), is(id("job2")));
  }

  void catalogAndQueries() {
    Map<String, Long> counts = wh.tableCounts();
    for (WarehouseTable t : WarehouseTable.values()) {
      assertThat(counts, hasKey(t.qualifiedName()));
    }
    assertThat(counts, hasKey("OPS_MONITORING.SYNC_LEASE"));
    assertThat(wh.count(WarehouseTable.STG_CALLS) >= 3, is(true));
    assertThrows(IllegalArgumentException.class,
        () -> wh.query("DELETE FROM STG_TRANSFORMED.STG_GONG_CALLS"));
  }

  /** Deletes every row this scenario wrote (for shared accounts). */
  void cleanUp() {
    List<String> calls = List.of(id("c1"), id("c2"), id("c3"), id("bad"));
    for (WarehouseTable t : List.of(WarehouseTable.STG_CALLS, WarehouseTable.STG_PARTICIPANTS,
        WarehouseTable.STG_TOPICS, WarehouseTable.STG_TRANSCRIPTS, WarehouseTable.RAW_CALLS)) {
      wh.deleteWhere(t, "CALL_ID", calls);
    }
    wh.deleteWhere(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", calls);
  }

  private static WarehouseRow turn(String call, int index, String text, Double sentiment) {
    return WarehouseRow.of(WarehouseTable.STG_TRANSCRIPTS)
        .set("TRANSCRIPT_ID", call + ":" + index).set("CALL_ID", call).set("TURN_INDEX", index)
        .set("TRANSCRIPT_TEXT", text).set("SEGMENT_SENTIMENT", sentiment)
        .set("JOB_ID", "j").set("LOADED_AT", TestRows.T0).build();
  }
}
