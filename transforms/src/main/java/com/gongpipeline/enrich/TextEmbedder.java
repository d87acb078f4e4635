package com.gongpipeline.enrich;

import com.gongpipeline.chunking.TokenCounter;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A text embedding model as the pipeline uses it: the local e5-small-v2 ({@link LocalE5Embedder})
 * or Snowflake Cortex over REST ({@code com.gongpipeline.cortex.CortexEmbedder}), behind the same
 * contract.
 *
 * <p>Contract for every implementation:
 *
 * <ul>
 *   <li>The embedder adds the model's prefixes itself ({@link #passagePrefix()} for stored chunks,
 *       {@link #queryPrefix()} for searches); callers pass raw text.
 *   <li>Vectors are L2-normalised (cosine = dot product), {@link #dimension()} long, in input order.
 *   <li>Failures throw {@link com.gongpipeline.errors.PipelineException}; its kind says whose
 *       fault it is. {@link com.gongpipeline.errors.FailureKind#PERMANENT PERMANENT} means this
 *       input: blank text, text whose {@code prefix + text} exceeds {@link #maxInputTokens()} by
 *       {@link #tokenCounter()} (special tokens included; nothing is ever truncated silently), or
 *       text the service refused. A batch containing one bad text fails as a whole, so callers
 *       retry it element by element, or check {@link #invalidPassageReason(String)} first. Any
 *       other kind ({@link ModelUnavailableException}) means the service, after the client's own
 *       bounded retries: the whole batch fails alike, and callers must not retry it again.
 *   <li>{@link #embedQuery} refuses a blank or over-long query with {@link
 *       IllegalArgumentException} (a user's argument, reported as such by the CLI).
 * </ul>
 *
 * <p>Instances are built in a DoFn's {@code @Setup} and closed in {@code @Teardown}; they need not
 * be serializable. Implementations must be thread-safe.
 */
public interface TextEmbedder extends AutoCloseable {

  /** Stored with every vector (e.g. {@code e5-small-v2}); vectors of different models never mix. */
  String modelName();

  int dimension();

  /** The model window in tokens, including special tokens and the prefix. */
  int maxInputTokens();

  String passagePrefix();

  String queryPrefix();

  /** Counts tokens exactly as this model does, for sizing chunks and pre-checking inputs. */
  TokenCounter tokenCounter();

  /** Embeds stored passages (chunks): adds {@link #passagePrefix()}, batches, keeps order. */
  List<float[]> embedPassages(List<String> texts);

  /** Embeds a search query with {@link #queryPrefix()}. */
  float[] embedQuery(String text);

  /**
   * Why {@link #embedPassages} would reject {@code text}, or null if it would not. Lets a DoFn
   * route bad elements to the dead-letter output one by one instead of failing a whole batch.
   */
  default @Nullable String invalidPassageReason(@Nullable String text) {
    return EmbedderChecks.problem(this, text, passagePrefix());
  }

  /** Shared models are owned by the JVM, not by one user; the default does nothing. */
  @Override
  default void close() {}
}
