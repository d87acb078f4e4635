package com.gongpipeline.enrich;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Input checks every {@link TextEmbedder} applies, with messages that say what to do. */
final class EmbedderChecks {
  private EmbedderChecks() {}

  static @Nullable String problem(TextEmbedder embedder, @Nullable String text, String prefix) {
    if (text == null || text.isBlank()) {
      return "Cannot embed blank text with " + embedder.modelName();
    }
    int tokens = embedder.tokenCounter().countTokens(prefix + text);
    if (tokens > embedder.maxInputTokens()) {
      return "Text has "
          + tokens
          + " tokens with the '"
          + prefix
          + "' prefix and special tokens; "
          + embedder.modelName()
          + " takes at most "
          + embedder.maxInputTokens()
          + ". Chunk it first (SpeakerChunker); it is never truncated silently.";
    }
    return null;
  }

  /**
   * Throws for the first bad text, naming its index in the batch: stored passages fail as {@link
   * FailureKind#PERMANENT} (this input can never be embedded), a search query as an {@link
   * IllegalArgumentException} (the user's argument).
   */
  static void requireValid(TextEmbedder embedder, List<String> texts, String prefix,
      boolean query) {
    for (int i = 0; i < texts.size(); i++) {
      String problem = problem(embedder, texts.get(i), prefix);
      if (problem != null) {
        String message =
            (texts.size() > 1 ? "Text " + i + " of " + texts.size() + ": " : "") + problem;
        throw query ? new IllegalArgumentException(message)
            : new PipelineException(FailureKind.PERMANENT, message);
      }
    }
  }
}
