package com.gongpipeline.warehouse;

import java.io.Serializable;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One search result: cosine similarity to the query (higher is closer, at most 1), the memory
 * record and its call context (title, start, account from the record's METADATA, falling back to
 * STG_GONG_CALLS), and the chunk text.
 */
public record SearchHit(
    double score,
    String memoryId,
    String callId,
    @Nullable String title,
    @Nullable Instant started,
    @Nullable String account,
    @Nullable String speakerName,
    @Nullable String affiliation,
    @Nullable Long startMs,
    @Nullable Long endMs,
    String text)
    implements Serializable {}
