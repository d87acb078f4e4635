package com.gongpipeline.transforms;

import com.gongpipeline.enrich.CallSentiment;
import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.SentimentScorer;
import com.gongpipeline.errors.CircuitBreaker;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;
import com.gongpipeline.model.CallParticipant;
import com.gongpipeline.model.CallTopic;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.warehouse.WarehouseProvider;
import com.gongpipeline.warehouse.WarehouseRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Scores each speaker turn's sentiment (one batched scorer call per call) and emits the call's
 * staging rows: {@code STG_GONG_CALLS} with the call's sentiment ({@link CallSentiment}: customer
 * side and strong turns weigh more, not a flat duration-weighted mean), its participants, topics
 * and one {@code STG_GONG_CALL_TRANSCRIPTS} row per turn. A turn with nothing the scorer can read
 * has NULL sentiment, as has a call with no such turn. {@code SENTIMENT_MODEL} records {@link
 * CallSentiment#methodName} of the scorer, so a changed scorer or formula rescores the turns and
 * an unchanged one reuses every stored turn score.
 *
 * <p>Sentiment is scored only for English (or unlabelled) calls, since the models are English;
 * other calls keep NULL sentiment. If scoring fails, the rows are still written without sentiment
 * and the failure is a dead letter, so no transcript text is ever lost to a scorer outage; the
 * sink never writes those NULLs over stored scores ({@code WarehouseTable#keepStoredWhenNull}).
 *
 * <p>The scorer goes through a {@link CircuitBreaker} (by default its own; the pipeline shares
 * the chunk enrichment's, {@link #withModelBreaker}): a model service that fails for {@link
 * CircuitBreaker#DEFAULT_FAILURE_THRESHOLD} calls in a row opens it, and calls then fail fast
 * (dead-lettered, rows written without sentiment) until the cool-down lets one probe through.
 */
public final class ScoreTranscripts
    extends PTransform<PCollection<ParsedCall>, StageResult<WarehouseRow>> {
  /** Staging rows of scored calls. */
  public static final TupleTag<WarehouseRow> STG_ROWS_OUT = new TupleTag<>() {};
  /** Calls whose sentiment could not be scored (their rows are still emitted). */
  public static final TupleTag<DeadLetter> SENTIMENT_DEADLETTER_OUT = new TupleTag<>() {};

  private final EnrichmentProvider provider;
  private final @Nullable WarehouseProvider reuseFromWarehouse;
  private final String breakerName;

  /**
   * @param reuseFromWarehouse when set, turns whose text and sentiment model match what this
   *     warehouse already stores keep their stored score instead of being scored again; null scores
   *     everything
   */
  public ScoreTranscripts(EnrichmentProvider provider,
      @Nullable WarehouseProvider reuseFromWarehouse) {
    this(provider, reuseFromWarehouse, "sentiment-" + java.util.UUID.randomUUID());
  }

  private ScoreTranscripts(EnrichmentProvider provider,
      @Nullable WarehouseProvider reuseFromWarehouse, String breakerName) {
    this.provider = provider;
    this.reuseFromWarehouse = reuseFromWarehouse;
    this.breakerName = breakerName;
  }

  /** Scores through the JVM-wide breaker called {@code name} (see {@link EnrichChunks#withModelBreaker}). */
  public ScoreTranscripts withModelBreaker(String name) {
    return new ScoreTranscripts(provider, reuseFromWarehouse, name);
  }

  @Override
  public StageResult<WarehouseRow> expand(PCollection<ParsedCall> calls) {
    PCollectionTuple tuple =
        calls.apply(
            "ScoreTurnSentiment",
            ParDo.of(new ScoreCallFn(provider, StoredEnrichment.from(reuseFromWarehouse),
                    breakerName))
                .withOutputTags(STG_ROWS_OUT, TupleTagList.of(SENTIMENT_DEADLETTER_OUT)));
    StageResult<WarehouseRow> result =
        StageResult.of(tuple, STG_ROWS_OUT, SENTIMENT_DEADLETTER_OUT);
    result.output().setCoder(SerializableCoder.of(WarehouseRow.class));
    return result;
  }

  /** The call's score from its turns' ({@link CallSentiment}); null when nothing was scored. */
  static @Nullable Double callScore(List<TranscriptTurn> turns, double[] scores) {
    List<CallSentiment.Turn> scored = new ArrayList<>(turns.size());
    for (int i = 0; i < turns.size(); i++) {
      TranscriptTurn t = turns.get(i);
      scored.add(new CallSentiment.Turn(CallSentiment.isCustomer(t.affiliation()),
          t.endMs() - t.startMs(), scores[i]));
    }
    return CallSentiment.score(scored);
  }

  /** A turn's stored score: null for NaN (nothing to score). */
  private static @Nullable Double stored(double score) {
    return Double.isNaN(score) ? null : score;
  }

  static final class ScoreCallFn extends DoFn<ParsedCall, WarehouseRow> {
    private final EnrichmentProvider provider;
    private final @Nullable StoredEnrichment stored;
    private final Counter scoredTurns = Metrics.counter("enrich", "sentiment_turns_scored");
    private final Counter reusedTurns = Metrics.counter("enrich", "sentiment_turns_reused");
    private final Counter deadLettered = DeadLetterStage.SENTIMENT.counter();
    private final MirroredDistribution latency =
        MirroredDistribution.of(MetricNames.SENTIMENT_BATCH_MS);
    private final MirroredDistribution batchSizes =
        MirroredDistribution.of(MetricNames.SENTIMENT_BATCH_SIZE);
    private final Counter fastFailed = Metrics.counter("enrich", "sentiment_breaker_open");
    private final String breakerName;
    private transient SentimentScorer scorer;
    private transient CircuitBreaker breaker;

    ScoreCallFn(EnrichmentProvider provider, @Nullable StoredEnrichment stored,
        String breakerName) {
      this.provider = provider;
      this.stored = stored;
      this.breakerName = breakerName;
    }

    @Setup
    public void setup() {
      scorer = provider.sentiment();
      breaker = CircuitBreaker.shared(breakerName, CircuitBreaker.DEFAULT_FAILURE_THRESHOLD,
          CircuitBreaker.DEFAULT_COOL_DOWN, java.time.Clock.systemUTC());
    }

    /** One scorer call through the breaker: fails fast while it is open. */
    private double[] scoreThroughBreaker(List<String> texts) {
      if (!breaker.allowRequest()) {
        fastFailed.inc();
        throw breaker.openFailure();
      }
      try {
        double[] scores = scorer.score(texts);
        breaker.recordSuccess();
        return scores;
      } catch (RuntimeException e) {
        if (EnrichBatchFn.isServiceDown(e)) {
          breaker.recordFailure();
        } else {
          breaker.recordSuccess(); // the service answered; the input was refused
        }
        throw e;
      }
    }

    /** Scores the turns, reusing stored scores of turns whose text and model are unchanged. */
    private double[] score(String callId, List<TranscriptTurn> turns) {
      double[] scores = new double[turns.size()];
      Map<Integer, Double> reuse = stored == null ? Map.of()
          : stored.reusableTurnScores(callId, turns, CallSentiment.methodName(scorer.modelName()));
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < turns.size(); i++) {
        Double s = reuse.get(i);
        if (s != null) {
          scores[i] = s;
        } else {
          todo.add(i);
        }
      }
      reusedTurns.inc(turns.size() - todo.size());
      if (!todo.isEmpty()) {
        List<String> texts = new ArrayList<>(todo.size());
        for (int i : todo) {
          texts.add(turns.get(i).text());
        }
        double[] fresh = scoreThroughBreaker(texts);
        batchSizes.update(texts.size());
        for (int j = 0; j < todo.size(); j++) {
          scores[todo.get(j)] = fresh[j];
        }
        scoredTurns.inc(todo.size());
      }
      return scores;
    }

    @ProcessElement
    public void process(@Element ParsedCall call, MultiOutputReceiver out) {
      List<TranscriptTurn> turns = call.turns();
      double[] scores = null;
      if (!turns.isEmpty() && call.context().englishOrUnknown()) {
        long start = System.currentTimeMillis();
        try {
          scores = score(call.context().callId(), turns);
        } catch (RuntimeException e) {
          deadLettered.inc();
          out.get(SENTIMENT_DEADLETTER_OUT)
              .output(DeadLetter.of(DeadLetterStage.SENTIMENT, call.context().callId(), e, null, 1));
        }
        latency.update(System.currentTimeMillis() - start);
      }
      String jobId = call.call().jobId();
      Instant loadedAt = call.call().loadedAt();
      long version = call.context().version();
      out.get(STG_ROWS_OUT).output(StagingRows.call(call,
          scores == null ? null : callScore(turns, scores),
          scores == null ? null : CallSentiment.methodName(scorer.modelName()))
          .withCallVersion(version));
      for (CallParticipant p : call.participants()) {
        out.get(STG_ROWS_OUT).output(StagingRows.participant(p).withCallVersion(version));
      }
      for (CallTopic t : call.topics()) {
        out.get(STG_ROWS_OUT).output(StagingRows.topic(t).withCallVersion(version));
      }
      for (int i = 0; i < turns.size(); i++) {
        out.get(STG_ROWS_OUT)
            .output(StagingRows.turn(turns.get(i), scores == null ? null : stored(scores[i]), jobId,
                loadedAt).withCallVersion(version));
      }
    }

    @Teardown
    public void teardown() throws Exception {
      if (scorer != null) {
        scorer.close();
      }
    }
  }
}
