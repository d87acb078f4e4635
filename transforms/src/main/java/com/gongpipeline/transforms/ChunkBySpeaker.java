package com.gongpipeline.transforms;

import com.gongpipeline.chunking.PiiRedactor;
import com.gongpipeline.chunking.RedactionResult;
import com.gongpipeline.chunking.SpeakerChunker;
import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.CallChunks;
import com.gongpipeline.model.ContextualChunk;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.model.TranscriptTurn;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Redacts PII (emails, phone numbers, SSN- and card-like numbers) from each sentence, then cuts
 * each call's transcript into speaker chunks sized by the embedding model's own tokenizer, with
 * overlap inside long monologues. Every chunk cites call id, speaker, affiliation and offsets.
 */
public final class ChunkBySpeaker
    extends PTransform<PCollection<ParsedCall>, PCollectionTuple> {
  /** Redacted chunks with their call context. */
  public static final TupleTag<ContextualChunk> CHUNK_OUT = new TupleTag<>() {};
  /** Calls that could not be chunked. */
  public static final TupleTag<DeadLetter> CHUNK_DEADLETTER_OUT = new TupleTag<>() {};
  /**
   * Per call, the chunks it has now (older chunks beyond them are deleted: {@link
   * ToWarehouseRows#memoryKeySets()} maps them onto AI_MEMORY's key sets).
   */
  public static final TupleTag<CallChunks> CHUNK_KEYS_OUT = new TupleTag<>() {};

  private final EnrichmentProvider provider;
  private final int maxTokens;
  private final int overlapTokens;

  public ChunkBySpeaker(EnrichmentProvider provider, int maxTokens, int overlapTokens) {
    this.provider = provider;
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
  }

  /**
   * Returns a tuple of {@link #CHUNK_OUT}, {@link #CHUNK_KEYS_OUT} and {@link
   * #CHUNK_DEADLETTER_OUT}; {@link #result(PCollectionTuple)} views it as a stage result.
   */
  @Override
  public PCollectionTuple expand(PCollection<ParsedCall> calls) {
    PCollectionTuple tuple =
        calls.apply(
            "RedactAndChunk",
            ParDo.of(new ChunkCallFn(provider, maxTokens, overlapTokens))
                .withOutputTags(CHUNK_OUT,
                    TupleTagList.of(CHUNK_DEADLETTER_OUT).and(CHUNK_KEYS_OUT)));
    tuple.get(CHUNK_OUT).setCoder(SerializableCoder.of(ContextualChunk.class));
    tuple.get(CHUNK_KEYS_OUT).setCoder(SerializableCoder.of(CallChunks.class));
    return tuple;
  }

  /** The chunks and dead letters of an applied {@code ChunkBySpeaker}. */
  public static StageResult<ContextualChunk> result(PCollectionTuple tuple) {
    return StageResult.of(tuple, CHUNK_OUT, CHUNK_DEADLETTER_OUT);
  }

  /** Applies {@link PiiRedactor} to every sentence of the turns. */
  static List<TranscriptTurn> redact(List<TranscriptTurn> turns, Counter redactions) {
    List<TranscriptTurn> out = new ArrayList<>(turns.size());
    for (TranscriptTurn t : turns) {
      List<Sentence> sentences = new ArrayList<>(t.sentences().size());
      for (Sentence s : t.sentences()) {
        RedactionResult r = PiiRedactor.redactCounting(s.text());
        if (r.total() > 0) {
          redactions.inc(r.total());
        }
        sentences.add(new Sentence(s.startMs(), s.endMs(), r.text()));
      }
      out.add(new TranscriptTurn(t.callId(), t.turnIndex(), t.speakerId(), t.speakerName(),
          t.affiliation(), t.topic(), sentences));
    }
    return out;
  }

  static final class ChunkCallFn extends DoFn<ParsedCall, ContextualChunk> {
    private final EnrichmentProvider provider;
    private final int maxTokens;
    private final int overlapTokens;
    private final Counter chunks = Metrics.counter("pipeline", "chunks_created");
    private final Counter redactions = Metrics.counter("pipeline", "pii_redactions");
    private final Counter deadLettered = DeadLetterStage.CHUNK.counter();
    private transient SpeakerChunker chunker;

    ChunkCallFn(EnrichmentProvider provider, int maxTokens, int overlapTokens) {
      this.provider = provider;
      this.maxTokens = maxTokens;
      this.overlapTokens = overlapTokens;
    }

    @Setup
    public void setup() {
      TextEmbedder embedder = provider.embedder();
      chunker = new SpeakerChunker(embedder.tokenCounter(),
          Math.min(maxTokens, embedder.maxInputTokens()), overlapTokens, embedder.passagePrefix());
    }

    @ProcessElement
    public void process(@Element ParsedCall call, MultiOutputReceiver out) {
      try {
        List<SpeakerChunk> result = chunker.chunk(redact(call.turns(), redactions));
        List<Integer> indexes = new ArrayList<>(result.size());
        for (SpeakerChunk c : result) {
          out.get(CHUNK_OUT).output(new ContextualChunk(c, call.context()));
          indexes.add(c.chunkIndex());
        }
        out.get(CHUNK_KEYS_OUT).output(new CallChunks(call.context().callId(), indexes,
            call.context().version()));
        chunks.inc(result.size());
      } catch (RuntimeException e) {
        deadLettered.inc();
        out.get(CHUNK_DEADLETTER_OUT)
            .output(DeadLetter.of(DeadLetterStage.CHUNK, call.context().callId(), e, null, 1));
      }
    }
  }
}
