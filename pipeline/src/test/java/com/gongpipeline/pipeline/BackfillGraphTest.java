package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.gong.GongClient;
import com.gongpipeline.gong.GongClientFactory;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole backfill graph ({@link GongBackfill#buildPipeline}) in process on the DirectRunner,
 * with both seams replaced: Gong is an in-memory client behind a {@link GongClientFactory} (no
 * HTTP server), the warehouse an in-memory DuckDB behind a {@link WarehouseProvider}, the models
 * {@link FakeEnrichmentProvider}. It asserts with {@code PAssert} on what each stage emits,
 * including one dead letter from each failing stage, and then on the tables.
 *
 * <p>The tenant: three calls listed on 1 March (1001 and 1002 are the recorded Gong payloads
 * under {@code gong/}, 1002 with a sentence the model refuses, 1003 with a start time that is not
 * a time, so neither its RAW nor its STG rows can be built) and a listing of 2 March that fails
 * with a 5xx-like error.
 */
class BackfillGraphTest {
  private static final Instant DAY1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant DAY2 = Instant.parse("2026-03-02T00:00:00Z");
  private static final Instant END = Instant.parse("2026-03-03T00:00:00Z");

  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  @Test
  void everyStageEmitsWhatItShouldAndEveryFailingOneADeadLetterWithItsKind(TestPipeline p)
      throws Exception {
    String url = "jdbc:duckdb::memory:backfill-graph-" + UUID.randomUUID();
    WarehouseProvider warehouse = WarehouseProvider.of(url);
    // Holding one warehouse open keeps the in-memory database alive for the run.
    try (Warehouse held = warehouse.open()) {
      held.applySchema();
      GongPipelineOptions o = p.getOptions().as(GongPipelineOptions.class);
      o.setWarehouse(url);
      o.setListWindow("P1D");

      GongBackfill.Outputs out = GongBackfill.buildPipeline(p, o,
          new GongBackfill.Seams(new CannedGong(), warehouse), new FakeEnrichmentProvider(),
          new TimeWindow(DAY1, END), "graph-test");

      PAssert.that(ids(out.fetched())).containsInAnyOrder("1001", "1002", "1003");
      PAssert.that(chunkCalls(out.enriched())).satisfies(calls -> {
        List<String> all = new ArrayList<>();
        calls.forEach(all::add);
        assertThat(all.contains("1001"), equalTo(true));
        assertThat(all.contains("1002"), equalTo(true));
        assertThat(all.contains("1003"), equalTo(false));
        return null;
      });
      PAssert.that(out.enriched().apply("Texts", MapElements.into(TypeDescriptors.strings())
              .via((EnrichedChunk c) -> c.chunk().text())))
          .satisfies(texts -> {
            texts.forEach(t -> assertThat(t, t.contains(FakeEnrichmentProvider.POISON),
                equalTo(false)));
            return null;
          });
      PAssert.that(describe(out.deadLetters())).containsInAnyOrder(
          "list_calls RETRYABLE " + new TimeWindow(DAY2, END),
          "raw PERMANENT 1003",
          "parse_call PERMANENT 1003",
          "embed PERMANENT 1002:0");
      p.run().waitUntilFinish();

      // Read through the open warehouse: a second JDBC connection could not join this database.
      assertThat(strings(held, "SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS ORDER BY 1"),
          equalTo(List.of("1001", "1002")));
      assertThat(strings(held, "SELECT STAGE || ' ' || FAILURE_KIND FROM OPS_MONITORING.DEAD_LETTER"
          + " ORDER BY 1"), equalTo(List.of("embed PERMANENT", "list_calls RETRYABLE",
          "parse_call PERMANENT", "raw PERMANENT")));
      // 1003's RAW row needs its start time too: its payload is kept in its dead letters.
      assertThat(longValue(held, "SELECT count(*) FROM RAW.GONG_CALLS_RAW"), equalTo(2L));
      assertThat(longValue(held, "SELECT count(*) FROM OPS_MONITORING.DEAD_LETTER"
          + " WHERE RECORD_KEY = '1003' AND PAYLOAD LIKE '%not a time%'"), equalTo(2L));
      assertThat(longValue(held, "SELECT count(*) FROM AI_MEMORY.MEMORY_RECORDS WHERE SOURCE_ID = '1002'"),
          greaterThan(0L));
    }
  }

  /**
   * Flink translates a Flatten into a union, which refuses inputs whose coders differ (the
   * DirectRunner does not care): every Flatten of the fullest backfill graph (retry ids, the
   * directory, a fetch plan) flattens one coder.
   */
  @Test
  void everyFlattenOfTheGraphFlattensOneCoderAsFlinkRequires() {
    GongPipelineOptions o =
        org.apache.beam.sdk.options.PipelineOptionsFactory.as(GongPipelineOptions.class);
    o.setWarehouse("jdbc:duckdb::memory:flatten-coders");
    o.setListWindow("P1D");
    org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create(o);
    GongBackfill.buildPipeline(p, o,
        new GongBackfill.Seams(new CannedGong(), WarehouseProvider.of(o.getWarehouse())),
        new FakeEnrichmentProvider(), new TimeWindow(DAY1, END), "flatten-test",
        new GongBackfill.ReadScope(List.of("1001"), true, null, null));
    List<String> mixed = new ArrayList<>();
    int[] flattens = {0};
    p.traverseTopologically(new org.apache.beam.sdk.Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitPrimitiveTransform(
          org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
        if (node.getTransform() instanceof org.apache.beam.sdk.transforms.Flatten.PCollections) {
          flattens[0]++;
          java.util.Set<String> coders = new java.util.TreeSet<>();
          node.getInputs().values().forEach(v -> coders.add(((PCollection<?>) v).getCoder()
              .toString()));
          if (coders.size() > 1) {
            mixed.add(node.getFullName() + " " + coders);
          }
        }
      }
    });
    assertThat(flattens[0], greaterThan(3));
    assertThat(mixed, equalTo(List.of()));
  }

  private static List<String> strings(Warehouse wh, String sql) {
    return wh.query(sql).stream().map(r -> String.valueOf(r.values().iterator().next())).toList();
  }

  private static long longValue(Warehouse wh, String sql) {
    return ((Number) wh.query(sql).get(0).values().iterator().next()).longValue();
  }

  private static PCollection<String> ids(PCollection<FetchedCall> calls) {
    return calls.apply("CallIds", MapElements.into(TypeDescriptors.strings())
        .via(FetchedCall::callId));
  }

  private static PCollection<String> chunkCalls(PCollection<EnrichedChunk> chunks) {
    return chunks.apply("ChunkCallIds", MapElements.into(TypeDescriptors.strings())
        .via((EnrichedChunk c) -> c.chunk().callId()));
  }

  private static PCollection<String> describe(PCollection<DeadLetter> deadLetters) {
    return deadLetters.apply("Describe", MapElements.into(TypeDescriptors.strings())
        .via((DeadLetter d) -> d.stage().stageName() + " " + d.kind() + " " + d.recordKey()));
  }

  /** The canned tenant: payloads as text (serializable), parsed per client. */
  static final class CannedGong implements GongClientFactory {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String call = resource("/gong/call_extensive.json");
    private final String transcript = resource("/gong/transcript.json");

    @Override
    public GongClient create() {
      return new GongClient() {
        @Override
        public void listCalls(Instant from, Instant to, Consumer<List<JsonNode>> pages) {
          if (!from.isBefore(DAY2)) {
            throw new PipelineException(FailureKind.RETRYABLE, "canned: HTTP 503 for " + from);
          }
          List<JsonNode> page = new ArrayList<>();
          for (String id : List.of("1001", "1002", "1003")) {
            page.add(JSON.createObjectNode().put("id", id));
          }
          pages.accept(page);
        }

        @Override
        public List<JsonNode> callsExtensive(List<String> callIds) {
          List<JsonNode> out = new ArrayList<>();
          for (String id : callIds) {
            ObjectNode c = (ObjectNode) read(call);
            ObjectNode meta = (ObjectNode) c.get("metaData");
            meta.put("id", id);
            if (id.equals("1003")) {
              meta.put("started", "not a time");
            }
            out.add(c);
          }
          return out;
        }

        @Override
        public List<JsonNode> transcripts(List<String> callIds) {
          List<JsonNode> out = new ArrayList<>();
          for (String id : callIds) {
            String text = id.equals("1002")
                ? transcript.replace("Thanks for joining, Lee.", FakeEnrichmentProvider.POISON)
                : transcript;
            out.add(((ObjectNode) read(text)).put("callId", id));
          }
          return out;
        }

        @Override
        public void listUsers(Consumer<List<JsonNode>> pages) {
          pages.accept(List.of());
        }

        @Override
        public List<JsonNode> workspaces() {
          return List.of();
        }

        @Override
        public void close() {}
      };
    }

    private static JsonNode read(String json) {
      try {
        return JSON.readTree(json);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private static String resource(String name) {
      try (InputStream in = BackfillGraphTest.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing test resource " + name);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
