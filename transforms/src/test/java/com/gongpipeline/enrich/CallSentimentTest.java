package com.gongpipeline.enrich;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.gongpipeline.enrich.CallSentiment.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallSentimentTest {

  /**
   * A seller's long cheerful pitch and a customer's short "we're going with a competitor": a flat
   * duration-weighted mean calls it positive, the call score calls it negative.
   */
  @Test
  void customerSideAndStrongTurnsOutweighLongNeutralOrSellerTalk() {
    List<Turn> turns = List.of(
        new Turn(false, 90_000, 0.3), // seller pitch, mildly positive
        new Turn(false, 60_000, 0.0), // seller walkthrough
        new Turn(true, 8_000, -0.7), // customer: decided to go with a competitor
        new Turn(true, 20_000, 0.0)); // customer: businesslike
    double flat = (90 * 0.3 + 60 * 0.0 + 8 * -0.7 + 20 * 0.0) / (90 + 60 + 8 + 20);
    assertThat(flat, greaterThan(0.0));
    assertThat(CallSentiment.score(turns), lessThan(-0.1));
  }

  @Test
  void followsTheDocumentedFormula() {
    List<Turn> turns = List.of(new Turn(true, 4_000, -0.5), new Turn(false, 16_000, 0.5));
    double wCustomer = 3 * (0.25 + 0.5) * Math.sqrt(4);
    double wSeller = 1 * (0.25 + 0.5) * Math.sqrt(16);
    assertThat(CallSentiment.score(turns),
        closeTo((wCustomer * -0.5 + wSeller * 0.5) / (wCustomer + wSeller), 1e-12));
  }

  @Test
  void unscoredTurnsAreLeftOutAndNothingScoredIsNull() {
    assertThat(CallSentiment.score(List.of()), nullValue());
    assertThat(CallSentiment.score(List.of(new Turn(true, 5_000, Double.NaN))), nullValue());
    assertThat(CallSentiment.score(List.of(new Turn(true, 5_000, Double.NaN),
        new Turn(false, 5_000, 0.4))), closeTo(0.4, 1e-12));
    // All-neutral talk is a neutral 0, not null: there was something to read.
    assertThat(CallSentiment.score(List.of(new Turn(true, 5_000, 0.0))), closeTo(0.0, 1e-12));
  }

  @Test
  void staysInRangeAndNamesItsMethod() {
    assertThat(CallSentiment.score(List.of(new Turn(true, 0, -1.0), new Turn(false, 1, -3.0))),
        closeTo(-1.0, 1e-12));
    assertEquals("vader-1.0+sales-2;call-weighted-1",
        CallSentiment.methodName(VaderSentimentScorer.MODEL_NAME));
    assertEquals(true, CallSentiment.isCustomer("External"));
    assertEquals(false, CallSentiment.isCustomer("Unknown"));
    assertEquals(false, CallSentiment.isCustomer(null));
  }
}
