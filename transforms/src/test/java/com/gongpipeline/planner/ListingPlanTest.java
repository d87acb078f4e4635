package com.gongpipeline.planner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.planner.ListingPlan.Kind;
import com.gongpipeline.planner.ListingPlan.Listing;
import com.gongpipeline.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each poll lists, on a fake clock. */
class ListingPlanTest {
  static final Instant DAY = Instant.parse("2026-03-02T00:00:00Z");
  static final Instant FLOOR = DAY.minus(Duration.ofDays(30));
  final ListingPlan plan = ListingPlan.of(Duration.ofDays(1));

  static Instant at(String hhmm) {
    return Instant.parse("2026-03-02T" + hhmm + ":00Z");
  }

  @Test
  void aPollWithinTheHourListsOnlyTheRecentWindowSinceThePreviousEnd() {
    Listing l = plan.plan(at("10:05"), at("10:10"), FLOOR);
    assertThat(l, equalTo(new Listing(Kind.RECENT, new TimeWindow(at("08:05"), at("10:10")))));
  }

  @Test
  void theFirstPollAfterAnHourBoundarySweepsTheWholeLookback() {
    Listing l = plan.plan(at("10:55"), at("11:00"), FLOOR);
    assertThat(l, equalTo(new Listing(Kind.SWEEP,
        new TimeWindow(at("10:55").minus(Duration.ofDays(1)), at("11:00")))));
  }

  @Test
  void theFirstPollOfAUtcDaySweepsTheDeepLookback() {
    Instant before = DAY.minus(Duration.ofMinutes(5));
    Listing l = plan.plan(before, DAY.plusSeconds(1), FLOOR);
    assertThat(l, equalTo(new Listing(Kind.DEEP_SWEEP,
        new TimeWindow(before.minus(Duration.ofDays(7)), DAY.plusSeconds(1)))));
  }

  @Test
  void aFirstListingReadsFromTheFloorAndNoListingStartsBeforeIt() {
    assertThat(plan.plan(null, at("10:10"), at("09:00")),
        equalTo(new Listing(Kind.SWEEP, new TimeWindow(at("09:00"), at("10:10")))));
    assertThat(plan.plan(at("09:30"), at("09:35"), at("09:00")),
        equalTo(new Listing(Kind.RECENT, new TimeWindow(at("09:00"), at("09:35")))));
  }

  @Test
  void aDelayedPollStillCoversEverythingSinceThePreviousEnd() {
    // Paused (budget) from 10:05 to 10:50: the recent window reaches back from the previous end.
    Listing l = plan.plan(at("10:05"), at("10:50"), FLOOR);
    assertThat(l.window().from(), equalTo(at("08:05")));
  }

  @Test
  void aRecentWindowLongerThanTheLookbackIsCappedByIt() {
    ListingPlan short30 = ListingPlan.of(Duration.ofMinutes(30));
    assertThat(short30.plan(at("10:05"), at("10:10"), FLOOR).window().from(), equalTo(at("09:35")));
    assertThat(short30.deepLookback(), equalTo(Duration.ofDays(7)));
  }

  @Test
  void aVirtualDayOfFiveMinutePollsHas264RecentPolls23SweepsAndOneDeepSweep() {
    MutableClock clock = new MutableClock(DAY.plus(Duration.ofMinutes(2)));
    Instant previous = clock.instant();
    Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
    for (int i = 0; i < 288; i++) {
      clock.advance(Duration.ofMinutes(5));
      Listing l = plan.plan(previous, clock.instant(), FLOOR);
      kinds.merge(l.kind(), 1, Integer::sum);
      previous = clock.instant();
    }
    assertThat(kinds, equalTo(Map.of(Kind.RECENT, 264, Kind.SWEEP, 23, Kind.DEEP_SWEEP, 1)));
  }
}
