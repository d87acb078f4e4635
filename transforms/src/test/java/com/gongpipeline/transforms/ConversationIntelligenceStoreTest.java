package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.parse.GongCallParser;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.SchemaCheck;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 section 1 in the warehouse (DuckDB): Gong's analysis columns and tracker tables are
 * written, kept when a re-fetch lacks them, removed with a deleted call, and added to a warehouse
 * made before migration 110.
 */
class ConversationIntelligenceStoreTest {
  private static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");
  @TempDir Path dir;

  private static String fixture(String name) throws IOException {
    try (InputStream in = ConversationIntelligenceStoreTest.class.getResourceAsStream("/gong/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static ParsedCall parse(String callJson, long version) throws IOException {
    return GongCallParser.parse(new FetchedCall("555", callJson,
        fixture("transcript_intelligence.json"), version), "job-" + version, NOW, w -> { });
  }

  /** Writes a parsed call as the pipeline does: STG rows, tracker rows, then stale children out. */
  private static void write(Warehouse wh, ParsedCall p) {
    wh.merge(WarehouseTable.STG_CALLS,
        List.of(StagingRows.call(p.call(), null, null).withCallVersion(p.context().version())));
    List<WarehouseRow> turns = new ArrayList<>();
    p.turns().forEach(t -> turns.add(StagingRows.turn(t, null, "j", NOW)));
    wh.merge(WarehouseTable.STG_TRANSCRIPTS, turns);
    List<WarehouseRow> trackers = new ArrayList<>();
    List<WarehouseRow> occurrences = new ArrayList<>();
    for (WarehouseRow r : StagingRows.trackerRows(p)) {
      (r.table() == WarehouseTable.STG_TRACKERS ? trackers : occurrences).add(r);
    }
    if (!trackers.isEmpty()) {
      wh.merge(WarehouseTable.STG_TRACKERS, trackers);
    }
    if (!occurrences.isEmpty()) {
      wh.merge(WarehouseTable.STG_TRACKER_OCCURRENCES, occurrences);
    }
    for (ChildKeys keys : StagingRows.keySets(p)) {
      wh.deleteStaleChildren(keys);
    }
  }

  private static Object one(Warehouse wh, String sql) {
    List<Map<String, Object>> rows = wh.query(sql);
    return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
  }

  @Test
  void refetchWithoutTheFields_keepsStoredValuesAndRows_deletionRemovesTheChildRows()
      throws IOException {
    String url = "jdbc:duckdb:" + dir.resolve("w.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      write(wh, parse(fixture("call_extensive_intelligence.json"), 1));
      assertThat(one(wh, "SELECT CALL_OUTCOME FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          is("Meeting booked"));
      assertThat(((Number) one(wh, "SELECT TALK_RATIO FROM STG_TRANSFORMED.STG_GONG_CALLS"))
          .doubleValue(), closeTo(0.5, 1e-12));
      assertThat(one(wh, "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKERS"), is(3L));
      assertThat(one(wh,
          "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKER_OCCURRENCES"), is(3L));
      assertThat(String.valueOf(one(wh, "SELECT NEXT_STEPS->>'$[0].speaker_name'"
          + " FROM STG_TRANSFORMED.STG_GONG_CALLS")), is("Dana Rep"));
      assertThat(String.valueOf(one(wh, "SELECT EXTRACTED_ENTITIES FROM"
          + " STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS WHERE TURN_INDEX = 1")),
          containsString("Quillstack"));

      // A newer fetch without content or interaction (missing, not empty) erases nothing.
      ObjectNode bare = (ObjectNode) JsonSupport.parse(fixture("call_extensive_intelligence.json"));
      bare.remove("content");
      bare.remove("interaction");
      write(wh, parse(JsonSupport.write(bare), 2));
      assertThat(one(wh, "SELECT CALL_VERSION FROM STG_TRANSFORMED.STG_GONG_CALLS"), is(2L));
      assertThat(one(wh, "SELECT CALL_OUTCOME FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          is("Meeting booked"));
      assertThat(one(wh, "SELECT QUESTIONS_COMPANY FROM STG_TRANSFORMED.STG_GONG_CALLS"), is(7));
      assertThat(one(wh, "SELECT NEXT_STEPS IS NOT NULL FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          is(true));
      assertThat(one(wh, "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKERS"), is(3L));
      assertThat(one(wh,
          "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKER_OCCURRENCES"), is(3L));

      // A fetch whose trackers changed replaces them as a set.
      ObjectNode fewer = (ObjectNode) JsonSupport.parse(fixture("call_extensive_intelligence.json"));
      ((com.fasterxml.jackson.databind.node.ArrayNode) fewer.get("content").get("trackers"))
          .remove(0);
      write(wh, parse(JsonSupport.write(fewer), 3));
      assertThat(one(wh, "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKERS"), is(2L));
      assertThat(one(wh,
          "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKER_OCCURRENCES"), is(1L));

      // Deleted in Gong: its trackers and occurrences go with its turns.
      assertThat(wh.markCallDeleted("555", "sweep", NOW), is(true));
      assertThat(one(wh, "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKERS"), is(0L));
      assertThat(one(wh,
          "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKER_OCCURRENCES"), is(0L));
    }
  }

  @Test
  void aWarehouseMadeBeforeMigration110_getsTheColumnsAndTables_keepingItsRows() throws Exception {
    String url = "jdbc:duckdb:" + dir.resolve("old.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.merge(WarehouseTable.STG_CALLS, List.of(WarehouseRow.of(WarehouseTable.STG_CALLS)
          .set("CALL_ID", "old").set("JOB_ID", "j").set("LOADED_AT", NOW).build()));
    }
    // Make it the pre-110 shape.
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      for (String col : List.of("CALL_OUTCOME", "CALL_OUTCOME_ID", "NEXT_STEPS", "TALK_RATIO",
          "LONGEST_MONOLOGUE_SECONDS", "LONGEST_CUSTOMER_STORY_SECONDS", "INTERACTIVITY",
          "PATIENCE", "QUESTIONS_COMPANY", "QUESTIONS_NON_COMPANY", "PRIMARY_USER_NAME",
          "HUBSPOT_CONTACT_ID", "HIGHLIGHTS", "OUTLINE")) {
        st.execute("ALTER TABLE STG_TRANSFORMED.STG_GONG_CALLS DROP COLUMN " + col);
      }
      st.execute("ALTER TABLE STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS DROP COLUMN EXTRACTED_ENTITIES");
      st.execute("DROP TABLE STG_TRANSFORMED.STG_GONG_CALL_TRACKERS");
      st.execute("DROP TABLE STG_TRANSFORMED.STG_GONG_CALL_TRACKER_OCCURRENCES");
    }
    try (Warehouse wh = Warehouse.open(url)) {
      SchemaCheck before = wh.checkSchema();
      assertThat(before.current(), is(false));
      assertThat(before.missingColumns().get("STG_TRANSFORMED.STG_GONG_CALLS").contains("TALK_RATIO"),
          is(true));
      wh.applySchema();
      SchemaCheck after = wh.checkSchema();
      assertThat(after.missingTables(), is(empty()));
      assertThat(after.missingColumns().isEmpty(), is(true));
      assertThat(after.writeFailures().isEmpty(), is(true));
      assertThat(one(wh, "SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS"), is("old"));
      write(wh, parse(fixture("call_extensive_intelligence.json"), 1));
      assertThat(one(wh, "SELECT PRIMARY_USER_NAME FROM STG_TRANSFORMED.STG_GONG_CALLS"
          + " WHERE CALL_ID = '555'"), is("Dana Rep"));
    }
  }
}
