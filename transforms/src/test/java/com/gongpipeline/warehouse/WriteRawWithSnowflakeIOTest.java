package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.opencsv.CSVParserBuilder;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.ICSVParser;
import com.opencsv.enums.CSVReaderNullFieldIndicator;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeBatchServiceConfig;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeServices;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteRawWithSnowflakeIO} in a TestPipeline with a custom {@link SnowflakeServices}
 * standing in for Snowflake: its batch write reads the gzip CSV files SnowflakeIO staged (as
 * Snowflake's COPY would, with SnowflakeIO's quote character), checks what the COPY would be
 * told, and merges the rows into RAW of an in-memory DuckDB warehouse the way the landing MERGE
 * does (latest ingest per key wins).
 */
class WriteRawWithSnowflakeIOTest {
  @RegisterExtension final TestPipelineExtension pipelines = TestPipelineExtension.create();

  private static final Instant T0 = Instant.parse("2024-03-01T10:15:30.123456Z");
  private static final String DUCK = "jdbc:duckdb::memory:write-raw-sfio";
  /** What the stand-in saw, per load id (DoFns are serialized: state lives here). */
  static final Map<String, List<String>> COPIES = new ConcurrentHashMap<>();

  @Test
  void stagedCsvFilesCarryEveryRawRowVerbatimAndMergeByKey(TestPipeline p, @TempDir Path stage)
      throws Exception {
    String tricky = "{\"metaData\":{\"title\":\"Q3 'pricing', \\\"SOC 2\\\"\\nnext line ✓\"}}";
    List<WarehouseRow> rows = List.of(
        raw(WarehouseTable.RAW_CALLS, "1001", tricky, "h1", T0),
        raw(WarehouseTable.RAW_CALLS, "1002", "{\"metaData\":{\"id\":\"1002\"}}", "h2", T0),
        raw(WarehouseTable.RAW_CALLS, "1002", "{\"metaData\":{\"id\":\"1002\",\"v\":2}}", "h2b",
            T0.plusSeconds(5)),
        raw(WarehouseTable.RAW_USERS, "u1", "{\"id\":\"u1\",\"emailAddress\":\"a@b.c\"}", "hu", T0),
        raw(WarehouseTable.RAW_WORKSPACES, "w1", "{\"id\":\"w1\"}", "hw", T0));
    try (Warehouse wh = Warehouse.open(DUCK)) {
      wh.applySchema();
      WriteRawWithSnowflakeIO write = WriteRawWithSnowflakeIO.to(
              "jdbc:snowflake://acct.snowflakecomputing.com/", "GONG", stage + "/", "GONG_GCS")
          .withSnowflakeServices(new CsvIntoDuckDb());
      p.apply(Create.of(rows)).apply(write);
      p.run().waitUntilFinish();

      assertThat(COPIES.get(write.loadId()), is(List.of(
          "RAW.GONG_RAW_LANDING via GONG_GCS, CREATE_NEVER/APPEND, quote ', rows 5")));
      List<Map<String, Object>> calls = wh.query("SELECT CALL_ID, CAST(PAYLOAD AS VARCHAR) AS P,"
          + " PAYLOAD_HASH, CALL_STARTED_AT FROM RAW.GONG_CALLS_RAW ORDER BY CALL_ID");
      assertThat(calls.size(), is(2));
      assertThat(calls.get(0).get("P"), is(tricky));
      assertThat(calls.get(0).get("CALL_STARTED_AT"), is(T0));
      assertThat(calls.get(1).get("PAYLOAD_HASH"), is("h2b"));
      assertThat(wh.count(WarehouseTable.RAW_USERS), is(1L));
      assertThat(wh.count(WarehouseTable.RAW_WORKSPACES), is(1L));
    }
  }

  @Test
  void onlyRawRowsCanBeLanded() {
    WarehouseRow stg = WarehouseRow.of(WarehouseTable.STG_CALLS).set("CALL_ID", "1").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SnowflakeRawLanding.csvRow(stg, "load"));
    assertThat(e.getMessage(), containsString("is not a RAW row"));
    assertThrows(IllegalArgumentException.class,
        () -> WriteRawWithSnowflakeIO.to("jdbc:duckdb:x", "GONG", "gs://b/", "I"));
  }

  private static WarehouseRow raw(WarehouseTable t, String key, String json, String hash,
      Instant ingested) {
    WarehouseRow.Builder b = WarehouseRow.of(t).set(t.keyColumns().get(0), key)
        .set("PAYLOAD", new WarehouseRow.Json(json)).set("PAYLOAD_HASH", hash).set("JOB_ID", "job-1")
        .set("INGESTED_AT", ingested);
    if (t == WarehouseTable.RAW_CALLS) {
      b.set("CALL_STARTED_AT", T0);
    }
    return b.build();
  }

  /** Snowflake's COPY + the landing MERGE, played by DuckDB. */
  static final class CsvIntoDuckDb implements SnowflakeServices {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @Override
    public BatchService getBatchService() {
      return new BatchService() {
        @Override
        public String read(SnowflakeBatchServiceConfig config) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void write(SnowflakeBatchServiceConfig c) throws Exception {
          List<String[]> records = new ArrayList<>();
          for (String file : c.getFilesList()) {
            records.addAll(readCsv(Path.of(file), c.getQuotationMark().charAt(0)));
          }
          String loadId = records.get(0)[7];
          COPIES.computeIfAbsent(loadId, k -> new ArrayList<>()).add(c.getSchema() + "."
              + c.getTable() + " via " + c.getStorageIntegrationName() + ", "
              + c.getCreateDisposition() + "/" + c.getWriteDisposition() + ", quote "
              + c.getQuotationMark() + ", rows " + records.size());
          records.sort(Comparator.comparing(r -> r[6])); // latest ingest wins, as in the MERGE
          try (Warehouse wh = Warehouse.open(DUCK)) {
            for (WarehouseTable t : SnowflakeRawLanding.TARGETS) {
              List<WarehouseRow> rows = new ArrayList<>();
              for (String[] r : records) {
                if (r[0].equals(t.table())) {
                  rows.add(toRow(t, r));
                }
              }
              MergeResult ignored = wh.merge(t, rows);
            }
          }
        }
      };
    }

    @Override
    public StreamingService getStreamingService() {
      throw new UnsupportedOperationException();
    }

    private static List<String[]> readCsv(Path file, char quote) throws Exception {
      try (Reader in = new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
              StandardCharsets.UTF_8);
          CSVReader csv = new CSVReaderBuilder(in)
              .withCSVParser(new CSVParserBuilder().withQuoteChar(quote)
                  .withEscapeChar(ICSVParser.NULL_CHARACTER)
                  .withFieldAsNull(CSVReaderNullFieldIndicator.EMPTY_SEPARATORS).build())
              .build()) {
        return csv.readAll();
      }
    }

    private static WarehouseRow toRow(WarehouseTable t, String[] r) {
      WarehouseRow.Builder b = WarehouseRow.of(t).set(t.keyColumns().get(0), r[1])
          .set("PAYLOAD", new WarehouseRow.Json(r[3])).set("PAYLOAD_HASH", r[4])
          .set("JOB_ID", r[5]).set("INGESTED_AT", instant(r[6]));
      if (t == WarehouseTable.RAW_CALLS) {
        b.set("CALL_STARTED_AT", instant(r[2]));
      }
      return b.build();
    }

    private static Instant instant(String text) {
      return text == null ? null : LocalDateTime.parse(text, TS).toInstant(ZoneOffset.UTC);
    }
  }
}
