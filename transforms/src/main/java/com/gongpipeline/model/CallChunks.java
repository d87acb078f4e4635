package com.gongpipeline.model;

import java.io.Serializable;
import java.util.List;

/**
 * The complete set of chunks a call has now (by chunk index): chunks of an older version of the
 * call beyond them are deleted, so a re-chunked call is replaced as a set, with no orphans.
 */
public record CallChunks(String callId, List<Integer> chunkIndexes, long version)
    implements Serializable {

  /** Chunks of an unversioned call (version 0). */
  public CallChunks(String callId, List<Integer> chunkIndexes) {
    this(callId, chunkIndexes, 0L);
  }
}
