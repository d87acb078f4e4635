package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteToWarehouse} on the DirectRunner against a real DuckDB file: exact landing of several
 * tables (composite keys, hostile text, in-input duplicates), idempotent re-runs, and isolation of
 * a poison row inside its batch. The dead-letter output is asserted in every test.
 */
class WriteToWarehouseTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  @TempDir Path tempDir;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T1 = Instant.parse("2025-01-02T03:04:05.123456Z");
  private static final Instant T2 = Instant.parse("2025-02-03T04:05:06Z");
  private static final String SQLISH = "'); DROP TABLE x; --";

  /** Text that breaks naive SQL building, UTF-16 handling or bidi/zero-width-unaware code. */
  private static final List<String> HOSTILE =
      List.of(
          SQLISH,
          "Robert'); DROP TABLE STG_TRANSFORMED.STG_GONG_CALLS; --",
          "Deal 🚀🔥 closed 👍🏽 by 👩‍👩‍👧‍👦",
          "مرحبا بالعالم \u200Fשלום עולם\u200E done",
          "\u202Eevil override\u202C and back",
          "zero\u200Bwidth\u200Cnon\u200Djoiner\uFEFFbom\u2060wj",
          "quotes \" ' ` and back\\slash \\' and ''doubled''",
          "multi\nline\r\nwith\ttab",
          "plain ascii title");

  private static final int CALLS = 250;
  private static final int DUP_CALLS = 10; // call-000..call-009 appear twice with different values
  private static final int PARTICIPANT_CALLS = 50;
  private static final List<String> PARTICIPANT_IDS = List.of("p1", "p2", SQLISH);
  private static final int DUP_PARTICIPANTS = 5; // (call-000..call-004, p1) appear twice

  /** (a) Every row of several tables lands exactly once; a re-run changes nothing. */
  @Test
  void writesManyTablesExactlyAndIdempotently(TestPipeline p) throws Exception {
    String url = "jdbc:duckdb:" + tempDir.resolve("x.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();

      PCollection<DeadLetter> dls = p.apply(Create.of(inputRows("job-1", T1))
              .withCoder(SerializableCoder.of(WarehouseRow.class)))
          .apply(new WriteToWarehouse(WarehouseProvider.of(url), 40, Duration.standardSeconds(30)));
      PAssert.that(dls).empty();
      p.run().waitUntilFinish();

      assertLanded(wh, url, "job-1");

      // Second run over the same rows (a re-run job: only bookkeeping columns differ).
      Pipeline again = Pipeline.create(PipelineOptionsFactory.create());
      PCollection<DeadLetter> dls2 = again.apply(Create.of(inputRows("job-2", T2))
              .withCoder(SerializableCoder.of(WarehouseRow.class)))
          .apply(new WriteToWarehouse(WarehouseProvider.of(url), 40, Duration.standardSeconds(30)));
      PAssert.that(dls2).empty();
      again.run().waitUntilFinish();

      assertLanded(wh, url, "job-1");
    }
  }

  /**
   * (b) One row with invalid JSON in a batch of good rows: its batch fails as a whole, the row is
   * isolated as exactly one {@code write} dead letter carrying its values, and every good row of
   * the batch lands.
   */
  @Test
  void isolatesPoisonRowAndLandsItsBatchMates(TestPipeline p) throws Exception {
    String url = memoryUrl();
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      List<WarehouseRow> rows = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        rows.add(callRow(String.format("good-%02d", i), "good " + i, 60L + i, "[\"ok\"]", "job-p", T1));
      }
      WarehouseRow poison = callRow("poison-1", "poison title " + SQLISH, 1L,
          "{\"key_points\": [\"unterminated", "job-p", T1);
      rows.add(17, poison);

      // batch size > rows: the poison shares its batch with all 30 good rows
      PCollection<DeadLetter> dls = p.apply(Create.of(rows)
              .withCoder(SerializableCoder.of(WarehouseRow.class)))
          .apply(new WriteToWarehouse(WarehouseProvider.of(url), 100, Duration.standardSeconds(30)));
      PAssert.that(dls).satisfies(all -> {
        List<DeadLetter> list = new ArrayList<>();
        all.forEach(list::add);
        assertThat(list, hasSize(1));
        DeadLetter d = list.get(0);
        assertThat(d.stage().stageName(), equalTo("write"));
        assertThat(d.recordKey(), equalTo("STG_TRANSFORMED.STG_GONG_CALLS:poison-1"));
        // A row the warehouse can never write: PERMANENT, isolated without retrying the batch.
        assertThat(d.errorMessage(), containsString("WarehouseException"));
        assertThat(d.kind(), equalTo(com.gongpipeline.errors.FailureKind.PERMANENT));
        assertThat(d.errorMessage(), containsString("KEY_POINTS"));
        assertThat(d.errorMessage(), containsString("not valid JSON"));
        // The payload is the row as JSON, invalid JSON column kept as text, so it can be replayed.
        com.fasterxml.jackson.databind.JsonNode row =
            com.gongpipeline.parse.JsonSupport.parse(d.payload());
        assertThat(row.get("_table").asText(), equalTo("STG_TRANSFORMED.STG_GONG_CALLS"));
        assertThat(row.get("CALL_ID").asText(), equalTo("poison-1"));
        assertThat(row.get("CALL_TITLE").asText(), equalTo("poison title " + SQLISH));
        assertThat(row.get("KEY_POINTS").asText(), containsString("{\"key_points\": [\"unterminated"));
        assertThat(row.get("JOB_ID").asText(), equalTo("job-p"));
        // the batch's merge, then the row's own merge: no retries around the warehouse's
        assertThat(d.attempts(), equalTo(2));
        return null;
      });
      p.run().waitUntilFinish();

      assertThat(wh.count(WarehouseTable.STG_CALLS), equalTo(30L));
      Map<String, Map<String, Object>> byId = readCalls(url);
      assertThat(byId.keySet(), not(hasItem("poison-1")));
      for (int i = 0; i < 30; i++) {
        Map<String, Object> r = byId.get(String.format("good-%02d", i));
        assertThat("good-" + i, r.get("CALL_TITLE"), equalTo("good " + i));
        assertThat(r.get("CALL_DURATION_SECONDS"), equalTo(60L + i));
      }
    }
  }

  /**
   * (b') A value of the wrong Java type for its column (a String in a BIGINT column) is rejected
   * while staging; it too becomes one dead letter and its composite-key batch-mates land.
   */
  @Test
  void isolatesWrongTypeRowWithCompositeKey(TestPipeline p) throws Exception {
    String url = memoryUrl();
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      List<WarehouseRow> rows = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        rows.add(topicRow("c-" + (i % 3), "topic " + i, 10.0 * i));
      }
      rows.add(5, WarehouseRow.of(WarehouseTable.STG_TOPICS)
          .set("CALL_ID", "c-bad")
          .set("TOPIC_NAME", SQLISH)
          .set("DURATION_SECONDS", "forty seconds")
          .set("JOB_ID", "job-t")
          .set("LOADED_AT", T1)
          .build());
      PCollection<DeadLetter> dls = p.apply(Create.of(rows)
              .withCoder(SerializableCoder.of(WarehouseRow.class)))
          .apply(new WriteToWarehouse(WarehouseProvider.of(url), 100, Duration.standardSeconds(30)));
      PAssert.that(dls).satisfies(all -> {
        List<DeadLetter> list = new ArrayList<>();
        all.forEach(list::add);
        assertThat(list, hasSize(1));
        DeadLetter d = list.get(0);
        assertThat(d.stage().stageName(), equalTo("write"));
        assertThat(d.recordKey(), equalTo("STG_TRANSFORMED.STG_GONG_CALL_TOPICS:c-bad|" + SQLISH));
        assertThat(d.errorMessage(), containsString("DURATION_SECONDS"));
        assertThat(d.kind(), equalTo(com.gongpipeline.errors.FailureKind.PERMANENT));
        com.fasterxml.jackson.databind.JsonNode row =
            com.gongpipeline.parse.JsonSupport.parse(d.payload());
        assertThat(row.get("DURATION_SECONDS").asText(), equalTo("forty seconds"));
        assertThat(row.get("TOPIC_NAME").asText(), equalTo(SQLISH));
        return null;
      });
      p.run().waitUntilFinish();
      assertThat(wh.count(WarehouseTable.STG_TOPICS), equalTo(12L));
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static List<WarehouseRow> inputRows(String job, Instant loadedAt) throws Exception {
    List<WarehouseRow> rows = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      String title = i < DUP_CALLS ? "dup-A-" + i : expectedTitle(i);
      rows.add(callRow(callId(i), title, 100L + i, keyPointsJson(i), job, loadedAt));
    }
    for (int i = 0; i < PARTICIPANT_CALLS; i++) {
      for (String pid : PARTICIPANT_IDS) {
        rows.add(participantRow(callId(i), pid, expectedName(i, pid), job, loadedAt));
      }
    }
    // Duplicates of the same key with different values, interleaved with the rest.
    for (int i = 0; i < DUP_CALLS; i++) {
      rows.add(i * 37 % rows.size(),
          callRow(callId(i), "dup-B-" + i, 999L, "[\"other\"]", job, loadedAt));
    }
    for (int i = 0; i < DUP_PARTICIPANTS; i++) {
      rows.add(i * 53 % rows.size(),
          participantRow(callId(i), "p1", "dup-B-" + i, job, loadedAt));
    }
    return rows;
  }

  private void assertLanded(Warehouse wh, String url, String firstJob) throws Exception {
    assertThat(wh.count(WarehouseTable.STG_CALLS), equalTo((long) CALLS));
    assertThat(wh.count(WarehouseTable.STG_PARTICIPANTS),
        equalTo((long) PARTICIPANT_CALLS * PARTICIPANT_IDS.size()));
    // Nothing else was written, and the injected SQL never ran.
    Map<String, Long> counts = wh.tableCounts();
    long others = counts.entrySet().stream()
        .filter(e -> !e.getKey().equals(WarehouseTable.STG_CALLS.qualifiedName())
            && !e.getKey().equals(WarehouseTable.STG_PARTICIPANTS.qualifiedName()))
        .mapToLong(Map.Entry::getValue).sum();
    assertThat(counts.toString(), others, equalTo(0L));
    assertThat(query(url, "SELECT count(*) FROM information_schema.tables WHERE lower(table_name) = 'x'")
        .get(0).get(0), equalTo(0L));

    Map<String, Map<String, Object>> calls = readCalls(url);
    assertThat(calls.size(), equalTo(CALLS));
    for (int i = 0; i < CALLS; i++) {
      Map<String, Object> r = calls.get(callId(i));
      assertThat(callId(i), r, not(nullValue()));
      if (i < DUP_CALLS) {
        // One of the two inputs won, consistently across its columns.
        String title = (String) r.get("CALL_TITLE");
        assertThat(title, in(List.of("dup-A-" + i, "dup-B-" + i)));
        boolean a = title.startsWith("dup-A");
        assertThat(r.get("CALL_DURATION_SECONDS"), equalTo(a ? 100L + i : 999L));
        assertThat(JSON.readTree((String) r.get("KEY_POINTS")),
            equalTo(JSON.readTree(a ? keyPointsJson(i) : "[\"other\"]")));
      } else {
        assertThat(r.get("CALL_TITLE"), equalTo(expectedTitle(i)));
        assertThat(r.get("CALL_DURATION_SECONDS"), equalTo(100L + i));
        assertThat(JSON.readTree((String) r.get("KEY_POINTS")), equalTo(JSON.readTree(keyPointsJson(i))));
        // An unchanged row keeps the bookkeeping of the run that first wrote it.
        assertThat(r.get("JOB_ID"), equalTo(firstJob));
        assertThat(r.get("LOADED_AT_TEXT"), equalTo("2025-01-02 03:04:05.123456"));
      }
    }

    List<List<Object>> parts = query(url,
        "SELECT CALL_ID, PARTICIPANT_ID, PARTICIPANT_NAME, JOB_ID FROM "
            + WarehouseTable.STG_PARTICIPANTS.qualifiedName());
    assertThat(parts, hasSize(PARTICIPANT_CALLS * PARTICIPANT_IDS.size()));
    Map<String, List<Object>> byKey = new HashMap<>();
    for (List<Object> r : parts) {
      assertThat("duplicate key " + r, byKey.put(r.get(0) + "|" + r.get(1), r), nullValue());
    }
    for (int i = 0; i < PARTICIPANT_CALLS; i++) {
      for (String pid : PARTICIPANT_IDS) {
        List<Object> r = byKey.get(callId(i) + "|" + pid);
        assertThat(callId(i) + "|" + pid, r, not(nullValue()));
        if (i < DUP_PARTICIPANTS && pid.equals("p1")) {
          assertThat((String) r.get(2), in(List.of(expectedName(i, pid), "dup-B-" + i)));
        } else {
          assertThat(r.get(2), equalTo(expectedName(i, pid)));
          assertThat(r.get(3), equalTo(firstJob));
        }
      }
    }
  }

  /** A private named in-memory database; it lives while the test's own Warehouse holds it open. */
  private static String memoryUrl() {
    return "jdbc:duckdb::memory:wtw_" + UUID.randomUUID().toString().replace("-", "");
  }

  private static String callId(int i) {
    return String.format("call-%03d", i);
  }

  private static String expectedTitle(int i) {
    return HOSTILE.get(i % HOSTILE.size()) + " #" + i;
  }

  private static String expectedName(int call, String pid) {
    return HOSTILE.get((call + pid.length()) % HOSTILE.size()) + " / " + pid;
  }

  private static String keyPointsJson(int i) throws Exception {
    return JSON.writeValueAsString(List.of(HOSTILE.get((i + 3) % HOSTILE.size()), "point " + i));
  }

  private static WarehouseRow callRow(String id, String title, long seconds, String keyPoints,
      String job, Instant loadedAt) {
    return WarehouseRow.of(WarehouseTable.STG_CALLS)
        .set("CALL_ID", id)
        .set("CALL_TITLE", title)
        .set("CALL_DATETIME_UTC", Instant.parse("2024-06-01T12:00:00Z"))
        .set("CALL_DURATION_SECONDS", seconds)
        .set("IS_PRIVATE", false)
        .set("PARTICIPANT_COUNT", 3)
        .set("KEY_POINTS", new WarehouseRow.Json(keyPoints))
        .set("JOB_ID", job)
        .set("LOADED_AT", loadedAt)
        .build();
  }

  private static WarehouseRow participantRow(String callId, String pid, String name, String job,
      Instant loadedAt) {
    return WarehouseRow.of(WarehouseTable.STG_PARTICIPANTS)
        .set("CALL_ID", callId)
        .set("PARTICIPANT_ID", pid)
        .set("PARTICIPANT_NAME", name)
        .set("AFFILIATION", "External")
        .set("JOB_ID", job)
        .set("LOADED_AT", loadedAt)
        .build();
  }

  private static WarehouseRow topicRow(String callId, String topic, double seconds) {
    return WarehouseRow.of(WarehouseTable.STG_TOPICS)
        .set("CALL_ID", callId)
        .set("TOPIC_NAME", topic)
        .set("DURATION_SECONDS", seconds)
        .set("JOB_ID", "job-t")
        .set("LOADED_AT", T1)
        .build();
  }

  /** STG_GONG_CALLS by id, with LOADED_AT also rendered as text (UTC wall clock). */
  private static Map<String, Map<String, Object>> readCalls(String url) throws Exception {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    try (Connection c = connect(url);
        PreparedStatement ps = c.prepareStatement(
            "SELECT CALL_ID, CALL_TITLE, CALL_DURATION_SECONDS, CAST(KEY_POINTS AS VARCHAR),"
                + " JOB_ID, strftime(LOADED_AT, '%Y-%m-%d %H:%M:%S.%f') FROM "
                + WarehouseTable.STG_CALLS.qualifiedName());
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Map<String, Object> r = new HashMap<>();
        r.put("CALL_TITLE", rs.getString(2));
        r.put("CALL_DURATION_SECONDS", rs.getLong(3));
        r.put("KEY_POINTS", rs.getString(4));
        r.put("JOB_ID", rs.getString(5));
        r.put("LOADED_AT_TEXT", rs.getString(6));
        if (out.put(rs.getString(1), r) != null) {
          throw new AssertionError("two rows for " + rs.getString(1));
        }
      }
    }
    return out;
  }

  private static List<List<Object>> query(String url, String sql) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = connect(url);
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  /**
   * A read-only look at the database the warehouse has open: DuckDB's JDBC driver shares one
   * instance per database inside the JVM, so the configuration must match the warehouse's.
   */
  private static Connection connect(String url) throws Exception {
    Properties p = new Properties();
    p.setProperty("autoinstall_known_extensions", "false");
    p.setProperty("autoload_known_extensions", "false");
    return DriverManager.getConnection(url, p);
  }
}
