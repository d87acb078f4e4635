package com.gongpipeline.enrich;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adjustments to VADER for sales-call speech: word-lexicon changes applied once per JVM before
 * first use, plus phrases VADER cannot see because it only knows single words.
 *
 * <p>Why: VADER was built for social media text. In spoken sales calls, fillers and hedges it
 * scores as positive are everywhere ("yeah", "okay", "like", "honestly", "pretty", "kind of"), so
 * a plain objection such as "honestly the onboarding was a nightmare" scored +0.46; the domain's
 * own nouns read as praise ("customer <i>success</i>", "<i>security</i> review", "onboarding
 * <i>support</i>", "<i>free</i> tier"), which put every businesslike call at about +0.15; and the
 * ways buyers say a deal is going badly have no sentiment word at all ("we've decided to go with
 * Vantora", "the project is on hold", "we'll walk away"). Values use VADER's own scale (about
 * -4..4; e.g. "problem" -1.7, "terrible" -2.1, "great" 3.1).
 *
 * <p>Phrases ({@link #PHRASES}) are matched case-insensitively on the sentence and their valences
 * are added to VADER's raw sum for the sentence before it is squashed into [-1, 1] (see {@link
 * VaderSentimentScorer}). A phrase preceded by a negation within three words ("not", "never",
 * "won't", "n't", ...) counts with VADER's negation factor -0.74; preceded by an intensifier
 * ("really", "very", "completely", ...) it counts 1.3 times. Neutral phrases ({@link
 * #NEUTRAL_PHRASES}) are removed before VADER reads the sentence ("no worries", "hard stop",
 * "to be honest"), and so are the sales phrases, whose valence replaces their words'.
 *
 * <p>Bump {@link #VERSION} whenever an entry changes, since stored scores change with it: the
 * version is part of {@link VaderSentimentScorer#MODEL_NAME}, so changed scores are recomputed.
 */
final class SalesLexicon {
  private SalesLexicon() {}

  static final String VERSION = "sales-2";

  /** VADER's negation factor for a negated word. */
  static final double NEGATION = -0.74;
  /** How much an intensifier strengthens a phrase (VADER adds about 0.29 to a word's valence). */
  static final double INTENSIFIED = 1.3;

  /**
   * Words that carry no sentiment in sales conversation: removed from the lexicon. Removed, not
   * set to 0, because VADER still applies boosters ("so", "really") to a lexicon word of valence
   * 0, which made "so like" positive. Fillers and hedges, then domain nouns and polite
   * formulas: "customer success", "security review", "support", "share", "free tier", "no
   * uplift" ("no" stays a negation word; only its own valence goes).
   */
  static final Set<String> NEUTRALISED =
      Set.of("honestly", "yeah", "okay", "ok", "like", "well", "sure", "pretty", "kind", "please",
          "success", "security", "secure", "support", "supports", "share", "sharing", "dedicated",
          "free", "honest", "commit", "promise", "important", "yes", "interesting", "fair", "no",
          "help", "helps", "reference", "approves", "certified", "join", "joined", "legal");

  /** Sales-call complaint and praise words VADER's lexicon lacks (added only if absent). */
  static final Map<String, Float> ADDED =
      Map.ofEntries(
          Map.entry("nightmare", -2.6f),
          Map.entry("nightmares", -2.6f),
          Map.entry("headache", -1.8f),
          Map.entry("headaches", -1.8f),
          Map.entry("overpriced", -2.0f),
          Map.entry("expensive", -1.2f),
          Map.entry("pricey", -1.0f),
          Map.entry("clunky", -1.5f),
          Map.entry("buggy", -1.8f),
          Map.entry("laggy", -1.5f),
          Map.entry("outage", -1.9f),
          Map.entry("outages", -1.9f),
          Map.entry("blocker", -1.5f),
          Map.entry("blockers", -1.5f),
          Map.entry("dealbreaker", -2.5f),
          Map.entry("deal-breaker", -2.5f),
          Map.entry("churn", -1.2f),
          Map.entry("churned", -1.4f),
          Map.entry("concern", -0.9f),
          Map.entry("concerns", -0.9f),
          Map.entry("concerned", -1.1f),
          Map.entry("frozen", -1.2f),
          Map.entry("unresponsive", -1.8f),
          Map.entry("escalate", -1.0f),
          Map.entry("escalating", -1.0f),
          Map.entry("cancelling", -1.5f),
          Map.entry("canceling", -1.5f),
          Map.entry("seamless", 1.8f),
          Map.entry("seamlessly", 1.8f),
          Map.entry("intuitive", 1.6f));

  /** A multi-word expression with its valence on VADER's scale. */
  record Phrase(Pattern pattern, double valence) {}

  private static Phrase phrase(String regex, double valence) {
    return new Phrase(Pattern.compile("\\b(?:" + regex + ")\\b", Pattern.CASE_INSENSITIVE),
        valence);
  }

  /** How buyers say a deal is going badly or well without a sentiment word. */
  static final List<Phrase> PHRASES =
      List.of(
          // Lost, churning, stalled.
          phrase("(?:decided|chosen|chose|choosing|decision is) to go with (?!you|your|us)", -2.2),
          phrase("go(?:ing)? with (?:another|a different) (?:vendor|provider|tool|solution)", -2.2),
          phrase("not (?:be )?renew(?:ing|al)?|won't (?:be )?renew(?:ing)?", -2.5),
          phrase("cancel (?:the|our) (?:contract|subscription)|let (?:the|our) contract lapse", -2.5),
          phrase("walk away", -2.0),
          phrase("on hold|hold off", -1.5),
          phrase("(?:hiring|budget|spending) freeze", -1.6),
          phrase("(?:gone|went|going) (?:quiet|dark|silent)", -1.5),
          phrase("budget (?:got|was|has been|is being) (?:pulled|cut|slashed|reallocated)", -1.8),
          phrase("no point", -1.5),
          phrase("hard to swallow", -2.0),
          phrase("can(?:'t|not) justify", -2.0),
          phrase("(?:aren't|isn't|not) pulling (?:its|their) weight", -2.0),
          phrase("stopped (?:trusting|using|logging in)", -2.0),
          phrase("(?:down|broken) since", -1.8),
          phrase("still waiting", -1.5),
          phrase("nobody (?:has|wants|uses|trusts|will|on)", -1.2),
          phrase("voted against", -2.0),
          phrase("(?:it's|answer is) a no", -1.5),
          phrase("not what we (?:were promised|signed up for|paid for|expected)", -2.5),
          phrase("went back to (?:their|our|the) (?:spreadsheets|old)", -1.2),
          phrase("over (?:your|my|his|her) head", -1.5),
          phrase("canned (?:response|answer)", -1.5),
          phrase("came in (?:well )?(?:under|cheaper|lower)", -1.2),
          phrase("dragged on|down the list", -1.2),
          phrase("lost (?:that|the) (?:argument|deal)", -1.5),
          // Won, expanding, ready.
          phrase("signed off", 1.8),
          phrase("(?:move|moving) forward|clear to proceed", 1.2),
          phrase("just works", 1.8),
          phrase("came back clean", 1.5),
          phrase("looking forward", 1.5),
          phrase("make this happen", 1.5),
          phrase("(?:stronger|better|great|perfect) fit", 1.5),
          phrase("easy decision", 1.5),
          phrase("ready to (?:sign|buy|go|move)", 1.5),
          phrase("expand(?:ing)? to", 1.0));

  /**
   * All {@link #PHRASES} in one pattern: it finds a match exactly when one of them does (at each
   * position the alternation backtracks through every phrase, each with its own word
   * boundaries), so one scan tells whether a sentence needs the per-phrase passes at all. Most
   * sentences contain no phrase, and 2 x {@code PHRASES.size()} scans per sentence were 40 %
   * of the sentiment scorer's time.
   */
  static final Pattern ANY_PHRASE = Pattern.compile(PHRASES.stream()
          .map(p -> "(?:" + p.pattern().pattern() + ")")
          .collect(java.util.stream.Collectors.joining("|")),
      Pattern.CASE_INSENSITIVE);

  /** Polite formulas and domain terms removed before VADER reads a sentence. */
  static final Pattern NEUTRAL_PHRASES = Pattern.compile(
      "\\b(?:customer success|no worries|no problem|hard stop|hard requirement|to be (?:honest|fair)"
          + "|happy to|thanks? (?:you )?for (?:making|taking) the time|good (?:morning|afternoon|evening)"
          + "|feel free|free tier)\\b",
      Pattern.CASE_INSENSITIVE);

  private static final Pattern NEGATED = Pattern.compile(
      "(?:\\b(?:not|never|no|nobody|nothing|neither|nor|without|hardly)|n't)\\W+(?:\\w+\\W+){0,2}$",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern INTENSIFIED_BY = Pattern.compile(
      "\\b(?:really|very|extremely|so|totally|completely|absolutely|seriously|truly)\\W+$",
      Pattern.CASE_INSENSITIVE);

  /**
   * What VADER reads of a sentence: without its {@link #NEUTRAL_PHRASES} and without its {@link
   * #PHRASES}, whose valence replaces that of their words ("not what we were promised" counts
   * once, as the phrase, not also as a positive "promised").
   */
  static String forVader(String sentence) {
    String out = NEUTRAL_PHRASES.matcher(sentence).replaceAll(" ");
    if (!ANY_PHRASE.matcher(out).find()) {
      return out;
    }
    for (Phrase p : PHRASES) {
      out = p.pattern().matcher(out).replaceAll(" ");
    }
    return out;
  }

  /** Sum of the valences of the {@link #PHRASES} in a sentence, negated or intensified. */
  static double phraseValence(String sentence) {
    if (!ANY_PHRASE.matcher(sentence).find()) {
      return 0;
    }
    double sum = 0;
    for (Phrase p : PHRASES) {
      Matcher m = p.pattern().matcher(sentence);
      while (m.find()) {
        // Three words back is all the negation or intensifier rules look at.
        String before = sentence.substring(Math.max(0, m.start() - 40), m.start());
        double v = p.valence();
        if (NEGATED.matcher(before).find()) {
          v *= NEGATION;
        } else if (INTENSIFIED_BY.matcher(before).find()) {
          v *= INTENSIFIED;
        }
        sum += v;
      }
    }
    return sum;
  }

  /** Applies the adjustments to VADER's (mutable, static) word-valence map. */
  static void applyTo(Map<String, Float> vaderLexicon) {
    vaderLexicon.keySet().removeAll(NEUTRALISED);
    ADDED.forEach(vaderLexicon::putIfAbsent);
  }
}
