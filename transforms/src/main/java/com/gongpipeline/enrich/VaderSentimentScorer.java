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
 * Offline sentiment with VADER (Java port 1.0) plus sales-call adjustments ({@link SalesLexicon}):
 * the local stand-in for {@code SNOWFLAKE.CORTEX.SENTIMENT}, same [-1, 1] range.
 *
 * <p>Per sentence: VADER's compound score {@code c} of the sentence without its neutral and sales phrases,
 * combined with the valences {@code p} of the sales phrases it contains on VADER's own raw scale:
 * {@code raw = c * sqrt(15 / (1 - c²)) + p} (VADER's normalisation inverted, alpha = 15), then
 * {@code raw / sqrt(raw² + 15)}. VADER's own negation ("not happy") and intensifier ("really
 * frustrated") rules apply to words; {@link SalesLexicon#phraseValence} applies the same to
 * phrases.
 *
 * <p>Multi-sentence texts: the score is the <b>mean of the per-sentence scores</b>, as VADER's
 * authors recommend for paragraphs. Scoring a whole chunk at once sums valences before squashing
 * them, so longer chunks drift towards ±1 regardless of tone; the mean keeps a 3-sentence and a
 * 15-sentence chunk comparable. Sentences are split after {@code . ! ?} followed by space.
 * Sentences without a Latin letter (emoji, punctuation, CJK or RTL script the English lexicon
 * cannot read) are not scored; a text with no scorable sentence scores NaN, stored as NULL: the
 * model had nothing to read, which is not the same as neutral.
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
  /** The lexicon adjustments in use; scores change when it changes. */
  public static final String LEXICON_VERSION = SalesLexicon.VERSION;

  /** VADER 1.0 with this lexicon version: stored with every score, so a change recomputes. */
  public static final String MODEL_NAME = "vader-1.0+" + LEXICON_VERSION;

  /** VADER's normalisation constant: compound = raw / sqrt(raw² + ALPHA). */
  private static final double ALPHA = 15.0;
  private static final Pattern LATIN_LETTER = Pattern.compile("[A-Za-z\u00C0-\u024F]");

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
      return Double.NaN;
    }
    double sum = 0;
    int n = 0;
    for (String sentence : SENTENCE_END.split(text.strip())) {
      if (LATIN_LETTER.matcher(sentence).find()) {
        sum += sentence(sentence);
        n++;
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    double mean = sum / n;
    return Double.isFinite(mean) ? Math.max(-1.0, Math.min(1.0, mean)) : Double.NaN;
  }

  static final int MEMO_ENTRIES = 20_000;
  static final int MEMO_MAX_CHARS = 300;

  /**
   * Scores of sentences seen lately, by text: a sentence's score depends on its text alone (the
   * lexicons are fixed after {@link Holder}), and the same sentences are scored twice, once in
   * their turn ({@code ScoreTranscripts}) and once in their chunk ({@code EnrichChunks}), besides
   * speech's own repeats ("Sounds good."). Bounded ({@link TextMemo}): sentences of at most {@link
   * #MEMO_MAX_CHARS} characters, at most {@link #MEMO_ENTRIES} (about 15 MB).
   */
  private static final TextMemo<Double> MEMO = new TextMemo<>(MEMO_ENTRIES, MEMO_MAX_CHARS);

  /** Entries in the memo now (for tests). */
  static int memoSize() {
    return MEMO.size();
  }

  /**
   * Sentences scored in this JVM so far and how many of them the memo answered ({@code bench}
   * prints the share: on the simulator's templated speech it is higher than on real calls).
   */
  public static long[] memoLookupsAndHits() {
    return MEMO.lookupsAndHits();
  }

  /** One sentence: VADER on its non-neutral words, plus its sales phrases on the raw scale. */
  static double sentence(String sentence) {
    Double known = MEMO.get(sentence);
    if (known != null) {
      return known;
    }
    double score = score(sentence);
    MEMO.put(sentence, score);
    return score;
  }

  private static double score(String sentence) {
    String words = SalesLexicon.forVader(sentence);
    double c = words.isBlank() ? 0.0 : compound(words);
    double phrases = SalesLexicon.phraseValence(sentence);
    if (phrases == 0) {
      return c;
    }
    double bounded = Math.max(-0.9999, Math.min(0.9999, c));
    double raw = bounded * Math.sqrt(ALPHA / (1 - bounded * bounded)) + phrases;
    return raw / Math.sqrt(raw * raw + ALPHA);
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
