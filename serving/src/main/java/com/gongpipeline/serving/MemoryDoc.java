package com.gongpipeline.serving;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One AI_MEMORY chunk as the index holds it: the redacted text, its (normalised) vector, where it
 * sits in its call, and the call's context (title, URL, account, start) read from the record's
 * METADATA, falling back to STG_GONG_CALLS.
 *
 * @param startedMs the call's start, epoch milliseconds, or null when unknown
 * @param loadedAtMicros the row's LOADED_AT, epoch microseconds (the index's high-water mark)
 */
public record MemoryDoc(
    String memoryId,
    String callId,
    int chunkIndex,
    String text,
    float[] vector,
    @Nullable String title,
    @Nullable String url,
    @Nullable String account,
    @Nullable Long startedMs,
    @Nullable String speaker,
    @Nullable String affiliation,
    @Nullable Long startMs,
    @Nullable Long endMs,
    long loadedAtMicros) {}
