package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The risk columns of STG_GONG_CALLS (sql 130) on DuckDB: a later row without them (a run that
 * could not classify the call, or the call row before its chunks) keeps the stored values, a new
 * classification replaces them, and a call deleted in Gong loses them with its chunks.
 */
class RiskColumnsStoreTest {
  private static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");
  @TempDir Path dir;

  @Test
  void nullKeepsStoredRisks_newValuesReplaceThem_deletionClearsThem() {
    try (Warehouse wh = Warehouse.open("jdbc:duckdb:" + dir.resolve("w.duckdb"))) {
      wh.applySchema();
      wh.merge(WarehouseTable.STG_CALLS, List.of(row("[{\"category\":\"pricing\"}]", "h1")));
      wh.merge(WarehouseTable.STG_CALLS, List.of(WarehouseRow.of(WarehouseTable.STG_CALLS)
          .set("CALL_ID", "c1").set("CALL_TITLE", "retitled").set("JOB_ID", "j2")
          .set("LOADED_AT", NOW).build()));
      assertThat(one(wh, "SELECT CALL_TITLE FROM STG_TRANSFORMED.STG_GONG_CALLS"), is("retitled"));
      assertThat(one(wh, "SELECT RISK_INDICATORS->>'$[0].category' FROM "
          + "STG_TRANSFORMED.STG_GONG_CALLS"), is("pricing"));
      assertThat(one(wh, "SELECT RISK_INPUT_HASH FROM STG_TRANSFORMED.STG_GONG_CALLS"), is("h1"));
      wh.merge(WarehouseTable.STG_CALLS, List.of(row("[]", "h2")));
      assertThat(one(wh, "SELECT RISK_INDICATORS::VARCHAR FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          is("[]"));
      assertThat(wh.markCallDeleted("c1", "sweep", NOW), is(true));
      assertThat(one(wh, "SELECT RISK_INDICATORS FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          nullValue());
      assertThat(one(wh, "SELECT RISK_METHOD FROM STG_TRANSFORMED.STG_GONG_CALLS"), nullValue());
      assertThat(one(wh, "SELECT ASPECT_SENTIMENT FROM STG_TRANSFORMED.STG_GONG_CALLS"),
          nullValue());
    }
  }

  private static WarehouseRow row(String indicators, String hash) {
    return WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", "c1").set("CALL_TITLE", "t")
        .set("RISK_INDICATORS", new WarehouseRow.Json(indicators))
        .set("RISK_METHOD", "e5-zero-shot-v1").set("RISK_INPUT_HASH", hash)
        .set("ASPECT_SENTIMENT", new WarehouseRow.Json("{}"))
        .set("JOB_ID", "j").set("LOADED_AT", NOW).build();
  }

  private static Object one(Warehouse wh, String sql) {
    List<Map<String, Object>> rows = wh.query(sql);
    return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
  }
}
