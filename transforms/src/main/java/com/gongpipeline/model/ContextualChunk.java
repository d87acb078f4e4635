package com.gongpipeline.model;

import java.io.Serializable;

/** A redacted chunk travelling with its call's context towards enrichment. */
public record ContextualChunk(SpeakerChunk chunk, CallContext context) implements Serializable {}
