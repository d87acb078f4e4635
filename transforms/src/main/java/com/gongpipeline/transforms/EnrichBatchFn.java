package com.gongpipeline.transforms;

import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.ModelUnavailableException;
import com.gongpipeline.enrich.SentimentScorer;
import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.errors.CircuitBreaker;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.MirroredDistribution;
import com.gongpipeline.model.ContextualChunk;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.SpeakerChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Buffers chunks into batches (JdbcIO's pattern: batch in {@code @ProcessElement}, flush when
 * full and in {@code @FinishBundle}), embeds and scores each batch with one call per model. Chunks
 * whose stored vector and sentiment are still valid are taken from {@link StoredEnrichment} (the
 * warehouse look-up) and never reach the models. If a batch fails for one of its elements
 * ({@link FailureKind#PERMANENT}), its chunks are retried one by one so a single poison chunk
 * cannot sink its batch; if the model service itself is down ({@link ModelUnavailableException} or
 * another kind, after the client's own bounded retries), the batch's chunks are dead-lettered at
 * once instead.
 *
 * <p>A model service that keeps failing trips a {@link CircuitBreaker} (shared by this transform's
 * instances in a JVM): after {@link CircuitBreaker#DEFAULT_FAILURE_THRESHOLD} batches in a row
 * failed because the service was down, batches are dead-lettered at once (RETRYABLE, no request)
 * for {@link CircuitBreaker#DEFAULT_COOL_DOWN}, then one batch probes the service. So an outage
 * costs a few batches' bounded retries rather than every batch's.
 */
final class EnrichBatchFn extends DoFn<ContextualChunk, EnrichedChunk> {
  private final EnrichmentProvider provider;
  private final int batchSize;
  private final @Nullable StoredEnrichment stored;
  private final Counter reused = Metrics.counter("enrich", "chunks_reused");
  private final TupleTag<EnrichedChunk> out;
  private final TupleTag<DeadLetter> deadLetters;
  private final Counter embedded = Metrics.counter("enrich", "chunks_embedded");
  private final Counter batches = Metrics.counter("enrich", "embedding_batches");
  private final Counter deadLettered = DeadLetterStage.EMBED.counter();
  private final MirroredDistribution batchSizes =
      MirroredDistribution.of(MetricNames.EMBEDDING_BATCH_SIZE);
  private final MirroredDistribution embedMillis =
      MirroredDistribution.of(MetricNames.EMBEDDING_BATCH_MS);
  private final MirroredDistribution sentimentMillis =
      MirroredDistribution.of(MetricNames.SENTIMENT_BATCH_MS);
  private transient TextEmbedder embedder;
  private transient SentimentScorer scorer;
  private transient List<Pending> buffer;
  private final String breakerName;
  private final Counter fastFailed = Metrics.counter("enrich", "batches_breaker_open");
  private transient CircuitBreaker breaker;

  private record Pending(ContextualChunk chunk, Instant timestamp, BoundedWindow window) {}

  EnrichBatchFn(EnrichmentProvider provider, int batchSize, @Nullable StoredEnrichment stored,
      TupleTag<EnrichedChunk> out, TupleTag<DeadLetter> deadLetters) {
    this(provider, batchSize, stored, out, deadLetters, "enrich-" + java.util.UUID.randomUUID());
  }

  /** As above, with the JVM-wide breaker called {@code breakerName} (shared with the call scorer). */
  EnrichBatchFn(EnrichmentProvider provider, int batchSize, @Nullable StoredEnrichment stored,
      TupleTag<EnrichedChunk> out, TupleTag<DeadLetter> deadLetters, String breakerName) {
    this.breakerName = breakerName;
    this.provider = provider;
    this.batchSize = batchSize;
    this.stored = stored;
    this.out = out;
    this.deadLetters = deadLetters;
  }

  @Setup
  public void setup() {
    embedder = provider.embedder();
    scorer = provider.sentiment();
    breaker = CircuitBreaker.shared(breakerName, CircuitBreaker.DEFAULT_FAILURE_THRESHOLD,
        CircuitBreaker.DEFAULT_COOL_DOWN, java.time.Clock.systemUTC());
  }

  @StartBundle
  public void startBundle() {
    buffer = new ArrayList<>(batchSize);
  }

  @ProcessElement
  public void process(@Element ContextualChunk chunk, @Timestamp Instant ts, BoundedWindow window,
      MultiOutputReceiver receiver) {
    buffer.add(new Pending(chunk, ts, window));
    if (buffer.size() >= batchSize) {
      flush(new Emitter() {
        @Override
        <T> void emit(TupleTag<T> tag, T value, Pending origin) {
          receiver.get(tag).output(value);
        }
      });
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    flush(new Emitter() {
      @Override
      <T> void emit(TupleTag<T> tag, T value, Pending origin) {
        context.output(tag, value, origin.timestamp(), origin.window());
      }
    });
  }

  /** Where a flushed batch's results go: the element's receiver, or the bundle's context. */
  private abstract static class Emitter {
    abstract <T> void emit(TupleTag<T> tag, T value, Pending origin);
  }

  private void flush(Emitter emitter) {
    if (buffer.isEmpty()) {
      return;
    }
    List<Pending> batch = reuseStored(buffer, emitter);
    buffer = new ArrayList<>(batchSize);
    if (batch.isEmpty()) {
      return;
    }
    if (!breaker.allowRequest()) {
      fastFailed.inc();
      PipelineException open = breaker.openFailure();
      for (Pending p : batch) {
        deadLetter(p, open, 0, emitter);
      }
      return;
    }
    try {
      enrich(batch, emitter);
      breaker.recordSuccess();
    } catch (RuntimeException batchFailure) {
      if (isServiceDown(batchFailure)) {
        breaker.recordFailure();
        // The service failed whatever the input (retries exhausted, credentials refused): asking
        // again chunk by chunk would repeat every retry for every chunk.
        for (Pending p : batch) {
          deadLetter(p, batchFailure, attempts(batchFailure), emitter);
        }
        return;
      }
      // PERMANENT for some element (or unclassified): the service answered; isolate the element.
      breaker.recordSuccess();
      RuntimeException down = null;
      for (Pending p : batch) {
        if (down != null) {
          deadLetter(p, down, 1, emitter);
          continue;
        }
        try {
          enrich(List.of(p), emitter);
        } catch (RuntimeException e) {
          if (isServiceDown(e)) {
            breaker.recordFailure();
            down = e;
            deadLetter(p, e, 1 + attempts(e), emitter);
          } else {
            deadLetter(p, e, 2, emitter);
          }
        }
      }
    }
  }

  /**
   * Whether a failure is the model service's, not the input's: {@link ModelUnavailableException},
   * or a {@link PipelineException} of any kind but {@link FailureKind#PERMANENT} (the client's
   * own retries are spent). A PERMANENT failure, and an unclassified one, concern some element of
   * the batch, which is then isolated.
   */
  static boolean isServiceDown(RuntimeException e) {
    if (e instanceof ModelUnavailableException) {
      return true;
    }
    return e instanceof PipelineException && PipelineException.kindOf(e) != FailureKind.PERMANENT;
  }

  private static int attempts(RuntimeException e) {
    if (e instanceof ModelUnavailableException m) {
      return m.attempts();
    }
    return e instanceof PipelineException p ? p.attempts() : 1;
  }

  private void deadLetter(Pending p, RuntimeException e, int attempts, Emitter emitter) {
    deadLettered.inc();
    SpeakerChunk c = p.chunk().chunk();
    emitter.emit(deadLetters,
        DeadLetter.of(DeadLetterStage.EMBED, c.callId() + ":" + c.chunkIndex(), e, c.text(), attempts), p);
  }

  /**
   * Emits the chunks the warehouse already holds with the same text and models (their stored
   * vector and sentiment) and returns the rest, which need the models.
   */
  private List<Pending> reuseStored(List<Pending> batch, Emitter emitter) {
    if (stored == null || batch.isEmpty()) {
      return batch;
    }
    List<ContextualChunk> chunks = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      chunks.add(p.chunk());
    }
    Map<Integer, EnrichedChunk> reuse =
        stored.reusableChunks(chunks, embedder.modelName(), scorer.modelName());
    List<Pending> rest = new ArrayList<>(batch.size() - reuse.size());
    for (int i = 0; i < batch.size(); i++) {
      EnrichedChunk r = reuse.get(i);
      if (r != null) {
        emitter.emit(out, r, batch.get(i));
        reused.inc();
      } else {
        rest.add(batch.get(i));
      }
    }
    return rest;
  }

  private void enrich(List<Pending> batch, Emitter emitter) {
    List<String> texts = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      texts.add(p.chunk().chunk().text());
    }
    long t0 = System.currentTimeMillis();
    List<float[]> vectors = embedder.embedPassages(texts);
    long t1 = System.currentTimeMillis();
    double[] sentiments = scorer.score(texts);
    long t2 = System.currentTimeMillis();
    if (vectors.size() != batch.size() || sentiments.length != batch.size()) {
      throw new IllegalStateException("model returned " + vectors.size() + " vectors and "
          + sentiments.length + " scores for " + batch.size() + " texts");
    }
    embedMillis.update(t1 - t0);
    sentimentMillis.update(t2 - t1);
    batches.inc();
    batchSizes.update(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      emitter.emit(out, new EnrichedChunk(p.chunk().chunk(), p.chunk().context(), vectors.get(i),
          embedder.modelName(), sentiments[i], scorer.modelName()), p);
    }
    embedded.inc(batch.size());
  }

  @Teardown
  public void teardown() throws Exception {
    if (embedder != null) {
      embedder.close();
    }
    if (scorer != null) {
      scorer.close();
    }
  }
}
