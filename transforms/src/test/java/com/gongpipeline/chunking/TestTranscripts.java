package com.gongpipeline.chunking;

import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builders for synthetic transcripts used by the chunking tests. */
final class TestTranscripts {
  private TestTranscripts() {}

  static final String[] VOCAB = {
    "pricing", "the", "renewal", "budget", "we", "need", "to", "discuss", "onboarding",
    "integration", "Salesforce", "timeline", "quarter", "team", "seats", "discount", "contract",
    "legal", "review", "security", "questionnaire", "SOC2", "procurement", "pilot", "success",
    "metrics", "dashboard", "forecast", "pipeline", "champion", "decision-maker", "next", "steps",
    "honestly", "really", "about", "that's", "implementation", "can't", "$48,000", "40%", "Q3",
    "2026", "users", "API", "webhooks", "analytics", "coaching", "calls", "deals"
  };

  static TranscriptTurn turn(
      String callId, int turnIndex, String speakerId, String name, List<Sentence> sentences) {
    return new TranscriptTurn(
        callId, turnIndex, speakerId, name, speakerId == null ? "Unknown" : "External", null,
        sentences);
  }

  static Sentence sentence(long startMs, long endMs, String text) {
    return new Sentence(startMs, endMs, text);
  }

  /** Sentences of 4..28 random vocabulary words, about 3 s each, totalling {@code words} words. */
  static List<Sentence> monologue(int words, long seed) {
    Random r = new Random(seed);
    List<Sentence> out = new ArrayList<>();
    int written = 0;
    long t = 10_000;
    while (written < words) {
      int n = Math.min(words - written, 4 + r.nextInt(25));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(' ');
        }
        String w = VOCAB[r.nextInt(VOCAB.length)];
        sb.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
        if (i == n / 2 && r.nextBoolean()) {
          sb.append(',');
        }
      }
      sb.append(r.nextInt(5) == 0 ? '?' : '.');
      // Unique marker so each sentence can be located exactly in chunk texts.
      sb.append(" S").append(out.size()).append('.');
      long dur = 250L * (n + 1);
      out.add(new Sentence(t, t + dur, sb.toString()));
      t += dur + 120;
      written += n;
    }
    return out;
  }

  /** One sentence of {@code words} random vocabulary words. */
  static String longSentence(int words, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        sb.append(i % 17 == 0 ? ", " : " ");
      }
      sb.append(VOCAB[r.nextInt(VOCAB.length)]);
    }
    return sb.append('.').toString();
  }
}
