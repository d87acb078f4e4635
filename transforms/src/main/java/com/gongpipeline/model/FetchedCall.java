package com.gongpipeline.model;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One call as fetched from Gong: its {@code /v2/calls/extensive} object and its
 * {@code /v2/calls/transcript} entry, both as the JSON text Gong sent.
 *
 * @param transcriptJson null when Gong returned no transcript for the call (e.g. no speech)
 * @param version when it was fetched (epoch microseconds): a later fetch is a newer version, and
 *     the sink never lets an older version overwrite a newer one (0: unversioned, e.g. fixtures)
 */
public record FetchedCall(String callId, String callJson, @Nullable String transcriptJson,
    long version) implements Serializable {

  /** An unversioned call (version 0). */
  public FetchedCall(String callId, String callJson, @Nullable String transcriptJson) {
    this(callId, callJson, transcriptJson, 0L);
  }

  /** A version number for a fetch made now: epoch microseconds. */
  public static long versionAt(java.time.Instant fetchedAt) {
    return fetchedAt.getEpochSecond() * 1_000_000L + fetchedAt.getNano() / 1_000L;
  }
}
