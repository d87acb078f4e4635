package com.gongpipeline.enrich;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.gongpipeline.chunking.PiiRedactor;
import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.parse.JsonSupport;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * NEXT_STEPS when Gong sent no action items ({@value #METHOD}): the commitment and next-step
 * sentences of the last part of the call, each with its speaker and milliseconds, in the shape of
 * Gong's own items ({@code [{text, speaker_id, speaker_name, start_ms, end_ms}]}) so readers need
 * not care which produced them. No model: a deterministic rule, so an unchanged call gives the
 * same items.
 *
 * <p>The rule: of the sentences starting in the last {@value #TAIL_FRACTION} of the transcript's
 * time span (or in its last {@value #MIN_TAIL_TURNS} turns, whichever covers more), a sentence is a
 * next step when it is not a question and either names the next step ("next steps", "action
 * item", "follow-up", "recap") or is a first-person commitment ("I'll", "we will", "let's", "I'm
 * going to", "let me" but not "let me know") to an action verb (send, share, schedule, set up,
 * loop in, follow up, review, ...). At most {@value #MAX_ITEMS}, in call order. The text is
 * PII-redacted like the chunks ({@link PiiRedactor}).
 */
public final class NextStepsRule {
  /** Recorded in {@code STG_GONG_CALLS.NEXT_STEPS_METHOD} for items from this rule. */
  public static final String METHOD = "rule-next-steps-v1";
  /** Recorded for Gong's own action items. */
  public static final String GONG_METHOD = "gong-action-items";
  static final double TAIL_FRACTION = 0.3;
  static final int MIN_TAIL_TURNS = 4;
  static final int MAX_ITEMS = 5;

  private static final Pattern NAMED = Pattern.compile(
      "\\b(next steps?|action items?|follow[- ]up (meeting|call|email)|recap)\\b");
  private static final Pattern COMMITMENT = Pattern.compile(
      "\\b(i'll|i will|we'll|we will|i'm going to|we're going to|i am going to|we are going to"
          + "|let's|let us|let me(?! know)|i can|we can|i'd like to)\\b"
          + "[^.!?]*?\\b(send|share|schedule|set up|setup|book|loop in|follow up|get back"
          + "|circle back|put together|prepare|draft|review|confirm|introduce|forward|reach out"
          + "|sync|get (a|the|it|that|you)|run (this|it) by|start|kick off|walk|intro|email|call"
          + "|check|update|deliver|provide|arrange|organi[sz]e)\\b");

  /** Negated or doubtful statements are not commitments ("we can't start before February"). */
  private static final Pattern HEDGED = Pattern.compile(
      "\\b(can't|cannot|can not|won't|will not|not optimistic|not sure|unlikely|doubt)\\b");

  private NextStepsRule() {}

  /** True when {@code sentence} reads as a next step or commitment (the rule's sentence test). */
  public static boolean isNextStep(String sentence) {
    String s = sentence.strip().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    if (s.isEmpty() || s.endsWith("?") || HEDGED.matcher(s).find()) {
      return false;
    }
    return NAMED.matcher(s).find() || COMMITMENT.matcher(s).find();
  }

  /**
   * The rule's items as JSON, {@code []} when the call's closing has none; null for a call with
   * no speech (nothing to derive, so a stored value is kept).
   */
  public static @Nullable String nextStepsJson(List<TranscriptTurn> turns) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    int spoken = 0;
    for (TranscriptTurn t : turns) {
      if (!t.sentences().isEmpty()) {
        first = Math.min(first, t.startMs());
        last = Math.max(last, t.endMs());
        spoken++;
      }
    }
    if (spoken == 0) {
      return null;
    }
    long tailStart = last - (long) Math.ceil((last - first) * TAIL_FRACTION);
    int turnFloor = Math.max(0, turns.size() - MIN_TAIL_TURNS);
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < turns.size() && out.size() < MAX_ITEMS; i++) {
      TranscriptTurn t = turns.get(i);
      for (Sentence s : t.sentences()) {
        if (out.size() >= MAX_ITEMS) {
          break;
        }
        if ((s.startMs() >= tailStart || i >= turnFloor) && isNextStep(s.text())) {
          ObjectNode o = out.addObject().put("text", PiiRedactor.redact(s.text().strip()));
          o.put("speaker_id", t.speakerId());
          o.put("speaker_name", t.speakerName());
          o.put("start_ms", s.startMs());
          o.put("end_ms", s.endMs());
        }
      }
    }
    return JsonSupport.write(out);
  }
}
