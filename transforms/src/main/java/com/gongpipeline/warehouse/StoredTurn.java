package com.gongpipeline.warehouse;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A speaker turn as {@code STG_GONG_CALL_TRANSCRIPTS} holds it, with the sentiment model of its
 * call, so a re-read turn with the same text keeps its score instead of being scored again.
 */
public record StoredTurn(
    String transcriptId, String text, @Nullable Double sentiment, @Nullable String sentimentModel)
    implements Serializable {}
