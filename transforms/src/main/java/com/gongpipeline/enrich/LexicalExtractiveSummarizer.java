package com.gongpipeline.enrich;

import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.parse.JsonSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The summary of a call in a language the embedding models are not trained on ({@link
 * com.gongpipeline.model.CallContext#englishOrUnknown()} false) that Gong sent no brief for: the
 * call's most central sentences, in the call's own language and in call order, with no model.
 * Centrality is lexical: each candidate sentence is a TF-IDF vector over its words (letters and
 * digits, lower-cased, at least {@value #MIN_TOKEN_CHARS} characters, which drops most short
 * function words of the Latin-script languages), and its score is the cosine with the
 * normalised mean of all candidates' vectors, so the sentences sharing the most of what the call
 * keeps talking about win. Candidates and bounds are {@link ExtractiveSummarizer}'s (statements of
 * at least 6 words, at most 32 per call, at most 3 sentences and 600 characters), so the two
 * methods' summaries look alike.
 *
 * <p>The method names the language ({@code lexical-extractive-v1:spa}), recorded in {@code
 * CALL_SUMMARY_METHOD}: the summary is not a translation, and a reader (or a report) can tell it
 * is in Spanish without looking.
 */
public final class LexicalExtractiveSummarizer implements CallSummarizer {
  /** {@code CALL_SUMMARY_METHOD} is this, a colon and the call's language code. */
  public static final String METHOD_PREFIX = "lexical-extractive-v1";
  static final int MIN_TOKEN_CHARS = 4;
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N}]*");

  private final String method;

  /** @param language the call's language as Gong gives it (ISO 639-2, e.g. {@code spa}) */
  public LexicalExtractiveSummarizer(String language) {
    String code = language == null || language.isBlank() ? "und"
        : language.strip().toLowerCase(Locale.ROOT);
    this.method = METHOD_PREFIX + ":" + code;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public Input input(List<TranscriptTurn> redactedTurns) {
    List<String> picked = ExtractiveSummarizer.candidates(redactedTurns);
    return new Input(picked, JsonSupport.sha256(method + "\n" + String.join("\n", picked)));
  }

  @Override
  public @Nullable String summarise(Input input) {
    if (input.isEmpty()) {
      return null;
    }
    List<float[]> vectors = vectors(input.texts());
    boolean anyWord = false;
    for (float[] v : vectors) {
      for (float x : v) {
        anyWord |= x != 0;
      }
    }
    // No sentence with a word of MIN_TOKEN_CHARS: nothing central to pick (no summary, no error).
    return anyWord ? ExtractiveSummarizer.select(input.texts(), vectors) : null;
  }

  /** Unit TF-IDF vectors of {@code texts} (a zero vector for a sentence without words). */
  static List<float[]> vectors(List<String> texts) {
    Map<String, Integer> vocabulary = new LinkedHashMap<>();
    List<Map<String, Integer>> counts = new ArrayList<>();
    Map<String, Integer> documentFrequency = new HashMap<>();
    for (String text : texts) {
      Map<String, Integer> tf = new HashMap<>();
      Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
      while (m.find()) {
        String w = m.group();
        if (w.codePointCount(0, w.length()) >= MIN_TOKEN_CHARS) {
          tf.merge(w, 1, Integer::sum);
          vocabulary.putIfAbsent(w, vocabulary.size());
        }
      }
      tf.keySet().forEach(w -> documentFrequency.merge(w, 1, Integer::sum));
      counts.add(tf);
    }
    int n = texts.size();
    List<float[]> out = new ArrayList<>(n);
    for (Map<String, Integer> tf : counts) {
      float[] v = new float[Math.max(1, vocabulary.size())];
      double norm = 0;
      for (Map.Entry<String, Integer> e : tf.entrySet()) {
        double w = e.getValue() * Math.log(1.0 + (double) n / documentFrequency.get(e.getKey()));
        v[vocabulary.get(e.getKey())] = (float) w;
        norm += w * w;
      }
      if (norm > 0) {
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
          v[i] *= inv;
        }
      }
      out.add(v);
    }
    return out;
  }
}
