package com.gongpipeline.cortex;

import java.util.Map;

/**
 * What one {@link CortexEmbedder} has done so far (the same facts its Beam metrics carry).
 *
 * @param requests HTTP requests made, retries included
 * @param requestsByStatus requests per HTTP status (0 = I/O failure)
 * @param texts texts embedded successfully
 * @param tokens {@code usage.total_tokens} summed over successful responses
 * @param retries waits before a new attempt
 * @param throttled 429 responses
 * @param failures batches that ended in an exception
 * @param latencyMillisSum time spent in requests
 */
public record CortexStats(long requests, Map<Integer, Long> requestsByStatus, long texts,
    long tokens, long retries, long throttled, long failures, long latencyMillisSum) {}
