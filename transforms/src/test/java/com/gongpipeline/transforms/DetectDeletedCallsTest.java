package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 5: {@link DetectDeletedCalls} behind {@code GongIO.readCalls().withListedWindowsTo}
 * removes stored calls that Gong no longer lists in a COMPLETELY listed window, and nothing from a
 * window whose listing failed.
 */
class DetectDeletedCallsTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  @TempDir Path tempDir;

  private static final Instant DAY0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant DAY1 = DAY0.plus(Duration.ofDays(1));
  private static final Instant DAY2 = DAY1.plus(Duration.ofDays(1));
  private static final String JOB = "incremental-sweep";

  /**
   * Day 0 lists completely (only "kept"); day 1 fails to list. "gone" (day 0, unlisted) is removed
   * (chunks, turns, flag); "unsure" (day 1) survives because its window was not fully listed;
   * "edge" survives because Gong may list it by its scheduled time, which lies in another window.
   */
  @Test
  void removesOnlyCallsMissingFromACompletelyListedWindow(TestPipeline p) {
    String url = "jdbc:duckdb:" + tempDir.resolve("d.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      store(wh, "kept", DAY0.plusSeconds(3600), null);
      store(wh, "gone", DAY0.plusSeconds(7200), DAY0.plusSeconds(7000));
      store(wh, "edge", DAY0.plusSeconds(60), DAY0.minusSeconds(600));
      store(wh, "unsure", DAY1.plusSeconds(3600), null);
    }
    FakeGongClients gong = new FakeGongClients("sweep").listing(DAY0, "kept")
        .failListing(DAY1, FailureKind.RATE_LIMITED);
    StageResult<FetchedCall> read = p.apply(GongIO.readCalls().withClientFactory(gong)
        .withWindow(new TimeWindow(DAY0, DAY2)).withListWindow(Duration.ofDays(1))
        .withListedWindowsTo(new DetectDeletedCalls(WarehouseProvider.of(url), JOB)));
    PCollection<String> stages = read.deadLetters().apply(MapElements
        .into(TypeDescriptors.strings()).via((DeadLetter d) -> d.stage().stageName()));
    PAssert.that(stages).containsInAnyOrder("list_calls");
    p.run().waitUntilFinish();

    try (Warehouse wh = Warehouse.open(url)) {
      assertThat(ids(wh, "SELECT CALL_ID AS V FROM STG_TRANSFORMED.STG_GONG_CALLS"
          + " WHERE IS_DELETED ORDER BY 1"), contains("gone"));
      assertThat(wh.query("SELECT DELETED_AT FROM STG_TRANSFORMED.STG_GONG_CALLS"
          + " WHERE CALL_ID = 'gone'").get(0).get("DELETED_AT"), notNullValue());
      assertThat(ids(wh, "SELECT DISTINCT SOURCE_ID AS V FROM AI_MEMORY.MEMORY_RECORDS"),
          containsInAnyOrder("kept", "edge", "unsure"));
      assertThat(ids(wh, "SELECT DISTINCT CALL_ID AS V FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS"),
          containsInAnyOrder("kept", "edge", "unsure"));
      assertThat(wh.callsDeletedBy(JOB), equalTo(1L));

      // It reappears (made public again): its normal MERGE restores it.
      wh.merge(WarehouseTable.STG_CALLS, List.of(StagingRowsFixture.call("gone",
          DAY0.plusSeconds(7200), DAY0.plusSeconds(7000))));
      assertThat(ids(wh, "SELECT CALL_ID AS V FROM STG_TRANSFORMED.STG_GONG_CALLS"
          + " WHERE IS_DELETED IS NOT TRUE AND DELETED_AT IS NULL ORDER BY 1"),
          contains("edge", "gone", "kept", "unsure"));
    }
  }

  private static void store(Warehouse wh, String id, Instant started, Instant scheduled) {
    wh.merge(WarehouseTable.STG_CALLS, List.of(StagingRowsFixture.call(id, started, scheduled)));
    wh.merge(WarehouseTable.STG_TRANSCRIPTS, List.of(WarehouseRow.of(WarehouseTable.STG_TRANSCRIPTS)
        .set("TRANSCRIPT_ID", id + ":0").set("CALL_ID", id).set("TURN_INDEX", 0)
        .set("TRANSCRIPT_TEXT", "hello").set("JOB_ID", "backfill").set("LOADED_AT", started)
        .build()));
    wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(WarehouseRow.of(WarehouseTable.MEMORY_RECORDS)
        .set("MEMORY_ID", "gong:" + id + ":0").set("SOURCE_TYPE", "gong").set("SOURCE_ID", id)
        .set("CHUNK_INDEX", 0).set("CONTENT", "hello").set("CONTENT_HASH", "h")
        .set("JOB_ID", "backfill").set("LOADED_AT", started).build()));
  }

  /** STG_GONG_CALLS rows as the pipeline writes them (IS_DELETED false). */
  static final class StagingRowsFixture {
    static WarehouseRow call(String id, Instant started, Instant scheduled) {
      return WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", id)
          .set("CALL_DATETIME_UTC", started).set("CALL_SCHEDULED_UTC", scheduled)
          .set("IS_DELETED", false).set("JOB_ID", "backfill").set("LOADED_AT", started).build();
    }
  }

  private static List<Object> ids(Warehouse wh, String sql) {
    List<Object> out = new ArrayList<>();
    for (Map<String, Object> row : wh.query(sql)) {
      out.add(row.get("V"));
    }
    return out;
  }
}
