package com.gongpipeline.enrich;

import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What risk classification made of one chunk of one call version: every chunk of the call is
 * reported, so the call's risks are only aggregated when all its chunks are here.
 *
 * @param classified the chunk is a customer chunk of an English call embedded by the classifier's
 *     model, and was classified ({@code labels} may then be empty)
 * @param failed the classifier could not run for it: the call's stored risks must stay
 * @param sentiment the chunk's sentiment score, NaN when it has none
 */
public record ChunkRisk(
    String callId,
    long version,
    int chunkIndex,
    String memoryId,
    @Nullable String speakerId,
    long startMs,
    String contentHash,
    double sentiment,
    boolean classified,
    boolean failed,
    List<RiskClassifier.Label> labels)
    implements Serializable {}
