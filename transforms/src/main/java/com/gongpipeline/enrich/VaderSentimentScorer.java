package com.gongpipeline.enrich;

import com.vader.sentiment.analyzer.SentimentAnalyzer;
import com.vader.sentiment.util.Utils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;

/**
 * Offline sentiment with VADER (Java port 1.0) plus a small sales-call lexicon ({@link
 * SalesLexicon}): the local stand-in for {@code SNOWFLAKE.CORTEX.SENTIMENT}, same [-1, 1] range.
 *
 * <p>Multi-sentence texts: the score is the <b>mean of VADER's compound score per sentence</b>, as
 * VADER's authors recommend for paragraphs. Scoring a whole chunk at once sums valences before
 * squashing them, so longer chunks drift towards ±1 regardless of tone; the mean keeps a 3-sentence
 * and a 15-sentence chunk comparable. Sentences are split after {@code . ! ?} followed by space.
 *
 * <p>Thread safety: every text gets its own {@code SentimentAnalyzer} (it keeps per-text state in
 * fields); the port's lexicons are static maps that are only read after {@link Holder} has applied
 * the sales adjustments during class initialisation, which publishes them safely to every thread
 * that goes through this class.
 *
 * <p>Known weakness: phrases without a lexicon word stay neutral ("the price is way too high" is
 * 0.0); VADER only knows words.
 */
public final class VaderSentimentScorer implements SentimentScorer {
  public static final String MODEL_NAME = "vader-1.0";

  /** The lexicon adjustments in use; scores change when it changes. */
  public static final String LEXICON_VERSION = SalesLexicon.VERSION;

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");

  private static final class Holder {
    static final boolean READY = init();

    private static boolean init() {
      // VADER logs every token at DEBUG through log4j 1.x; keep it quiet whatever the root level.
      Logger.getLogger("com.vader").setLevel(Level.WARN);
      SalesLexicon.applyTo(Utils.getWordValenceDictionary());
      return true;
    }
  }

  @Override
  public String modelName() {
    return MODEL_NAME;
  }

  @Override
  public double[] score(List<String> texts) {
    if (!Holder.READY) {
      throw new IllegalStateException("VADER lexicon not initialised");
    }
    double[] out = new double[texts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = scoreOne(texts.get(i));
    }
    return out;
  }

  private static double scoreOne(String text) {
    if (text == null || text.isBlank()) {
      return 0.0;
    }
    double sum = 0;
    int n = 0;
    for (String sentence : SENTENCE_END.split(text.strip())) {
      if (!sentence.isBlank()) {
        sum += compound(sentence);
        n++;
      }
    }
    double mean = n == 0 ? 0.0 : sum / n;
    return Double.isFinite(mean) ? Math.max(-1.0, Math.min(1.0, mean)) : 0.0;
  }

  private static double compound(String sentence) {
    try {
      SentimentAnalyzer analyzer = new SentimentAnalyzer(sentence);
      analyzer.analyze();
      Float compound = analyzer.getPolarity().get("compound");
      return compound == null ? 0.0 : compound;
    } catch (IOException e) {
      throw new UncheckedIOException("VADER failed on a sentence", e);
    }
  }

  @Override
  public String toString() {
    return "VaderSentimentScorer(" + MODEL_NAME + ", lexicon " + LEXICON_VERSION + ")";
  }
}
