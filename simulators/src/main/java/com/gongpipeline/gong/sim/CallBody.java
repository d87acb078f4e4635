package com.gongpipeline.gong.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expensive part of a generated call: participants, transcript and the AI-style summary.
 * {@code parties} is empty for uploaded calls (rendered as no {@code parties} field at all);
 * {@code brief} is null when there was nothing to summarise.
 */
record CallBody(
    List<SimParty> parties,
    List<SimMonologue> transcript,
    long durationSeconds,
    CallFacts facts,
    String brief,
    List<String> keyPoints) {

  /** Seconds spent per theme, in order of first appearance ({@code content.topics}). */
  Map<Theme, Long> topicSeconds() {
    Map<Theme, Long> out = new LinkedHashMap<>();
    for (SimMonologue m : transcript) {
      if (m.theme() != null) {
        out.merge(m.theme(), Math.round((m.endMs() - m.startMs()) / 1000.0), Long::sum);
      }
    }
    return out;
  }

  /** Milliseconds each speaker talked, keyed by speakerId (null speakers are skipped). */
  Map<String, Long> talkMillis() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (SimMonologue m : transcript) {
      if (m.speakerId() != null) {
        for (SimSentence s : m.sentences()) {
          out.merge(m.speakerId(), s.end() - s.start(), Long::sum);
        }
      }
    }
    return out;
  }
}
