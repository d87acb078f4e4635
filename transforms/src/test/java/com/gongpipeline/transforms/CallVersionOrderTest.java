package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.transforms.Flatten;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 6: two versions of one call reach the sink out of order (the stream's parallel,
 * unordered branches). The sink ({@link WriteToWarehouse} + {@link DeleteStaleChildren}) must keep
 * the newer version whatever lands last: its STG row, its turns and its chunks, none of the older
 * version's extra rows, and the older keep-set deletes nothing.
 */
class CallVersionOrderTest {
  private static final String CALL = "c-1";
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path tempDir;

  /** Version 2 lands whole, then version 1 (with one more turn and chunk) arrives: v2 stays. */
  @Test
  void anOlderVersionArrivingAfterANewerOneChangesNothing() {
    String url = "jdbc:duckdb:" + tempDir.resolve("v.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
    }
    write(url, version(2, 2));
    write(url, version(1, 3));

    try (Warehouse wh = Warehouse.open(url)) {
      assertThat(wh.query("SELECT CALL_TITLE, CALL_VERSION FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          contains(Map.of("CALL_TITLE", "title v2", "CALL_VERSION", 2L)));
      assertThat(column(wh, "SELECT TRANSCRIPT_TEXT AS V FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS"
          + " ORDER BY TURN_INDEX"), contains("turn 0 of v2", "turn 1 of v2"));
      assertThat(column(wh, "SELECT CONTENT AS V FROM AI_MEMORY.MEMORY_RECORDS ORDER BY CHUNK_INDEX"),
          contains("chunk 0 of v2", "chunk 1 of v2"));
    }
  }

  /** The reverse order is the ordinary case: the newer version replaces the older one's rows. */
  @Test
  void aNewerVersionReplacesAnOlderOne() {
    String url = "jdbc:duckdb:" + tempDir.resolve("w.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
    }
    write(url, version(1, 3));
    write(url, version(2, 2));

    try (Warehouse wh = Warehouse.open(url)) {
      assertThat(column(wh, "SELECT CALL_TITLE AS V FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          contains("title v2"));
      assertThat(column(wh, "SELECT CONTENT AS V FROM AI_MEMORY.MEMORY_RECORDS ORDER BY CHUNK_INDEX"),
          contains("chunk 0 of v2", "chunk 1 of v2"));
    }
  }

  /**
   * The residual race: version 2's turns and chunks (and its replace) land before its
   * STG_GONG_CALLS row, then version 1's rows and replace arrive. The rows carry their version
   * (sql 120), so version 1 neither overwrites nor adds turns or chunks, and its replace deletes
   * none of version 2's rows, although STG_GONG_CALLS still says version 1.
   */
  @Test
  void aNewerVersionsChildrenLandingBeforeItsCallRowAreNotUndoneByAnOlderVersion() {
    String url = "jdbc:duckdb:" + tempDir.resolve("r.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
    }
    Version v1 = version(1, 3);
    Version v2 = version(2, 2);
    write(url, v1);
    write(url, new Version(children(v2.rows()), v2.keys())); // v2 without its call row
    write(url, v1); // the older version's pane, late
    try (Warehouse wh = Warehouse.open(url)) {
      // The MERGE's own guard, without the sink's look-up: an older row never overwrites a
      // newer one of the same key (the rows both versions have: turns and chunks 0 and 1).
      wh.merge(WarehouseTable.STG_TRANSCRIPTS,
          rowsOf(v1.rows(), WarehouseTable.STG_TRANSCRIPTS).subList(0, 2));
      wh.merge(WarehouseTable.MEMORY_RECORDS,
          rowsOf(v1.rows(), WarehouseTable.MEMORY_RECORDS).subList(0, 2));
      for (ChildKeys k : v1.keys()) {
        wh.deleteStaleChildren(k); // and an older replace deletes none of the newer rows
      }
    }
    write(url, new Version(rowsOf(v2.rows(), WarehouseTable.STG_CALLS), List.of()));

    try (Warehouse wh = Warehouse.open(url)) {
      assertThat(column(wh, "SELECT TRANSCRIPT_TEXT || ' @' || CALL_VERSION AS V FROM "
          + "STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS ORDER BY TURN_INDEX"),
          contains("turn 0 of v2 @2", "turn 1 of v2 @2"));
      assertThat(column(wh, "SELECT CONTENT || ' @' || CALL_VERSION AS V FROM "
          + "AI_MEMORY.MEMORY_RECORDS ORDER BY CHUNK_INDEX"),
          contains("chunk 0 of v2 @2", "chunk 1 of v2 @2"));
      assertThat(column(wh, "SELECT CALL_TITLE AS V FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          contains("title v2"));
    }
  }

  /**
   * The MERGE alone (no look-up before it, as when a concurrent newer write lands between the
   * sink's look-up and its MERGE): once version 2 has landed, version 1's rows add nothing, not
   * even the turn and chunk whose keys version 2 no longer has, in the tables that carry the
   * version; and version 1's STG row does not overwrite version 2's.
   */
  @Test
  void theMergeItselfNeverAddsAnOlderVersionsExtraKeys() {
    String url = "jdbc:duckdb:" + tempDir.resolve("m.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
    }
    write(url, version(2, 2));
    Version v1 = version(1, 3);
    try (Warehouse wh = Warehouse.open(url)) {
      for (WarehouseTable t : List.of(WarehouseTable.STG_CALLS, WarehouseTable.STG_TRANSCRIPTS,
          WarehouseTable.MEMORY_RECORDS)) {
        wh.merge(t, rowsOf(v1.rows(), t));
      }
      assertThat(column(wh, "SELECT TRANSCRIPT_TEXT || ' @' || CALL_VERSION AS V FROM "
          + "STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS ORDER BY TURN_INDEX"),
          contains("turn 0 of v2 @2", "turn 1 of v2 @2"));
      assertThat(column(wh, "SELECT CONTENT || ' @' || CALL_VERSION AS V FROM "
          + "AI_MEMORY.MEMORY_RECORDS ORDER BY CHUNK_INDEX"),
          contains("chunk 0 of v2 @2", "chunk 1 of v2 @2"));
      assertThat(column(wh, "SELECT CALL_TITLE AS V FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          contains("title v2"));
    }
    // Only STG_GONG_CALLS has version 2 so far (its children not yet landed): version 1's
    // children are refused on the call row's version alone.
    String url2 = "jdbc:duckdb:" + tempDir.resolve("m2.duckdb");
    try (Warehouse wh = Warehouse.open(url2)) {
      wh.applySchema();
      wh.merge(WarehouseTable.STG_CALLS, rowsOf(version(2, 2).rows(), WarehouseTable.STG_CALLS));
      wh.merge(WarehouseTable.MEMORY_RECORDS, rowsOf(v1.rows(), WarehouseTable.MEMORY_RECORDS));
      assertThat(column(wh, "SELECT CONTENT AS V FROM AI_MEMORY.MEMORY_RECORDS"), empty());
    }
  }

  private static List<WarehouseRow> children(List<WarehouseRow> rows) {
    List<WarehouseRow> out = new ArrayList<>();
    for (WarehouseRow r : rows) {
      if (r.table() != WarehouseTable.STG_CALLS) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<WarehouseRow> rowsOf(List<WarehouseRow> rows, WarehouseTable table) {
    List<WarehouseRow> out = new ArrayList<>();
    for (WarehouseRow r : rows) {
      if (r.table() == table) {
        out.add(r);
      }
    }
    return out;
  }

  /** One call's rows and key sets as version {@code v} of it, with {@code children} turns/chunks. */
  private record Version(List<WarehouseRow> rows, List<ChildKeys> keys) {}

  private static Version version(long v, int children) {
    List<WarehouseRow> rows = new ArrayList<>();
    rows.add(WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", CALL)
        .set("CALL_TITLE", "title v" + v).set("IS_DELETED", false).set("JOB_ID", "job-v" + v)
        .set("LOADED_AT", NOW).build().withCallVersion(v));
    List<String> turnIds = new ArrayList<>();
    List<String> memoryIds = new ArrayList<>();
    for (int i = 0; i < children; i++) {
      turnIds.add(CALL + ":" + i);
      memoryIds.add("gong:" + CALL + ":" + i);
      rows.add(WarehouseRow.of(WarehouseTable.STG_TRANSCRIPTS).set("TRANSCRIPT_ID", CALL + ":" + i)
          .set("CALL_ID", CALL).set("TURN_INDEX", i).set("TRANSCRIPT_TEXT", "turn " + i + " of v" + v)
          .set("JOB_ID", "job-v" + v).set("LOADED_AT", NOW).build().withCallVersion(v));
      rows.add(WarehouseRow.of(WarehouseTable.MEMORY_RECORDS).set("MEMORY_ID", "gong:" + CALL + ":" + i)
          .set("SOURCE_TYPE", "gong").set("SOURCE_ID", CALL).set("CHUNK_INDEX", i)
          .set("CONTENT", "chunk " + i + " of v" + v).set("CONTENT_HASH", "h" + v + i)
          .set("JOB_ID", "job-v" + v).set("LOADED_AT", NOW).build().withCallVersion(v));
    }
    return new Version(rows, List.of(
        new ChildKeys(WarehouseTable.STG_TRANSCRIPTS, "CALL_ID", CALL, "TRANSCRIPT_ID", turnIds, v),
        new ChildKeys(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", CALL, "MEMORY_ID", memoryIds, v)));
  }

  /** Runs the sink over one version: rows MERGEd, then the stale children deleted. */
  private static void write(String url, Version version) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    WarehouseProvider wh = WarehouseProvider.of(url);
    PCollection<DeadLetter> merged = p.apply("Rows", Create.of(version.rows())
            .withCoder(SerializableCoder.of(WarehouseRow.class)))
        .apply(new WriteToWarehouse(wh, 100, Duration.standardSeconds(30)));
    PAssert.that(merged).empty();
    p.run().waitUntilFinish();
    if (version.keys().isEmpty()) {
      return;
    }
    // The key sets after the rows, as the newer version's delete would come after its MERGE.
    Pipeline q = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<DeadLetter> deleted = q.apply("Keys", Create.of(version.keys())
            .withCoder(SerializableCoder.of(ChildKeys.class)))
        .apply(new DeleteStaleChildren(wh));
    PAssert.that(deleted).empty();
    q.run().waitUntilFinish();
  }

  private static List<Object> column(Warehouse wh, String sql) {
    List<Object> out = new ArrayList<>();
    for (Map<String, Object> row : wh.query(sql)) {
      out.add(row.get("V"));
    }
    return out;
  }
}
