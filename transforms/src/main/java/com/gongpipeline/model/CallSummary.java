package com.gongpipeline.model;

import java.io.Serializable;

/**
 * A call's summary as stored in {@code STG_GONG_CALLS}: the text (PII-redacted unless it is
 * Gong's own brief), the method that made it, and the hash of that method's inputs (an unchanged
 * hash reuses the stored summary without a model call).
 */
public record CallSummary(String text, String method, String inputHash) implements Serializable {}
