package com.gongpipeline.model;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A piece of one speaker turn, sized to fit the embedding model, that cites where it came from.
 *
 * @param chunkIndex position of the chunk within the call, from 0, in transcript order
 * @param turnIndex the speaker turn it was cut from
 * @param startMs offset of its first sentence from call start
 * @param endMs end offset of its last sentence
 * @param text chunk text (already PII-redacted when it leaves {@code ChunkBySpeaker})
 * @param tokenCount tokens of {@code prefix + text} by the embedding model's own tokenizer,
 *     special tokens included
 */
public record SpeakerChunk(
    String callId,
    int chunkIndex,
    int turnIndex,
    @Nullable String speakerId,
    String speakerName,
    String affiliation,
    long startMs,
    long endMs,
    String text,
    int tokenCount)
    implements Serializable {

  public SpeakerChunk withText(String newText, int newTokenCount) {
    return new SpeakerChunk(
        callId, chunkIndex, turnIndex, speakerId, speakerName, affiliation, startMs, endMs, newText,
        newTokenCount);
  }
}
