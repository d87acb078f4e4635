package com.gongpipeline.gong.sim;

import java.util.Random;

/**
 * How a call goes, and so its ground-truth sentiment label: most calls are businesslike
 * ({@link #NEUTRAL}, with the ordinary objections of a sales call), some go badly (an angry
 * escalation, a churn threat, a deal lost to a competitor, a stalled deal) and some go well (a
 * delighted customer, a buyer ready to sign). The non-neutral moods change what the speakers say
 * ({@link PhraseBook#MOOD_BUYER}, {@link PhraseBook#MOOD_SELLER}), never the call's themes or
 * facts.
 *
 * <p>Drawn from the header's body seed through a separate generator, so a neutral call's
 * transcript is exactly what it was before moods existed and the draw order of everything else is
 * unchanged. Only English calls with themes get a mood; foreign-language calls are neutral.
 */
enum CallMood {
  NEUTRAL("neutral"),
  ESCALATION("negative"),
  CHURN_THREAT("negative"),
  LOST_TO_COMPETITOR("negative"),
  STALLED("negative"),
  DELIGHTED("positive"),
  READY_TO_BUY("positive");

  /** Out of 20: 8 neutral, 6 negative, 6 positive. */
  private static final CallMood[] DRAW = {NEUTRAL, NEUTRAL, NEUTRAL, NEUTRAL, NEUTRAL, NEUTRAL,
      NEUTRAL, NEUTRAL, ESCALATION, ESCALATION, CHURN_THREAT, LOST_TO_COMPETITOR,
      LOST_TO_COMPETITOR, STALLED, DELIGHTED, DELIGHTED, DELIGHTED, READY_TO_BUY, READY_TO_BUY,
      READY_TO_BUY};

  private final String label;

  CallMood(String label) {
    this.label = label;
  }

  /** The ground-truth sentiment label: {@code negative}, {@code neutral} or {@code positive}. */
  String label() {
    return label;
  }

  boolean negative() {
    return label.equals("negative");
  }

  /** The mood of this call; deterministic in the header. */
  static CallMood of(CallHeader h) {
    if (h.themes().isEmpty() || !"eng".equals(h.language())) {
      return NEUTRAL;
    }
    return DRAW[new Random(h.bodySeed() ^ 0x5E471E47L).nextInt(DRAW.length)];
  }
}
