package com.gongpipeline.warehouse;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A call's stored summary: text, method and the hash of the inputs it was made from. */
public record StoredSummary(String callId, @Nullable String summary, @Nullable String method,
    @Nullable String inputHash) implements Serializable {}
