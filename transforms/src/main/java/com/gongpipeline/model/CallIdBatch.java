package com.gongpipeline.model;

import java.io.Serializable;
import java.util.List;

/**
 * Up to 100 call ids found by one listing of a {@link TimeWindow}: the unit of detail and transcript
 * fetching (Gong accepts at most 100 ids per {@code /v2/calls/extensive} or transcript request).
 */
public record CallIdBatch(TimeWindow window, List<String> callIds) implements Serializable {}
