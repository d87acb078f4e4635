package com.gongpipeline.enrich;

import com.gongpipeline.model.TranscriptTurn;
import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Summarises a call that Gong sent no brief for: the local {@link ExtractiveSummarizer} (e5
 * centrality, {@value ExtractiveSummarizer#METHOD}) or, on Snowflake, {@code AI_SUMMARIZE_AGG}
 * ({@code com.gongpipeline.snowflake.CortexSqlSummarizer}). Built in a DoFn's {@code @Setup},
 * closed in {@code @Teardown}.
 *
 * <p>Two steps, so a caller can skip the model: {@link #input} picks what the method reads from
 * the call's PII-redacted turns (cheap, no model) and hashes it with the method and model; when
 * that hash equals the stored {@code CALL_SUMMARY_INPUT_HASH}, the stored summary is reused.
 * {@link #summarise} calls the model; failures are {@link com.gongpipeline.errors.PipelineException}s.
 */
public interface CallSummarizer extends AutoCloseable {

  /** Stored in {@code CALL_SUMMARY_METHOD}. */
  String method();

  /** What {@link #summarise} would read of these (redacted) turns, in call order, and its hash. */
  Input input(List<TranscriptTurn> redactedTurns);

  /** The summary of {@code input}; null when there is nothing to summarise. */
  @Nullable String summarise(Input input);

  @Override
  default void close() {}

  /** The texts a summariser reads and the hash of method, model and texts. */
  record Input(List<String> texts, String hash) {
    public boolean isEmpty() {
      return texts.isEmpty();
    }
  }

  /** Builds a summariser on a worker. */
  @FunctionalInterface
  interface Factory extends Serializable {
    CallSummarizer create();
  }
}
