package com.gongpipeline.enrich;

import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.parse.JsonSupport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The embedded path's summary ({@value #METHOD}): the call's most central sentences, put back in
 * call order. Centrality is the cosine between a sentence's e5 vector and the call's mean vector
 * (the L2-normalised mean of its candidate sentences' vectors), so the sentences closest to what
 * the whole call is about win and small talk or one-off remarks lose.
 *
 * <ul>
 *   <li>Candidates: statements (not questions) of at least {@value #MIN_WORDS} words and at most
 *       {@value #MAX_SENTENCE_CHARS} characters from the redacted turns; at most {@value
 *       #MAX_CANDIDATES} per call, spread evenly over it, so a long call costs at most that many
 *       short embeddings.
 *   <li>Selection: by centrality (ties: earlier first), at most {@value #MAX_SENTENCES} sentences
 *       and {@value #MAX_CHARS} characters in all; printed in call order.
 * </ul>
 */
public final class ExtractiveSummarizer implements CallSummarizer {
  public static final String METHOD = "e5-extractive-v1";
  static final int MIN_WORDS = 6;
  static final int MAX_SENTENCE_CHARS = 300;
  static final int MAX_CANDIDATES = 32;
  static final int MAX_SENTENCES = 3;
  static final int MAX_CHARS = 600;

  private final TextEmbedder embedder;

  public ExtractiveSummarizer(TextEmbedder embedder) {
    this.embedder = embedder;
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public void close() {
    embedder.close();
  }

  @Override
  public Input input(List<TranscriptTurn> redactedTurns) {
    List<String> picked = candidates(redactedTurns);
    return new Input(picked, JsonSupport.sha256(METHOD + "\n" + embedder.modelName() + "\n"
        + String.join("\n", picked)));
  }

  /**
   * The candidate sentences of a call's redacted turns: in call order, stripped, statements of a
   * bounded length, at most {@link #MAX_CANDIDATES} spread evenly over the call.
   */
  static List<String> candidates(List<TranscriptTurn> redactedTurns) {
    List<String> all = new ArrayList<>();
    for (TranscriptTurn t : redactedTurns) {
      for (Sentence s : t.sentences()) {
        String text = s.text().strip();
        if (isCandidate(text)) {
          all.add(text);
        }
      }
    }
    return spread(all, MAX_CANDIDATES);
  }

  static boolean isCandidate(String text) {
    return !text.isEmpty() && !text.endsWith("?") && text.length() <= MAX_SENTENCE_CHARS
        && text.split("\\s+").length >= MIN_WORDS;
  }

  /** At most {@code max} of {@code items}, evenly spaced, first and order kept. */
  static List<String> spread(List<String> items, int max) {
    if (items.size() <= max) {
      return List.copyOf(items);
    }
    List<String> out = new ArrayList<>(max);
    for (int i = 0; i < max; i++) {
      out.add(items.get((int) ((long) i * items.size() / max)));
    }
    return out;
  }

  @Override
  public @Nullable String summarise(Input input) {
    List<String> texts = new ArrayList<>();
    for (String t : input.texts()) {
      if (embedder.invalidPassageReason(t) == null) {
        texts.add(t);
      }
    }
    if (texts.isEmpty()) {
      return null;
    }
    return select(texts, embedder.embedPassages(texts));
  }

  /** The summary of {@code texts} (call order) given their unit vectors. */
  static String select(List<String> texts, List<float[]> vectors) {
    float[] mean = CallVectors.normalisedMean(vectors);
    double[] score = new double[texts.size()];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      score[i] = CallVectors.dot(vectors.get(i), mean);
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparing(i -> i));
    List<Integer> chosen = new ArrayList<>();
    int chars = 0;
    for (int i : order) {
      if (chosen.size() >= MAX_SENTENCES) {
        break;
      }
      int len = texts.get(i).length() + (chosen.isEmpty() ? 0 : 1);
      if (chars + len > MAX_CHARS) {
        continue;
      }
      chosen.add(i);
      chars += len;
    }
    chosen.sort(null);
    StringBuilder sb = new StringBuilder();
    for (int i : chosen) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(texts.get(i));
    }
    return sb.toString();
  }
}
