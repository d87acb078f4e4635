package com.gongpipeline.serving;

/**
 * One ranked chunk: its fused score (reciprocal-rank fusion in hybrid mode, cosine similarity in
 * semantic mode, BM25 in keyword mode) and the chunk.
 */
public record MemoryHit(double score, MemoryDoc doc) {}
