package com.gongpipeline.transforms;

import com.gongpipeline.enrich.CallVectors;
import com.gongpipeline.model.CallChunks;
import com.gongpipeline.model.EnrichedChunk;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The call-level vectors for "similar calls": per call, once every chunk of its current version
 * has been embedded (the set {@link ChunkBySpeaker#CHUNK_KEYS_OUT} announces), the L2-normalised
 * mean of the chunks' vectors ({@link CallVectors#normalisedMean}) as an {@code
 * AI_MEMORY.CALL_VECTORS} row (SOURCE_TYPE {@code call}), versioned like the chunks.
 *
 * <p>A stateful DoFn keyed by call id collects the announced set and the enriched chunks, which
 * may arrive in any order and in several bundles (or, on a stream, in several panes of the call's
 * window); it emits only when the set is complete. A call whose chunk could not be embedded (a
 * dead letter) emits nothing, so the stored vector stays until a run embeds every chunk; chunks of
 * another version than the announced one are ignored. No model is called: stored chunk vectors are
 * reused upstream, so an unchanged call yields the same row and its MERGE changes nothing.
 */
public final class ToCallVectors {
  /** {@code SOURCE_TYPE} of call vectors. */
  public static final String SOURCE_TYPE = "call";

  private ToCallVectors() {}

  /** Applied to the enriched chunks; {@code announced} are the calls' complete chunk sets. */
  public static PTransform<PCollection<EnrichedChunk>, PCollection<WarehouseRow>> of(
      String jobId, PCollection<CallChunks> announced) {
    return new PTransform<>("ToCallVectors") {
      @Override
      public PCollection<WarehouseRow> expand(PCollection<EnrichedChunk> chunks) {
        PCollection<KV<String, Part>> sets = announced.apply("KeyChunkSets",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                    TypeDescriptor.of(Part.class)))
                .via(c -> KV.of(c.callId(), new Part(c, null))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Part.class)));
        PCollection<KV<String, Part>> parts = chunks.apply("KeyChunks",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                    TypeDescriptor.of(Part.class)))
                .via(e -> KV.of(e.chunk().callId(), new Part(null, e))))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Part.class)));
        return PCollectionList.of(sets).and(parts)
            .apply("ChunkSetsAndChunks", Flatten.pCollections())
            .apply("CollectCallChunks", ParDo.of(new CollectFn(jobId)))
            .setCoder(SerializableCoder.of(WarehouseRow.class));
      }
    };
  }

  /** Either a call's announced chunk set or one of its enriched chunks. */
  public record Part(@Nullable CallChunks set, @Nullable EnrichedChunk chunk)
      implements Serializable {}

  /** The key sets of {@link #keys} for every announced chunk set. */
  public static PTransform<PCollection<CallChunks>, PCollection<ChildKeys>> keySets() {
    return new PTransform<>("ToCallVectorKeySets") {
      @Override
      public PCollection<ChildKeys> expand(PCollection<CallChunks> sets) {
        return sets.apply(MapElements.into(TypeDescriptor.of(ChildKeys.class))
                .via(ToCallVectors::keys))
            .setCoder(SerializableCoder.of(ChildKeys.class));
      }
    };
  }

  /**
   * The {@code AI_MEMORY.CALL_VECTORS} key set of a call: its row when it has chunks, none
   * otherwise (a call that lost its speech loses its vector).
   */
  public static ChildKeys keys(CallChunks c) {
    return new ChildKeys(WarehouseTable.CALL_VECTORS, "CALL_ID", c.callId(), "CALL_ID",
        c.chunkIndexes().isEmpty() ? List.of() : List.of(c.callId()), c.version());
  }

  /**
   * The row of a call from all its enriched chunks (any order); null when they have no vectors
   * of one model and dimension.
   */
  public static @Nullable WarehouseRow row(List<EnrichedChunk> chunks, String jobId,
      Instant now) {
    if (chunks.isEmpty()) {
      return null;
    }
    List<EnrichedChunk> sorted = new ArrayList<>(chunks);
    sorted.sort(Comparator.comparingInt(e -> e.chunk().chunkIndex()));
    String model = sorted.get(0).embeddingModel();
    int dim = sorted.get(0).embedding().length;
    List<float[]> vectors = new ArrayList<>();
    StringBuilder inputs = new StringBuilder();
    for (EnrichedChunk e : sorted) {
      if (!model.equals(e.embeddingModel()) || e.embedding().length != dim) {
        return null;
      }
      vectors.add(e.embedding());
      inputs.append(WarehouseRows.memoryId(e.chunk())).append(' ')
          .append(JsonSupport.sha256(e.chunk().text())).append('\n');
    }
    float[] mean;
    try {
      mean = CallVectors.normalisedMean(vectors);
    } catch (IllegalArgumentException noDirection) {
      return null;
    }
    EnrichedChunk first = sorted.get(0);
    return WarehouseRow.of(WarehouseTable.CALL_VECTORS)
        .set("CALL_ID", first.chunk().callId())
        .set("SOURCE_TYPE", SOURCE_TYPE)
        .set("EMBEDDING", mean)
        .set("EMBEDDING_MODEL", model)
        .set("EMBEDDING_DIM", dim)
        .set("CHUNK_COUNT", sorted.size())
        .set("INPUT_HASH", JsonSupport.sha256(model + "\n" + inputs))
        .set("JOB_ID", jobId)
        .set("LOADED_AT", now)
        .build().withCallVersion(first.context().version());
  }

  static final class CollectFn extends DoFn<KV<String, Part>, WarehouseRow> {
    private final String jobId;

    @StateId("set")
    private final StateSpec<ValueState<CallChunks>> setSpec =
        StateSpecs.value(SerializableCoder.of(CallChunks.class));

    @StateId("chunks")
    private final StateSpec<BagState<EnrichedChunk>> chunksSpec =
        StateSpecs.bag(SerializableCoder.of(EnrichedChunk.class));

    CollectFn(String jobId) {
      this.jobId = jobId;
    }

    @ProcessElement
    public void process(@Element KV<String, Part> in,
        @StateId("set") ValueState<CallChunks> setState,
        @StateId("chunks") BagState<EnrichedChunk> chunksState,
        OutputReceiver<WarehouseRow> out) {
      Part p = in.getValue();
      CallChunks set = setState.read();
      if (p.set() != null) {
        if (set != null && set.version() > p.set().version()) {
          return; // an older version's set after a newer one
        }
        set = p.set();
        setState.write(set);
      } else if (p.chunk() != null) {
        chunksState.add(p.chunk());
      }
      if (set == null || set.chunkIndexes().isEmpty()) {
        return;
      }
      Set<Integer> want = new HashSet<>(set.chunkIndexes());
      List<EnrichedChunk> have = new ArrayList<>();
      Set<Integer> seen = new HashSet<>();
      for (EnrichedChunk e : chunksState.read()) {
        if (e.context().version() == set.version() && want.contains(e.chunk().chunkIndex())
            && seen.add(e.chunk().chunkIndex())) {
          have.add(e);
        }
      }
      if (seen.size() < want.size()) {
        return;
      }
      WarehouseRow row = row(have, jobId, Instant.now());
      // Done with this version and older ones; a newer version's chunks that came first stay.
      List<EnrichedChunk> newer = new ArrayList<>();
      for (EnrichedChunk e : chunksState.read()) {
        if (e.context().version() > set.version()) {
          newer.add(e);
        }
      }
      chunksState.clear();
      newer.forEach(chunksState::add);
      if (row != null) {
        out.output(row);
      }
    }
  }
}
