package com.gongpipeline.model;

import java.io.Serializable;

/** One transcript sentence as Gong returns it: offsets are milliseconds from call start. */
public record Sentence(long startMs, long endMs, String text) implements Serializable {}
