package com.gongpipeline.gong.sim;

/** One transcript sentence; start/end are milliseconds from the call's start. */
record SimSentence(long start, long end, String text) {}
