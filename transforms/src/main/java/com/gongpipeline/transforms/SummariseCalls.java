package com.gongpipeline.transforms;

import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;
import com.gongpipeline.chunking.PiiRedactor;
import com.gongpipeline.enrich.CallSummarizer;
import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.LexicalExtractiveSummarizer;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.CallSummary;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.warehouse.StoredSummary;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Attaches a derived summary to each call Gong sent no brief for, before {@link ScoreTranscripts}
 * writes the call's {@code STG_GONG_CALLS} row, so the row is complete in one place and no second
 * writer touches it. The summary is made from the call's PII-redacted turns (redacted as the
 * chunks are, by {@link PiiRedactor}) by the provider's {@link CallSummarizer} (local: e5
 * centrality; Snowflake: {@code AI_SUMMARIZE_AGG}).
 *
 * <p>Nothing is recomputed for an unchanged call: the summariser's input hash (method, model and
 * the texts it reads) is compared with the stored {@code CALL_SUMMARY_INPUT_HASH}, and a match
 * reuses the stored summary without a model call. A call with Gong's brief or without speech gets
 * no derived summary. A call in another language than English (Gong's {@code language}; the
 * models read English) gets {@link LexicalExtractiveSummarizer}'s: its own most central sentences,
 * in its language, with {@code CALL_SUMMARY_METHOD} naming the language ({@code
 * lexical-extractive-v1:spa}), on either path. If the look-up or the model
 * fails, the call passes on without a summary (a {@code summarise} dead letter): its row is still
 * written, and the MERGE keeps the stored summary ({@code WarehouseTable#keepStoredWhenNull}).
 */
public final class SummariseCalls
    extends PTransform<PCollection<ParsedCall>, StageResult<ParsedCall>> {
  /** Every call, with a summary when one was made or reused. */
  public static final TupleTag<ParsedCall> CALLS_OUT = new TupleTag<>() {};
  /** Calls whose summary could not be made. */
  public static final TupleTag<DeadLetter> SUMMARY_DEADLETTER_OUT = new TupleTag<>() {};

  private final EnrichmentProvider provider;
  private final @Nullable WarehouseProvider reuseFromWarehouse;

  /**
   * @param reuseFromWarehouse where stored summaries are looked up; null summarises every call
   */
  public SummariseCalls(EnrichmentProvider provider,
      @Nullable WarehouseProvider reuseFromWarehouse) {
    this.provider = provider;
    this.reuseFromWarehouse = reuseFromWarehouse;
  }

  @Override
  public StageResult<ParsedCall> expand(PCollection<ParsedCall> calls) {
    PCollectionTuple t = calls.apply("SummariseCall",
        ParDo.of(new SummariseCallFn(provider, reuseFromWarehouse))
            .withOutputTags(CALLS_OUT, TupleTagList.of(SUMMARY_DEADLETTER_OUT)));
    StageResult<ParsedCall> r = StageResult.of(t, CALLS_OUT, SUMMARY_DEADLETTER_OUT);
    r.output().setCoder(SerializableCoder.of(ParsedCall.class));
    return r;
  }

  /** True when a summary is derived for this call (no brief from Gong, speech). */
  static boolean needsSummary(ParsedCall call) {
    String brief = call.call().brief();
    return (brief == null || brief.isBlank()) && !call.turns().isEmpty();
  }

  /** The turns as the chunks see them: PII-redacted. */
  static List<TranscriptTurn> redacted(List<TranscriptTurn> turns) {
    List<TranscriptTurn> out = new ArrayList<>(turns.size());
    for (TranscriptTurn t : turns) {
      out.add(PiiRedactor.redactTurn(t));
    }
    return out;
  }

  static final class SummariseCallFn extends DoFn<ParsedCall, ParsedCall> {
    private final EnrichmentProvider provider;
    private final @Nullable WarehouseProvider warehouse;
    private final Counter made = MetricNames.SUMMARIES_MADE.counter();
    private final Counter reused = MetricNames.SUMMARIES_REUSED.counter();
    private final MirroredDistribution millis = MirroredDistribution.of(MetricNames.SUMMARY_MS);
    private final Counter deadLettered = DeadLetterStage.SUMMARISE.counter();
    private transient CallSummarizer summarizer;

    SummariseCallFn(EnrichmentProvider provider, @Nullable WarehouseProvider warehouse) {
      this.provider = provider;
      this.warehouse = warehouse;
    }

    @Setup
    public void setup() {
      summarizer = provider.summarizer();
    }

    @ProcessElement
    public void process(@Element ParsedCall call, MultiOutputReceiver out) {
      if (!needsSummary(call)) {
        out.get(CALLS_OUT).output(call);
        return;
      }
      String callId = call.context().callId();
      // The provider's models read English; another language gets the lexical summary in it.
      CallSummarizer summarizer = call.context().englishOrUnknown() ? this.summarizer
          : new LexicalExtractiveSummarizer(call.context().language());
      try {
        CallSummarizer.Input input = summarizer.input(redacted(call.turns()));
        if (input.isEmpty()) {
          out.get(CALLS_OUT).output(call);
          return;
        }
        StoredSummary stored = stored(callId);
        if (stored != null && stored.summary() != null
            && input.hash().equals(stored.inputHash())
            && summarizer.method().equals(stored.method())) {
          reused.inc();
          out.get(CALLS_OUT).output(call.withSummary(
              new CallSummary(stored.summary(), stored.method(), stored.inputHash())));
          return;
        }
        long t0 = System.nanoTime();
        String text = summarizer.summarise(input);
        millis.update((System.nanoTime() - t0) / 1_000_000L);
        made.inc();
        out.get(CALLS_OUT).output(text == null || text.isBlank() ? call
            : call.withSummary(new CallSummary(text, summarizer.method(), input.hash())));
      } catch (RuntimeException e) {
        deadLettered.inc();
        out.get(SUMMARY_DEADLETTER_OUT).output(
            DeadLetter.of(DeadLetterStage.SUMMARISE, callId, e, null, 1));
        out.get(CALLS_OUT).output(call);
      }
    }

    private @Nullable StoredSummary stored(String callId) {
      if (warehouse == null) {
        return null;
      }
      try (Warehouse wh = warehouse.open()) {
        Map<String, StoredSummary> m = wh.storedSummaries(List.of(callId));
        return m.get(callId);
      }
    }

    @Teardown
    public void teardown() throws Exception {
      if (summarizer != null) {
        summarizer.close();
      }
    }
  }
}
