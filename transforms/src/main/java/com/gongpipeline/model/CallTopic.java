package com.gongpipeline.model;

import java.io.Serializable;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One topic Gong found in a call, with how long it was discussed. */
public record CallTopic(
    String callId, String name, @Nullable Double durationSeconds, String jobId, Instant loadedAt)
    implements Serializable {}
