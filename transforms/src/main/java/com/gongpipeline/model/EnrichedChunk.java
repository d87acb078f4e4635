package com.gongpipeline.model;

import java.io.Serializable;

/** A chunk with its embedding and sentiment, ready for {@code AI_MEMORY.MEMORY_RECORDS}. */
public record EnrichedChunk(
    SpeakerChunk chunk,
    CallContext context,
    float[] embedding,
    String embeddingModel,
    double sentiment,
    String sentimentModel)
    implements Serializable {}
