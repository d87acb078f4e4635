package com.gongpipeline.gong.sim;

import java.util.List;

/**
 * One speaker turn. {@code speakerId} may be null (hard case {@code null_speaker}); {@code topic}
 * is what Gong sends (usually null) while {@code theme} is the generator's own label, used for the
 * call's content topics.
 */
record SimMonologue(String speakerId, String topic, Theme theme, List<SimSentence> sentences) {

  long startMs() {
    return sentences.isEmpty() ? 0 : sentences.get(0).start();
  }

  long endMs() {
    return sentences.isEmpty() ? 0 : sentences.get(sentences.size() - 1).end();
  }
}
