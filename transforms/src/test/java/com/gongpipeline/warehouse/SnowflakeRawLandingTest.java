package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.arrayContaining;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RAW landing path: CSV rows in landing-table order, and the statements of one load. */
class SnowflakeRawLandingTest {

  @Test
  void csvRowsFollowTheLandingTableColumns() {
    WarehouseRow call = WarehouseRow.of(WarehouseTable.RAW_CALLS).set("CALL_ID", "1001")
        .set("CALL_STARTED_AT", TestRows.T0).set("PAYLOAD", new WarehouseRow.Json("{\"a\":1}"))
        .set("PAYLOAD_HASH", "h").set("JOB_ID", "job-1").set("INGESTED_AT", TestRows.T0).build();
    assertThat(SnowflakeRawLanding.csvRow(call, "load-1"), arrayContaining("GONG_CALLS_RAW",
        "1001", "2024-03-01 10:15:30.123456", "{\"a\":1}", "h", "job-1",
        "2024-03-01 10:15:30.123456", "load-1"));
    DdlTables landing = DdlTables.parse(DdlTables.resource(SnowflakeRawLanding.DDL_RESOURCE));
    assertThat(landing.tables().get("RAW.GONG_RAW_LANDING").stream().map(Column::name).toList(),
        is(List.of("TARGET_TABLE", "RECORD_KEY", "CALL_STARTED_AT", "PAYLOAD", "PAYLOAD_HASH",
            "JOB_ID", "INGESTED_AT", "LOAD_ID")));
  }

  @Test
  void aLoadIsStagedMergedAndDroppedPerRawTableThenClearedFromTheLandingTable() throws Exception {
    FakeJdbc jdbc = new FakeJdbc();
    jdbc.mergeInserted = 2;
    jdbc.mergeUpdated = 1;
    Map<String, Long> written;
    try (Connection c = jdbc.source().open()) {
      written = SnowflakeRawLanding.mergeLoad(c, "load-1");
    }
    assertThat(written, is(Map.of("RAW.GONG_CALLS_RAW", 3L, "RAW.GONG_CALL_TRANSCRIPTS_RAW", 3L,
        "RAW.GONG_USERS_RAW", 3L, "RAW.GONG_WORKSPACES_RAW", 3L)));
    List<String> sent = jdbc.log.stream().filter(l -> !l.equals("close")).toList();
    assertThat(sent.size(), is(4 * 3 + 1));
    for (int i = 0; i < 4; i++) {
      String table = SnowflakeRawLanding.TARGETS.get(i).table();
      assertThat(sent.get(3 * i), startsWith("CREATE TEMPORARY TABLE \"RAW\".\"GP_STAGE_" + table));
      assertThat(sent.get(3 * i + 1), is("MERGE INTO \"RAW\".\"" + table + "\" AS t"));
      assertThat(sent.get(3 * i + 2), startsWith("DROP TABLE IF EXISTS \"RAW\".\"GP_STAGE_" + table));
    }
    assertThat(sent.get(12), is("DELETE FROM \"RAW\".\"GONG_RAW_LANDING\" WHERE \"LOAD_ID\" = ?"));
  }
}
