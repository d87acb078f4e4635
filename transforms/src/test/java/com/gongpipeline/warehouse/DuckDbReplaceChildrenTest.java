package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link Warehouse#replaceChildren}: a parent's child rows replaced as a set, in one transaction. */
class DuckDbReplaceChildrenTest extends WithSchemaWarehouse {

  @Test
  void callReChunkedFromFiveToThreeKeepsExactlyTheNewChunks() {
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("c1", 5, "v1", "job-1"));
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("c2", 2, "v1", "job-1"));

    List<WarehouseRow> rechunked = chunks("c1", 3, "v1", "job-2");
    rechunked.set(1, chunk("c1", 1, "v2", "job-2")); // chunk 1's text changed
    MergeResult r = wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", List.of("c1"),
        rechunked);

    assertThat(r, is(new MergeResult(0, 1, 2, 2)));
    assertThat(memory("c1"), is(Map.of("gong:c1:0", "job-1 c1 chunk 0 v1",
        "gong:c1:1", "job-2 c1 chunk 1 v2", "gong:c1:2", "job-1 c1 chunk 2 v1")));
    assertThat("other calls untouched", memory("c2"), is(Map.of(
        "gong:c2:0", "job-1 c2 chunk 0 v1", "gong:c2:1", "job-1 c2 chunk 1 v1")));

    assertThat("replacing with the same set again changes nothing",
        wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "source_id", List.of("c1", "c1"),
            rechunked), is(new MergeResult(0, 0, 3, 0)));

    MergeResult grown = wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID",
        List.of("c1"), chunks("c1", 4, "v1", "job-3"));
    assertThat("chunk 1 back to v1, chunk 3 new", grown, is(new MergeResult(1, 1, 2, 0)));
    assertThat(wh.count(WarehouseTable.MEMORY_RECORDS), is(6L));
  }

  @Test
  void parentWithNoNewRowsLosesAllItsRowsAndUnknownParentsAreHarmless() {
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("c1", 3, "v1", "job-1"));
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("c2", 2, "v1", "job-1"));
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("c3", 2, "v1", "job-1"));

    List<WarehouseRow> rows = chunks("c1", 1, "v1", "job-2");
    MergeResult r = wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID",
        List.of("c1", "c2", "never-seen", "'); DELETE FROM AI_MEMORY.MEMORY_RECORDS; --"), rows);
    assertThat(r, is(new MergeResult(0, 0, 1, 4)));
    assertThat(memory("c1").keySet(), is(java.util.Set.of("gong:c1:0")));
    assertThat(memory("c2"), is(Map.of()));
    assertThat(memory("c3").size(), is(2));
    assertThat(wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", List.of(),
        List.of()), is(MergeResult.EMPTY));
  }

  /** More parents than one bound batch: the parents to clear sit beyond the first 1000 ids. */
  @Test
  void thousandsOfParentIdsAreBoundInBatches() {
    List<String> parents = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      parents.add("p" + i);
    }
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("p10", 2, "v1", "job-1"));
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("p1500", 2, "v1", "job-1"));
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("p2499", 2, "v1", "job-1"));
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("other", 2, "v1", "job-1"));

    MergeResult r = wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", parents,
        chunks("p2499", 1, "v1", "job-2"));
    assertThat(r, is(new MergeResult(0, 0, 1, 5)));
    assertThat(wh.count(WarehouseTable.MEMORY_RECORDS), is(3L));
    assertThat(memory("other").size(), is(2));
  }

  @Test
  void compositeKeyedParticipantsAndTopics() {
    wh.merge(WarehouseTable.STG_PARTICIPANTS, List.of(
        TestRows.participant("c1", "p1", "Ann", "j1"), TestRows.participant("c1", "p2", "Bob", "j1"),
        TestRows.participant("c1", "p3", "Cy", "j1"), TestRows.participant("c2", "p1", "Dee", "j1")));
    MergeResult r = wh.replaceChildren(WarehouseTable.STG_PARTICIPANTS, "CALL_ID", List.of("c1"),
        List.of(TestRows.participant("c1", "p2", "Bobby", "j2"),
            TestRows.participant("c1", "p4", "Eve", "j2")));
    assertThat(r, is(new MergeResult(1, 1, 0, 2)));
    assertThat(names(wh.query("SELECT CALL_ID || '/' || PARTICIPANT_ID AS k, PARTICIPANT_NAME AS v"
        + " FROM STG_TRANSFORMED.STG_GONG_CALL_PARTICIPANTS")),
        is(Map.of("c1/p2", "Bobby", "c1/p4", "Eve", "c2/p1", "Dee")));

    wh.merge(WarehouseTable.STG_TOPICS, List.of(TestRows.topic("c1", "Pricing", 10.0, "j1"),
        TestRows.topic("c1", "Legal", 5.0, "j1")));
    assertThat(wh.replaceChildren(WarehouseTable.STG_TOPICS, "CALL_ID", List.of("c1"),
        List.of(TestRows.topic("c1", "Pricing", 10.0, "j2"))), is(new MergeResult(0, 0, 1, 1)));
    assertThat(wh.count(WarehouseTable.STG_TOPICS), is(1L));
  }

  /** The delete and the merge are one transaction: a failing merge leaves the old rows in place. */
  @Test
  void aFailingMergeRollsBackTheDeletes() {
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("c1", 5, "v1", "job-1"));
    List<WarehouseRow> bad = chunks("c1", 2, "v2", "job-2");
    bad.add(TestRows.memory("c1", 7, "t", new float[] {1f})
        .set("METADATA", new WarehouseRow.Json("{not json")).build());
    WarehouseException e = TestRows.assertPermanent(
        () -> wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", List.of("c1"), bad));
    assertThat(e.getMessage(), containsString("not valid JSON"));
    assertThat(memory("c1").size(), is(5));

    List<WarehouseRow> noContent = chunks("c1", 1, "v2", "job-2");
    noContent.add(WarehouseRow.of(WarehouseTable.MEMORY_RECORDS).set("MEMORY_ID", "gong:c1:9")
        .set("SOURCE_ID", "c1").set("JOB_ID", "j").build()); // NOT NULL columns missing
    assertThrows(WarehouseException.class, () -> wh.replaceChildren(
        WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", List.of("c1"), noContent));
    assertThat(memory("c1"), is(memoryOf("c1", 5, "v1", "job-1")));
  }

  @Test
  void rowsOutsideTheReplacedParentsOrUnknownColumnsAreRejected() {
    wh.merge(WarehouseTable.MEMORY_RECORDS, chunks("c1", 2, "v1", "job-1"));
    WarehouseException e = TestRows.assertPermanent(
        () -> wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", List.of("c1"),
            chunks("c2", 1, "v1", "job-2")));
    assertThat(e.getMessage(), allOf(containsString("c2"), containsString("not among the parents")));
    IllegalArgumentException noColumn = assertThrows(IllegalArgumentException.class,
        () -> wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID = SOURCE_ID OR 1",
            List.of("c1"), List.of()));
    assertThat(noColumn.getMessage(), containsString("no column"));
    assertThat(memory("c1").size(), is(2));
  }

  /** Threads replacing different calls of one table at once: every call ends with its last set. */
  @Test
  void concurrentReplacesOfDifferentParents() throws Exception {
    int threads = 4;
    int rounds = 6;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<MergeResult>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit((Callable<MergeResult>) () -> {
        start.await();
        MergeResult sum = MergeResult.EMPTY;
        for (int round = 0; round < rounds; round++) {
          List<String> calls = List.of("t" + thread + "a", "t" + thread + "b");
          List<WarehouseRow> rows = new ArrayList<>();
          rows.addAll(chunks(calls.get(0), 6 - round, "r" + round, "job-" + round));
          rows.addAll(chunks(calls.get(1), 1 + round % 3, "v1", "job-" + round));
          sum = sum.plus(wh.replaceChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", calls, rows));
        }
        return sum;
      }));
    }
    long deleted = 0;
    for (Future<MergeResult> f : futures) {
      deleted += f.get(60, TimeUnit.SECONDS).deleted();
    }
    pool.shutdown();
    for (int t = 0; t < threads; t++) {
      assertThat(memory("t" + t + "a"), is(memoryOf("t" + t + "a", 1, "r5", "job-5")));
      assertThat(memory("t" + t + "b").size(), is(3)); // 1 + 5 % 3
    }
    // per thread: a shrinks 6 → 1 (5 deletes); b goes 1,2,3,1,2,3 (2 deletes)
    assertThat(deleted, is(threads * 7L));
    assertThat(wh.count(WarehouseTable.MEMORY_RECORDS), is(threads * 4L));
    assertThat("the per-table write lock prevents conflicts", wh.retries(), is(0L));
  }

  private static List<WarehouseRow> chunks(String call, int n, String version, String job) {
    List<WarehouseRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(chunk(call, i, version, job));
    }
    return rows;
  }

  private static WarehouseRow chunk(String call, int i, String version, String job) {
    return TestRows.memory(call, i, call + " chunk " + i + " " + version, TestRows.vector(4, i))
        .set("JOB_ID", job).build();
  }

  /** MEMORY_ID → "JOB_ID CONTENT" of one call's chunks. */
  private Map<String, String> memory(String call) {
    return names(wh.query("SELECT MEMORY_ID AS k, JOB_ID || ' ' || CONTENT AS v"
        + " FROM AI_MEMORY.MEMORY_RECORDS WHERE SOURCE_ID = ?", call));
  }

  private static Map<String, String> memoryOf(String call, int n, String version, String job) {
    return chunks(call, n, version, job).stream().collect(Collectors.toMap(
        r -> (String) r.get("MEMORY_ID"), r -> job + " " + r.get("CONTENT")));
  }

  private static Map<String, String> names(List<Map<String, Object>> rows) {
    return rows.stream().collect(Collectors.toMap(r -> (String) r.get("k"), r -> (String) r.get("v")));
  }
}
