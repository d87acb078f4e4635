package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.transforms.DeadLetterPayload;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.model.CallChunks;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.WarehouseRow;
import java.time.Instant;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Mapping transforms from pipeline values to {@link WarehouseRow}s. */
public final class ToWarehouseRows {
  /** RAW rows. */
  public static final TupleTag<WarehouseRow> RAW_OUT = new TupleTag<>() {};
  /** Fetched calls whose payload is not valid JSON (stored here, with the payload). */
  public static final TupleTag<DeadLetter> RAW_DEADLETTER_OUT = new TupleTag<>() {};

  private ToWarehouseRows() {}

  /** RAW payload rows for fetched calls; a payload that is not JSON becomes a dead letter. */
  public static PTransform<PCollection<FetchedCall>, StageResult<WarehouseRow>> raw(String jobId) {
    return new PTransform<>("ToRawRows") {
      @Override
      public StageResult<WarehouseRow> expand(PCollection<FetchedCall> calls) {
        PCollectionTuple t = calls.apply(ParDo.of(new RawRowsFn(jobId))
            .withOutputTags(RAW_OUT, TupleTagList.of(RAW_DEADLETTER_OUT)));
        StageResult<WarehouseRow> r = StageResult.of(t, RAW_OUT, RAW_DEADLETTER_OUT);
        r.output().setCoder(SerializableCoder.of(WarehouseRow.class));
        return r;
      }
    };
  }

  /** {@code AI_MEMORY.MEMORY_RECORDS} rows for enriched chunks. */
  public static PTransform<PCollection<EnrichedChunk>, PCollection<WarehouseRow>> memory(
      String jobId) {
    return new PTransform<>("ToMemoryRows") {
      @Override
      public PCollection<WarehouseRow> expand(PCollection<EnrichedChunk> chunks) {
        return chunks.apply(ParDo.of(new MemoryRowFn(jobId)))
            .setCoder(SerializableCoder.of(WarehouseRow.class));
      }
    };
  }

  /** {@code STG_GONG_CALL_TRACKERS} and occurrence rows of parsed calls ({@link StagingRows#trackerRows}). */
  public static PTransform<PCollection<ParsedCall>, PCollection<WarehouseRow>> trackers() {
    return new PTransform<>("ToTrackerRows") {
      @Override
      public PCollection<WarehouseRow> expand(PCollection<ParsedCall> calls) {
        return calls.apply(org.apache.beam.sdk.transforms.FlatMapElements
                .into(TypeDescriptor.of(WarehouseRow.class)).via(StagingRows::trackerRows))
            .setCoder(SerializableCoder.of(WarehouseRow.class));
      }
    };
  }

  /** The AI_MEMORY key sets of re-chunked calls ({@link WarehouseRows#memoryKeys}). */
  public static PTransform<PCollection<CallChunks>, PCollection<ChildKeys>> memoryKeySets() {
    return new PTransform<>("ToMemoryKeySets") {
      @Override
      public PCollection<ChildKeys> expand(PCollection<CallChunks> chunks) {
        return chunks.apply(MapElements.into(TypeDescriptor.of(ChildKeys.class))
                .via(WarehouseRows::memoryKeys))
            .setCoder(SerializableCoder.of(ChildKeys.class));
      }
    };
  }

  /** {@code OPS_MONITORING.DEAD_LETTER} rows with redacted payloads ({@link DeadLetterPayload}). */
  public static PTransform<PCollection<DeadLetter>, PCollection<WarehouseRow>> deadLetters(
      String jobId) {
    return deadLetters(jobId, DeadLetterPayload.REDACTED);
  }

  /** {@code OPS_MONITORING.DEAD_LETTER} rows, payloads as {@code payloads} says. */
  public static PTransform<PCollection<DeadLetter>, PCollection<WarehouseRow>> deadLetters(
      String jobId, DeadLetterPayload payloads) {
    return new PTransform<>("ToDeadLetterRows") {
      @Override
      public PCollection<WarehouseRow> expand(PCollection<DeadLetter> dls) {
        return dls.apply(ParDo.of(new DeadLetterRowFn(jobId, payloads)))
            .setCoder(SerializableCoder.of(WarehouseRow.class));
      }
    };
  }

  static final class RawRowsFn extends DoFn<FetchedCall, WarehouseRow> {
    private final String jobId;
    private final Counter deadLettered = DeadLetterStage.RAW.counter();

    RawRowsFn(String jobId) {
      this.jobId = jobId;
    }

    @ProcessElement
    public void process(@Element FetchedCall call, MultiOutputReceiver out) {
      try {
        for (WarehouseRow r : WarehouseRows.raw(call, jobId, Instant.now())) {
          out.get(RAW_OUT).output(r);
        }
      } catch (RuntimeException e) {
        deadLettered.inc();
        out.get(RAW_DEADLETTER_OUT).output(DeadLetter.of(DeadLetterStage.RAW, call.callId(), e,
            call.callJson(), 1));
      }
    }
  }

  static final class MemoryRowFn extends DoFn<EnrichedChunk, WarehouseRow> {
    private final String jobId;

    MemoryRowFn(String jobId) {
      this.jobId = jobId;
    }

    @ProcessElement
    public void process(@Element EnrichedChunk chunk, OutputReceiver<WarehouseRow> out) {
      out.output(WarehouseRows.memory(chunk, jobId, Instant.now()));
    }
  }

  static final class DeadLetterRowFn extends DoFn<DeadLetter, WarehouseRow> {
    private final String jobId;
    private final DeadLetterPayload payloads;
    private final Counter count = MetricNames.DEAD_LETTERS.counter();

    DeadLetterRowFn(String jobId, DeadLetterPayload payloads) {
      this.jobId = jobId;
      this.payloads = payloads;
    }

    @ProcessElement
    public void process(@Element DeadLetter dl, OutputReceiver<WarehouseRow> out) {
      count.inc();
      out.output(WarehouseRows.deadLetter(payloads.apply(dl), jobId, Instant.now()));
    }
  }

  /** Logs and counts dead letters that could not even be written to the dead-letter table. */
  public static final class LogUnwritableFn extends DoFn<DeadLetter, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(LogUnwritableFn.class);
    private final Counter lost = MetricNames.DEAD_LETTERS_UNWRITABLE.counter();

    @ProcessElement
    public void process(@Element DeadLetter dl) {
      lost.inc();
      LOG.error("Could not write dead letter {} {}: {}", dl.stage(), dl.recordKey(),
          DeadLetterPayload.REDACTED.apply(dl).errorMessage());
    }
  }
}
