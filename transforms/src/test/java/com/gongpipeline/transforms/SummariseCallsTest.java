package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.enrich.CallSummarizer;
import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.ExtractiveSummarizer;
import com.gongpipeline.enrich.NextStepsRule;
import com.gongpipeline.enrich.SentimentScorer;
import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.parse.GongCallParser;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.testing.FakeEnrichmentProvider;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CALL_SUMMARY on the embedded path: Gong's brief wins; otherwise the extractive summary, made
 * once (an unchanged call reuses the stored one without a model call), never NULLed by a failed
 * model call; NEXT_STEPS falls back to the rule only when Gong sent no action items.
 */
class SummariseCallsTest {
  private static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");
  static final AtomicInteger SUMMARISE_CALLS = new AtomicInteger();
  @TempDir Path dir;

  /** The fake models, counting summarise() calls; {@code fail}: the summariser's model is down. */
  record CountingProvider(boolean fail) implements EnrichmentProvider {
    @Override
    public TextEmbedder embedder() {
      return new FakeEnrichmentProvider().embedder();
    }

    @Override
    public SentimentScorer sentiment() {
      return new FakeEnrichmentProvider().sentiment();
    }

    @Override
    public CallSummarizer summarizer() {
      ExtractiveSummarizer inner = new ExtractiveSummarizer(embedder());
      return new CallSummarizer() {
        @Override
        public String method() {
          return inner.method();
        }

        @Override
        public Input input(List<com.gongpipeline.model.TranscriptTurn> turns) {
          return inner.input(turns);
        }

        @Override
        public String summarise(Input input) {
          SUMMARISE_CALLS.incrementAndGet();
          if (fail) {
            throw new PipelineException(FailureKind.RETRYABLE, "model service down");
          }
          return inner.summarise(input);
        }
      };
    }
  }

  private static String fixture(String name) throws Exception {
    try (InputStream in = SummariseCallsTest.class.getResourceAsStream("/gong/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A call of 8 turns; with Gong's brief and action items, or without both. */
  static ParsedCall call(boolean fromGong) throws Exception {
    return call(fromGong, "eng", new String[][] {
        {"s-dana", "Thanks for joining, how was your weekend with the family?"},
        {"s-lee", "Our reporting team spends two days a month reconciling pipeline numbers."},
        {"s-dana", "Our forecasting module reconciles pipeline numbers from the CRM every hour."},
        {"s-lee", "Reconciling the pipeline by hand is the main pain for our reporting team."},
        {"s-dana", "Pricing for the forecasting module is per seat with an annual discount."},
        {"s-lee", "The weather has been lovely here all week, very sunny."},
        {"s-dana", "So for next steps, I'll send the forecasting proposal by Friday."},
        {"s-lee", "Sounds good, I'll share it with our CFO once it comes in."}});
  }

  /** Spanish: small talk (0, 4), the deal (1, 2, 3, 5, 6), a closing remark (7). */
  static final String[][] SPANISH = {
      {"s-dana", "Hola Lucía, gracias por tu tiempo hoy y bienvenida."},
      {"s-lee", "Estamos evaluando la plataforma de previsión para nuestras licencias de ventas."},
      {"s-dana", "La plataforma de previsión concilia el pipeline de ventas cada hora."},
      {"s-lee", "Conciliar el pipeline de ventas a mano cuesta dos días al equipo."},
      {"s-dana", "Aquí en Madrid ha hecho muchísimo calor toda la semana."},
      {"s-lee", "El precio de la plataforma depende de las licencias de ventas."},
      {"s-dana", "Te envío la propuesta de la plataforma de previsión el viernes."},
      {"s-lee", "Perfecto, lo reviso con el director financiero."}};

  static ParsedCall call(boolean fromGong, String language, String[][] lines) throws Exception {
    ObjectNode details = (ObjectNode) JsonSupport.parse(fixture("call_extensive_intelligence.json"));
    ((ObjectNode) details.get("metaData")).put("language", language);
    ObjectNode content = (ObjectNode) details.get("content");
    if (!fromGong) {
      content.remove("brief");
      ((ObjectNode) content.get("pointsOfInterest")).putArray("actionItems");
    }
    ObjectNode transcript = JsonNodeFactory.instance.objectNode().put("callId", "555");
    ArrayNode turns = transcript.putArray("transcript");
    for (int i = 0; i < lines.length; i++) {
      ObjectNode t = turns.addObject().put("speakerId", lines[i][0]);
      t.putArray("sentences").addObject().put("start", i * 10_000).put("end", i * 10_000 + 8000)
          .put("text", lines[i][1]);
    }
    return GongCallParser.parse(new FetchedCall("555", JsonSupport.write(details),
        JsonSupport.write(transcript), 1), "job-1", NOW, w -> { });
  }

  @Test
  void aCallWithoutBriefGetsTheExtractiveSummary_aCallWithBriefKeepsGongs() throws Exception {
    ParsedCall noBrief = call(false);
    ParsedCall withBrief = call(true);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    StageResult<ParsedCall> out = p.apply(Create.of(noBrief, withBrief)
            .withCoder(SerializableCoder.of(ParsedCall.class)))
        .apply(new SummariseCalls(new FakeEnrichmentProvider(), null));
    PAssert.that(out.output()).satisfies(calls -> {
      int n = 0;
      for (ParsedCall c : calls) {
        n++;
        Map<String, Object> row = StagingRows.call(c, null, null).values();
        if (c.call().brief() == null) {
          assertThat(c.summary().method(), is(ExtractiveSummarizer.METHOD));
          assertThat(row.get("CALL_SUMMARY_METHOD"), is("e5-extractive-v1"));
          String s = (String) row.get("CALL_SUMMARY");
          assertThat(s, not(containsString("?")));
          assertThat(s.split("(?<=\\.) ").length <= 3, is(true));
          assertThat(row.get("NEXT_STEPS_METHOD"), is(NextStepsRule.METHOD));
          assertThat(((com.gongpipeline.warehouse.WarehouseRow.Json) row.get("NEXT_STEPS")).text(),
              containsString("I'll send the forecasting proposal by Friday."));
        } else {
          assertThat(c.summary(), nullValue());
          assertThat(row.get("CALL_SUMMARY"), is(c.call().brief()));
          assertThat(row.get("CALL_SUMMARY_METHOD"), is("gong-brief"));
          assertThat(row.get("NEXT_STEPS_METHOD"), is(NextStepsRule.GONG_METHOD));
        }
      }
      assertThat(n, is(2));
      return null;
    });
    PAssert.that(out.deadLetters()).empty();
    org.apache.beam.sdk.PipelineResult result = p.run();
    result.waitUntilFinish();
    // One summary made (the call without a brief), timed for bench's cost per call.
    long timed = 0;
    for (org.apache.beam.sdk.metrics.MetricResult<Long> c : result.metrics().queryMetrics(
        org.apache.beam.sdk.metrics.MetricsFilter.builder().addNameFilter(
            org.apache.beam.sdk.metrics.MetricNameFilter.named("enrich", "summary_ms_count"))
            .build()).getCounters()) {
      timed += c.getAttempted();
    }
    assertThat(timed, is(1L));
  }

  private static ParsedCall runOnce(ParsedCall call, EnrichmentProvider provider,
      WarehouseProvider wh, List<DeadLetter> deadLetters) {
    List<ParsedCall> got = new ArrayList<>();
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    StageResult<ParsedCall> out = p.apply(Create.of(call)
        .withCoder(SerializableCoder.of(ParsedCall.class))).apply(new SummariseCalls(provider, wh));
    PAssert.thatSingleton(out.output()).satisfies(c -> {
      COLLECTED.set(c);
      return null;
    });
    PAssert.that(out.deadLetters()).satisfies(d -> {
      DEAD.set(new ArrayList<>());
      d.forEach(DEAD.get()::add);
      return null;
    });
    p.run().waitUntilFinish();
    deadLetters.addAll(DEAD.get());
    return COLLECTED.get();
  }

  static final java.util.concurrent.atomic.AtomicReference<ParsedCall> COLLECTED =
      new java.util.concurrent.atomic.AtomicReference<>();
  static final java.util.concurrent.atomic.AtomicReference<List<DeadLetter>> DEAD =
      new java.util.concurrent.atomic.AtomicReference<>();

  @Test
  void anUnchangedCallReusesTheStoredSummary_andAFailedModelNeverNullsIt() throws Exception {
    String url = "jdbc:duckdb:" + dir.resolve("w.duckdb");
    WarehouseProvider wh = WarehouseProvider.of(url);
    try (Warehouse w = wh.open()) {
      w.applySchema();
    }
    ParsedCall call = call(false);
    List<DeadLetter> dead = new ArrayList<>();
    SUMMARISE_CALLS.set(0);
    ParsedCall first = runOnce(call, new CountingProvider(false), wh, dead);
    assertThat(SUMMARISE_CALLS.get(), is(1));
    try (Warehouse w = wh.open()) {
      w.merge(WarehouseTable.STG_CALLS, List.of(StagingRows.call(first, null, null)));
    }
    ParsedCall again = runOnce(call, new CountingProvider(false), wh, dead);
    assertThat("no model call for an unchanged call", SUMMARISE_CALLS.get(), is(1));
    assertThat(again.summary(), is(first.summary()));

    ParsedCall failed = runOnce(call, new CountingProvider(true), wh, dead);
    assertThat(failed.summary(), is(first.summary())); // reused: the model is not even asked
    assertThat(SUMMARISE_CALLS.get(), is(1));
    assertThat(dead.size(), is(0));
    // A changed call whose model call fails: dead letter, row written without a summary, stored
    // summary kept.
    ParsedCall changed = call.withSummary(null);
    changed = new ParsedCall(changed.context(), changed.call(), changed.participants(),
        changed.topics(), new ArrayList<>(changed.turns().subList(0, 6)), null, null);
    ParsedCall failedChanged = runOnce(changed, new CountingProvider(true), wh, dead);
    assertThat(failedChanged.summary(), nullValue());
    assertThat(dead.size(), is(1));
    assertThat(dead.get(0).stage().stageName(), is("summarise"));
    try (Warehouse w = wh.open()) {
      w.merge(WarehouseTable.STG_CALLS, List.of(StagingRows.call(failedChanged, null, null)));
      Map<String, Object> row = w.query("SELECT CALL_SUMMARY, CALL_SUMMARY_METHOD FROM"
          + " STG_TRANSFORMED.STG_GONG_CALLS WHERE CALL_ID = '555'").get(0);
      assertThat(row.get("CALL_SUMMARY"), is(first.summary().text()));
      assertThat(row.get("CALL_SUMMARY_METHOD"), is("e5-extractive-v1"));
    }
  }

  /**
   * A Spanish call without Gong's brief (was: CALL_SUMMARY NULL, the models read English): its
   * most central sentences by lexical TF-IDF centrality, in Spanish and call order, the small
   * talk and the closing remark left out, with CALL_SUMMARY_METHOD naming the language; the
   * provider's English model is not asked.
   */
  @Test
  void aNonEnglishCallWithoutBriefGetsALexicalSummaryInItsLanguage() throws Exception {
    ParsedCall spanish = call(false, "spa", SPANISH);
    assertThat(spanish.context().language(), is("spa"));
    SUMMARISE_CALLS.set(0);
    List<DeadLetter> dead = new ArrayList<>();
    ParsedCall got = runOnce(spanish, new CountingProvider(false), null, dead);
    assertThat(dead.size(), is(0));
    assertThat("the English model is not asked", SUMMARISE_CALLS.get(), is(0));
    Map<String, Object> row = StagingRows.call(got, null, null).values();
    assertThat(row.get("CALL_SUMMARY_METHOD"), is("lexical-extractive-v1:spa"));
    assertThat(row.get("CALL_SUMMARY"), is(SPANISH[1][1] + " " + SPANISH[2][1] + " "
        + SPANISH[5][1]));
  }
}
