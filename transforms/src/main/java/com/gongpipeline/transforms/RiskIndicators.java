package com.gongpipeline.transforms;

import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.enrich.CallRisks;
import com.gongpipeline.enrich.CallSentiment;
import com.gongpipeline.enrich.RiskClassifier;
import com.gongpipeline.model.CallChunks;
import com.gongpipeline.enrich.ChunkRisk;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the risk columns of {@code STG_GONG_CALLS} rows (sql 130) from the call's enriched chunks:
 * each customer chunk of an English call embedded by one of {@link RiskClassifier#MODELS} (the
 * fp32 or int8 local e5-small-v2) is classified from its vector with that model's weights
 * ({@link RiskClassifier}, method {@value RiskClassifier#METHOD}; no model call, the weights are
 * read once per JVM), and the call row gets {@link CallRisks}' columns when every chunk of that
 * call version ({@link CallChunks}) was enriched and classified.
 *
 * <p>Otherwise (a chunk dead-lettered, the classifier unavailable, no customer chunk, another
 * language or embedding model) the columns stay NULL in the row, and the MERGE keeps what is
 * stored ({@link WarehouseTable#keepStoredWhenNull()}): a failed classification never erases
 * earlier risks, re-runs write the same values (no change), and a deleted call's risks go with
 * its row. Other staging rows pass through untouched.
 *
 * <p>The call row waits for its chunks (a {@link CoGroupByKey} on call id in the input windows).
 * In streaming, a pane that holds a call's row but not all its chunks leaves the stored values.
 */
public final class RiskIndicators
    extends PTransform<PCollection<WarehouseRow>, PCollection<WarehouseRow>> {
  private static final Logger LOG = LoggerFactory.getLogger(RiskIndicators.class);

  private static final TupleTag<WarehouseRow> ROW_TAG = new TupleTag<>("callRow");
  private static final TupleTag<ChunkRisk> RISK_TAG = new TupleTag<>("chunkRisk");
  private static final TupleTag<CallChunks> SET_TAG = new TupleTag<>("chunkSet");

  private final PCollection<EnrichedChunk> enriched;
  private final PCollection<CallChunks> chunkSets;
  private final SerializableFunction<String, RiskClassifier> classifiers;

  /**
   * @param enriched the enriched chunks of the same calls
   * @param chunkSets each call version's complete chunk set ({@code ChunkBySpeaker.CHUNK_KEYS_OUT})
   */
  public RiskIndicators(PCollection<EnrichedChunk> enriched, PCollection<CallChunks> chunkSets) {
    this(enriched, chunkSets, RiskClassifier::forModel);
  }

  /** With another classifier per embedding model (tests). */
  RiskIndicators(PCollection<EnrichedChunk> enriched, PCollection<CallChunks> chunkSets,
      SerializableFunction<String, RiskClassifier> classifiers) {
    this.enriched = enriched;
    this.chunkSets = chunkSets;
    this.classifiers = classifiers;
  }

  @Override
  public PCollection<WarehouseRow> expand(PCollection<WarehouseRow> staging) {
    SerializableCoder<WarehouseRow> rowCoder = SerializableCoder.of(WarehouseRow.class);
    TupleTag<WarehouseRow> rowTag = ROW_TAG;
    TupleTag<ChunkRisk> riskTag = RISK_TAG;
    TupleTag<CallChunks> setTag = SET_TAG;
    PCollection<WarehouseRow> others = staging.apply("NotCallRows",
        Filter.by((WarehouseRow r) -> r.table() != WarehouseTable.STG_CALLS)).setCoder(rowCoder);
    PCollection<KV<String, WarehouseRow>> calls = staging
        .apply("CallRows", Filter.by((WarehouseRow r) -> r.table() == WarehouseTable.STG_CALLS))
        .apply("KeyCallRows", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(WarehouseRow.class)))
            .via((WarehouseRow r) -> KV.of((String) r.get("CALL_ID"), r)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), rowCoder));
    PCollection<KV<String, ChunkRisk>> risks = enriched
        .apply("ClassifyChunkRisks", ParDo.of(new ClassifyFn(classifiers)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(ChunkRisk.class)));
    PCollection<KV<String, CallChunks>> sets = chunkSets
        .apply("KeyChunkSets", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptor.of(CallChunks.class)))
            .via((CallChunks c) -> KV.of(c.callId(), c)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(CallChunks.class)));
    PCollection<WarehouseRow> withRisks = KeyedPCollectionTuple.of(rowTag, calls)
        .and(riskTag, risks).and(setTag, sets)
        .apply("GroupCallChunks", CoGroupByKey.create())
        .apply("SetRiskColumns", ParDo.of(new SetColumnsFn(rowTag, riskTag, setTag)))
        .setCoder(rowCoder);
    return PCollectionList.of(others).and(withRisks).apply("StagingWithRisks",
        Flatten.pCollections()).setCoder(rowCoder);
  }

  /** Reports every enriched chunk, classified when it is a customer chunk the classifier reads. */
  static final class ClassifyFn extends DoFn<EnrichedChunk, KV<String, ChunkRisk>> {
    private final SerializableFunction<String, RiskClassifier> classifiers;
    private final Counter classified = MetricNames.RISK_CHUNKS_CLASSIFIED.counter();
    private final Counter failures = MetricNames.RISK_CLASSIFIER_FAILURES.counter();

    ClassifyFn(SerializableFunction<String, RiskClassifier> classifiers) {
      this.classifiers = classifiers;
    }

    @ProcessElement
    public void process(@Element EnrichedChunk e, OutputReceiver<KV<String, ChunkRisk>> out) {
      SpeakerChunk c = e.chunk();
      boolean wanted = CallSentiment.isCustomer(c.affiliation())
          && "eng".equals(e.context().language())
          && RiskClassifier.supports(e.embeddingModel());
      List<RiskClassifier.Label> labels = List.of();
      boolean failed = false;
      if (wanted) {
        try {
          labels = classifiers.apply(e.embeddingModel()).classify(e.embedding());
          classified.inc();
        } catch (RuntimeException ex) {
          // Weights unreadable or of another dimension: the call keeps its stored risks.
          failures.inc();
          failed = true;
          LOG.warn("Risk classifier unavailable for chunk {}:{}: {}", c.callId(), c.chunkIndex(),
              ex.getClass().getSimpleName());
        }
      }
      out.output(KV.of(c.callId(), new ChunkRisk(c.callId(), e.context().version(),
          c.chunkIndex(), WarehouseRows.memoryId(c), c.speakerId(), c.startMs(),
          JsonSupport.sha256(c.text()), e.sentiment(), wanted && !failed, failed, labels)));
    }
  }

  /** Sets each call row's risk columns from the chunks of its own version, when complete. */
  static final class SetColumnsFn extends DoFn<KV<String, CoGbkResult>, WarehouseRow> {
    private final TupleTag<WarehouseRow> rowTag;
    private final TupleTag<ChunkRisk> riskTag;
    private final TupleTag<CallChunks> setTag;

    SetColumnsFn(TupleTag<WarehouseRow> rowTag, TupleTag<ChunkRisk> riskTag,
        TupleTag<CallChunks> setTag) {
      this.rowTag = rowTag;
      this.riskTag = riskTag;
      this.setTag = setTag;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, OutputReceiver<WarehouseRow> out) {
      for (WarehouseRow row : e.getValue().getAll(rowTag)) {
        long version = row.callVersion() == null ? 0L : row.callVersion();
        CallChunks set = null;
        for (CallChunks s : e.getValue().getAll(setTag)) {
          if (s.version() == version) {
            set = s;
          }
        }
        List<ChunkRisk> chunks = new ArrayList<>();
        for (ChunkRisk r : e.getValue().getAll(riskTag)) {
          if (r.version() == version) {
            chunks.add(r);
          }
        }
        CallRisks.Columns cols = set == null ? null : CallRisks.of(set.chunkIndexes(), chunks);
        out.output(cols == null ? row : withColumns(row, cols));
      }
    }
  }

  /** The row with the risk columns set (same version). */
  static WarehouseRow withColumns(WarehouseRow row, CallRisks.Columns cols) {
    WarehouseRow.Builder b = WarehouseRow.of(row.table());
    for (Map.Entry<String, @Nullable Object> v : row.values().entrySet()) {
      b.set(v.getKey(), v.getValue());
    }
    b.set("RISK_INDICATORS", new WarehouseRow.Json(cols.indicatorsJson()))
        .set("RISK_METHOD", cols.method())
        .set("RISK_INPUT_HASH", cols.inputHash())
        .set("ASPECT_SENTIMENT", new WarehouseRow.Json(cols.aspectSentimentJson()));
    WarehouseRow built = b.build();
    return row.callVersion() == null ? built : built.withCallVersion(row.callVersion());
  }
}
