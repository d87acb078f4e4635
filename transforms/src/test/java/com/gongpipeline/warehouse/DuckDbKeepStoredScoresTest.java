package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An outage never overwrites a stored score: a NULL sentiment or embedding (the model or the
 * stored-score look-up failed this run) keeps the stored value, while a real new value replaces it
 * and other columns still update.
 */
class DuckDbKeepStoredScoresTest extends WithSchemaWarehouse {

  private static WarehouseRow call(String title, Double score, String model) {
    WarehouseRow base = TestRows.stgCall("c1", title, "job-1");
    WarehouseRow.Builder b = WarehouseRow.of(WarehouseTable.STG_CALLS);
    base.values().forEach(b::set);
    return b.set("SENTIMENT_SCORE", score).set("SENTIMENT_MODEL", model).build();
  }

  @Test
  void aNullCallSentimentKeepsTheStoredScoreWhileOtherColumnsUpdate() {
    wh.merge(WarehouseTable.STG_CALLS, List.of(call("Pricing", 0.5, "vader")));

    // Sentiment failed this run, and the title changed: the title lands, the score stays.
    assertThat(wh.merge(WarehouseTable.STG_CALLS, List.of(call("Pricing v2", null, null))),
        is(new MergeResult(0, 1, 0)));
    Map<String, Object> row = TestRows.read(wh, WarehouseTable.STG_CALLS, "c1");
    assertThat(row.get("CALL_TITLE"), equalTo("Pricing v2"));
    assertThat(row.get("SENTIMENT_SCORE"), equalTo(0.5));
    assertThat(row.get("SENTIMENT_MODEL"), equalTo("vader"));

    // Only the score is missing: that alone is no change.
    assertThat(wh.merge(WarehouseTable.STG_CALLS, List.of(call("Pricing v2", null, null))),
        is(new MergeResult(0, 0, 1)));

    // A computed score replaces the stored one.
    wh.merge(WarehouseTable.STG_CALLS, List.of(call("Pricing v2", -0.25, "vader")));
    assertThat(TestRows.read(wh, WarehouseTable.STG_CALLS, "c1").get("SENTIMENT_SCORE"),
        equalTo(-0.25));
  }

  @Test
  void aNullEmbeddingOrChunkSentimentKeepsTheStoredOnes() {
    float[] vector = TestRows.vector(8, 7);
    wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(TestRows.memory("c1", 0, "hello", vector)
        .set("SENTIMENT_SCORE", 0.3).set("SENTIMENT_MODEL", "vader").build()));

    wh.merge(WarehouseTable.MEMORY_RECORDS, List.of(TestRows.memory("c1", 0, "hello", vector)
        .set("EMBEDDING", null).set("EMBEDDING_MODEL", null).set("EMBEDDING_DIM", null)
        .set("SENTIMENT_SCORE", null).set("SENTIMENT_MODEL", null).build()));

    Map<String, Object> row = TestRows.read(wh, WarehouseTable.MEMORY_RECORDS, "gong:c1:0");
    assertArrayEquals(vector, (float[]) row.get("EMBEDDING"));
    assertThat(row.get("EMBEDDING_DIM"), equalTo(8));
    assertThat(row.get("SENTIMENT_SCORE"), equalTo(0.3));
    assertThat(row.get("SENTIMENT_MODEL"), equalTo("vader"));
  }

  /** Both dialects build the guard from the table spec (the Snowflake text is what it runs). */
  @Test
  void bothDialectsCoalesceOnlyTheFlaggedColumns() {
    TableSpec spec = TableSpec.of(WarehouseTable.STG_CALLS);
    List<Column> cols = List.of(new Column("CALL_ID", "VARCHAR", false),
        new Column("CALL_TITLE", "VARCHAR", true), new Column("SENTIMENT_SCORE", "DOUBLE", true));
    for (SqlDialect d : List.of(new DuckDbDialect(), new SnowflakeDialect())) {
      String sql = d.merge(spec, cols, "stage");
      assertThat(d.getClass().getSimpleName(), sql,
          containsString("\"SENTIMENT_SCORE\" = COALESCE(s.\"SENTIMENT_SCORE\", t.\"SENTIMENT_SCORE\")"));
      assertThat(sql, containsString("(s.\"SENTIMENT_SCORE\" IS NOT NULL AND t.\"SENTIMENT_SCORE\" "
          + "IS DISTINCT FROM s.\"SENTIMENT_SCORE\")"));
      assertThat(sql, containsString("\"CALL_TITLE\" = s.\"CALL_TITLE\""));
    }
  }
}
