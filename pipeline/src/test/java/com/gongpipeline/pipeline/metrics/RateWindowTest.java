package com.gongpipeline.pipeline.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RateWindowTest {

  @Test
  void rateSpansOnlyTheWindow() {
    RateWindow w = new RateWindow(Duration.ofSeconds(30));
    assertThat(w.perSecond(), equalTo(0.0));
    w.observe(0, 0);
    w.observe(10_000, 1000); // a fast start: 100/s
    assertThat(w.perSecond(), closeTo(100, 1e-9));
    for (long t = 20_000; t <= 100_000; t += 10_000) {
      w.observe(t, 1000 + (t - 10_000) / 1000); // then 1/s
    }
    assertThat(w.perSecond(), closeTo(1, 1e-9));
  }

  @Test
  void etaIsRemainingOverRateRoundedUp() {
    assertThat(RateWindow.etaSeconds(10, 100, 4), equalTo(OptionalLong.of(23)));
    assertThat(RateWindow.etaSeconds(100, 100, 4), equalTo(OptionalLong.of(0)));
    assertThat(RateWindow.etaSeconds(10, 100, 0), equalTo(OptionalLong.empty()));
    assertThat(RateWindow.etaSeconds(10, 0, 3), equalTo(OptionalLong.empty()));
    assertThat(RateWindow.etaSeconds(101, 100, 3), equalTo(OptionalLong.empty()));
  }

  @Test
  void formatsHoursMinutesSeconds() {
    assertThat(RateWindow.format(OptionalLong.of(42)), equalTo("42s"));
    assertThat(RateWindow.format(OptionalLong.of(187)), equalTo("3m07s"));
    assertThat(RateWindow.format(OptionalLong.of(3725)), equalTo("1h02m05s"));
    assertThat(RateWindow.format(OptionalLong.empty()), equalTo("?"));
  }
}
