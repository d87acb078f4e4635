package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.parse.JsonSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NEXT_STEPS fallback rule: commitments of the call's closing, with speaker and ms. */
class NextStepsRuleTest {

  private static TranscriptTurn turn(int i, String speaker, String affiliation, long start,
      String... texts) {
    Sentence[] s = new Sentence[texts.length];
    for (int k = 0; k < texts.length; k++) {
      s[k] = new Sentence(start + k * 1000L, start + k * 1000L + 900, texts[k]);
    }
    return new TranscriptTurn("c1", i, "sp-" + speaker, speaker, affiliation, null, List.of(s));
  }

  @Test
  void takesTheClosingsCommitments_notEarlyOnesQuestionsOrLetMeKnow() {
    List<TranscriptTurn> turns = List.of(
        turn(0, "Dana", "Internal", 0, "I'll send you the agenda before we start.",
            "Thanks for joining today."),
        turn(1, "Lee", "External", 10_000, "We mostly care about the reporting side."),
        turn(2, "Dana", "Internal", 20_000, "The dashboards refresh every five minutes."),
        turn(3, "Lee", "External", 30_000, "That works for our analysts."),
        turn(4, "Dana", "Internal", 40_000, "Our pricing is per seat per month."),
        turn(5, "Lee", "External", 50_000, "Could you send the security questionnaire?",
            "Let me know if anything changes."),
        turn(6, "Dana", "Internal", 60_000,
            "So for next steps, I'll share the SOC 2 report by Friday.",
            "Reach me at dana@vendor.com anytime."),
        turn(7, "Lee", "External", 70_000, "Sounds good, I'll run this by procurement first."));
    JsonNode items = JsonSupport.parse(NextStepsRule.nextStepsJson(turns));
    assertThat(items.size(), is(2));
    assertThat(items.get(0).get("text").asText(),
        is("So for next steps, I'll share the SOC 2 report by Friday."));
    assertThat(items.get(0).get("speaker_name").asText(), is("Dana"));
    assertThat(items.get(0).get("speaker_id").asText(), is("sp-Dana"));
    assertThat(items.get(0).get("start_ms").asLong(), is(60_000L));
    assertThat(items.get(0).get("end_ms").asLong(), is(60_900L));
    assertThat(items.get(1).get("text").asText(),
        is("Sounds good, I'll run this by procurement first."));
    assertThat(items.get(1).get("speaker_name").asText(), is("Lee"));
  }

  @Test
  void redactsPii_capsTheItems_andIsEmptyOrNullAsTheCallSays() {
    TranscriptTurn pii = turn(0, "Dana", "Internal", 0,
        "I'll email the recap to lee@buyer.com tonight.");
    assertThat(JsonSupport.parse(NextStepsRule.nextStepsJson(List.of(pii))).get(0).get("text")
        .asText(), is("I'll email the recap to [EMAIL] tonight."));
    TranscriptTurn many = turn(0, "Dana", "Internal", 0, "I'll send the deck.",
        "I'll send the quote.", "I'll send the MSA.", "I'll send the DPA.", "I'll send the SOW.",
        "I'll send the invoice.");
    assertThat(JsonSupport.parse(NextStepsRule.nextStepsJson(List.of(many))).size(),
        is(NextStepsRule.MAX_ITEMS));
    TranscriptTurn none = turn(0, "Dana", "Internal", 0, "Nice to meet you.");
    assertThat(NextStepsRule.nextStepsJson(List.of(none)), is("[]"));
    assertThat(NextStepsRule.nextStepsJson(List.of()), nullValue());
  }

  @Test
  void sentenceTest() {
    assertThat(NextStepsRule.isNextStep("We'll set up a technical deep dive on Tuesday."), is(true));
    // Negated or doubtful: a risk, not a commitment.
    assertThat(NextStepsRule.isNextStep("Our team is slammed until after the holidays, so "
        + "realistically we can't start before February."), is(false));
    assertThat(NextStepsRule.isNextStep("I'm not optimistic we'll get a decision this year."),
        is(false));
    assertThat(NextStepsRule.isNextStep("Procurement has gone quiet and I can't get a straight "
        + "answer on when they'll review it."), is(false));
    assertThat(NextStepsRule.isNextStep("Let's get a follow-up meeting on the calendar."), is(true));
    assertThat(NextStepsRule.isNextStep("Can you introduce me to legal?"), is(false));
    assertThat(NextStepsRule.isNextStep("Let me know if that helps."), is(false));
    assertThat(NextStepsRule.isNextStep("The price is too high for us."), is(false));
  }
}
