package com.gongpipeline.planner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.gongpipeline.planner.FetchPlanner.Decision;
import com.gongpipeline.planner.FetchPlanner.Known;
import com.gongpipeline.planner.FetchPlanner.Reason;
import com.gongpipeline.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a listed call is fetched, on a fake clock. */
class FetchPlannerTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  final FetchPlanner planner = FetchPlanner.withDefaults();

  @Test
  void aNewCallIsFetchedAndDueAnHourAfterFirstSeen() {
    Decision d = planner.decide(null, T0);
    assertThat(d, equalTo(new Decision(Reason.NEW, T0, T0.plus(Duration.ofHours(1)), 1)));
  }

  /** Listed every 5 minutes for four days: fetched when new and at 1 h, 6 h, 24 h and 72 h. */
  @Test
  void aKnownCallIsRefetchedOnTheDecayingScheduleOnly() {
    MutableClock clock = new MutableClock(T0);
    Known known = null;
    List<Duration> fetchedAfter = new ArrayList<>();
    for (int poll = 0; poll < 4 * 288; poll++) {
      Decision d = planner.decide(known, clock.instant());
      if (d.fetch()) {
        fetchedAfter.add(Duration.between(T0, clock.instant()));
      }
      known = new Known(d.firstSeen(), d.nextDue(), d.fetches(), true, true);
      clock.advance(Duration.ofMinutes(5));
    }
    assertThat(fetchedAfter, contains(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(6),
        Duration.ofHours(24), Duration.ofHours(72)));
    assertThat(known.nextDue(), nullValue());
    assertThat(known.fetches(), equalTo(5L));
  }

  @Test
  void aCallListedButNotStoredIsFetchedAtOnceWhateverItsSchedule() {
    Known notLanded = new Known(T0, T0.plus(Duration.ofHours(1)), 1, false, true);
    Decision d = planner.decide(notLanded, T0.plus(Duration.ofMinutes(5)));
    assertThat(d.reason(), equalTo(Reason.NOT_STORED));
    assertThat(d.nextDue(), equalTo(T0.plus(Duration.ofHours(1))));
  }

  /**
   * Listed again (the next poll) while this job's fetch of it is under way: not fetched twice;
   * once the in-flight time has passed and it is still not stored, fetched again. Another job's
   * plan is never in flight for this one.
   */
  @Test
  void aCallThisJobJustPlannedIsNotFetchedAgainWhileInFlight() {
    Known planned = new Known(T0, T0.plus(Duration.ofHours(1)), 1, false, true, T0);
    Decision d = planner.decide(planned, T0.plus(Duration.ofSeconds(2)));
    assertThat(d.reason(), equalTo(Reason.IN_FLIGHT));
    assertThat(d.fetch(), equalTo(false));
    assertThat(planner.decide(planned, T0.plus(FetchPlanner.IN_FLIGHT)).reason(),
        equalTo(Reason.NOT_STORED));
    Known byAnother = new Known(T0, T0.plus(Duration.ofHours(1)), 1, false, true, null);
    assertThat(planner.decide(byAnother, T0.plus(Duration.ofSeconds(2))).reason(),
        equalTo(Reason.NOT_STORED));
  }

  @Test
  void aRowWrittenByARunThatDidNotSucceedIsNotTrusted() {
    Known stale = new Known(T0, T0.plus(Duration.ofHours(6)), 2, true, false);
    assertThat(planner.decide(stale, T0.plus(Duration.ofHours(2))).reason(),
        equalTo(Reason.UNTRUSTED));
    Known trusted = new Known(T0, T0.plus(Duration.ofHours(6)), 2, true, true);
    assertThat(planner.decide(trusted, T0.plus(Duration.ofHours(2))).reason(),
        equalTo(Reason.NOT_DUE));
  }

  @Test
  void aRefetchAfterALongPauseSkipsTheStepsItMissed() {
    Known known = new Known(T0, T0.plus(Duration.ofHours(1)), 1, true, true);
    Decision d = planner.decide(known, T0.plus(Duration.ofHours(30)));
    assertThat(d.reason(), equalTo(Reason.DUE));
    assertThat(d.nextDue(), equalTo(T0.plus(Duration.ofHours(72))));
  }

  @Test
  void theScheduleOptionParsesAndRejectsNonIncreasingSteps() {
    assertThat(FetchPlanner.parseSchedule("PT1H, PT6H,P1D"),
        contains(Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1)));
    assertThat(FetchPlanner.parseSchedule(""), equalTo(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> FetchPlanner.of(List.of(Duration.ofHours(6), Duration.ofHours(1))));
    assertThrows(IllegalArgumentException.class, () -> FetchPlanner.parseSchedule("6h"));
  }
}
