package com.gongpipeline.model;

import java.io.Serializable;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One Gong tracker of one call ({@code content.trackers[]}): its id, name, type (KEYWORD or
 * SMART), how many times it was mentioned, and for keyword trackers the count per phrase.
 *
 * @param phrasesJson {@code [{phrase, count}]}, or null when Gong sent no phrases
 */
public record CallTracker(
    String callId,
    String trackerId,
    @Nullable String name,
    @Nullable String type,
    @Nullable Integer count,
    @Nullable String phrasesJson,
    String jobId,
    Instant loadedAt)
    implements Serializable {}
