package com.gongpipeline.model;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One call as fetched from Gong: its {@code /v2/calls/extensive} object and its
 * {@code /v2/calls/transcript} entry, both as the JSON text Gong sent.
 *
 * @param transcriptJson null when Gong returned no transcript for the call (e.g. no speech)
 */
public record FetchedCall(String callId, String callJson, @Nullable String transcriptJson)
    implements Serializable {}
