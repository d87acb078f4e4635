package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Warehouse#deleteStaleChildren} (what a changed call no longer has is deleted, nothing else)
 * and {@link Warehouse#storedTurns} (what a re-read turn can reuse).
 */
class DuckDbStaleChildrenTest extends WithSchemaWarehouse {

  @Test
  void deletesOnlyTheParentsRowsOutsideTheKeepSet() {
    for (int i = 0; i < 5; i++) {
      wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(
          TestRows.memory("c1", i, "c1 chunk " + i, TestRows.vector(4, i)).build(),
          TestRows.memory("c2", i, "c2 chunk " + i, TestRows.vector(4, i)).build()));
    }
    long deleted = wh.deleteStaleChildren(WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", "c1",
        "MEMORY_ID", List.of("gong:c1:0", "gong:c1:1", "gong:c1:2"));
    assertThat(deleted, is(2L));
    assertThat(TestRows.scalar(wh,
        "SELECT count(*) FROM AI_MEMORY.MEMORY_RECORDS WHERE SOURCE_ID = ?", "c1"), is(3L));
    assertThat("other calls untouched", TestRows.scalar(wh,
        "SELECT count(*) FROM AI_MEMORY.MEMORY_RECORDS WHERE SOURCE_ID = ?", "c2"), is(5L));
    assertThat("a second delete with the same set is a no-op", wh.deleteStaleChildren(
        WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", "c1", "MEMORY_ID",
        List.of("gong:c1:0", "gong:c1:1", "gong:c1:2")), is(0L));
    assertThat("an empty keep-set removes all of the call's rows", wh.deleteStaleChildren(
        WarehouseTable.MEMORY_RECORDS, "SOURCE_ID", "c1", "MEMORY_ID", List.of()), is(3L));
    assertThat(wh.count(WarehouseTable.MEMORY_RECORDS), is(5L));
  }

  @Test
  void compositeKeysAndSqlLookingValuesAreBound() {
    String sqlish = "'); DROP TABLE STG_TRANSFORMED.STG_GONG_CALL_TOPICS; --";
    wh.merge(WarehouseTable.STG_TOPICS, List.of(
        TestRows.topic("c1", "Pricing", 10, "j"), TestRows.topic("c1", sqlish, 5, "j"),
        TestRows.topic("c2", "Pricing", 7, "j")));
    assertThat(wh.deleteStaleChildren(WarehouseTable.STG_TOPICS, "CALL_ID", "c1", "TOPIC_NAME",
        List.of("Pricing")), is(1L));
    assertThat(wh.count(WarehouseTable.STG_TOPICS), is(2L));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> wh.deleteStaleChildren(WarehouseTable.STG_TOPICS, "CALL_ID", "c1", "NOPE",
            List.of()));
    assertThat(bad.getMessage(), containsString("NOPE"));
  }

  @Test
  void storedTurnsCarryTextScoreAndTheCallsSentimentModel() {
    wh.merge(WarehouseTable.STG_CALLS, List.of(WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", "c1").set("SENTIMENT_MODEL", "vader-1.0").set("JOB_ID", "j")
        .set("LOADED_AT", TestRows.T0).build()));
    wh.merge(WarehouseTable.STG_TRANSCRIPTS, List.of(
        turn("c1", 0, "Hello there.", 0.25), turn("c1", 1, "Too expensive.", null),
        turn("c2", 0, "Other call.", 0.5)));
    Map<String, StoredTurn> turns = wh.storedTurns(List.of("c1"));
    assertThat(turns.size(), is(2));
    assertThat(turns.get("c1:0"), equalTo(new StoredTurn("c1:0", "Hello there.", 0.25,
        "vader-1.0")));
    assertThat(turns.get("c1:1").sentiment(), nullValue());
    assertThat("a turn without its call row has no model",
        wh.storedTurns(List.of("c2")).get("c2:0").sentimentModel(), nullValue());
  }

  private static WarehouseRow turn(String call, int i, String text, Double sentiment) {
    return WarehouseRow.of(WarehouseTable.STG_TRANSCRIPTS)
        .set("TRANSCRIPT_ID", call + ":" + i).set("CALL_ID", call).set("TURN_INDEX", i)
        .set("TRANSCRIPT_TEXT", text).set("SEGMENT_SENTIMENT", sentiment).set("JOB_ID", "j")
        .set("LOADED_AT", TestRows.T0).build();
  }
}
