package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.gongpipeline.gong.sim.GongSimulator.CallTiming;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.planner.FetchPlanner;
import com.gongpipeline.planner.ListingPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --projection} over one virtual day: at default settings the stream stays within
 * the goal (≤ 2,000 / 3,000 / 6,000 requests a day for 100 / 1,000 / 5,000 calls a day, pages of
 * 100) and every call that became visible that day was fetched after it did.
 */
class RequestProjectionTest {
  @Test
  void atDefaultSettingsTheStreamStaysWithinTheGoalAndCapturesEveryLateCall() {
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs().as(GongPipelineOptions.class);
    ListingPlan plan = GongBackfill.listingPlan(o, Duration.parse(o.getLookback()));
    FetchPlanner planner = FetchPlanner.of(FetchPlanner.parseSchedule(o.getRefetchSchedule()));
    Duration poll = Duration.parse(o.getPollInterval());
    Duration listWindow = Duration.parse(o.getListWindow());
    RequestProjection.Pages pages = new RequestProjection.Pages(100, 100, 100, 100);
    for (Map.Entry<Integer, Long> goal : Map.of(100, 2_000L, 1_000, 3_000L, 5_000, 6_000L)
        .entrySet()) {
      List<CallTiming> calls = RequestProjection.tenant(goal.getKey(), 7);
      RequestProjection.Day stream =
          RequestProjection.simulate(calls, poll, plan, planner, listWindow, pages, false);
      RequestProjection.Day cron = RequestProjection.simulate(calls, Duration.ofMinutes(30), plan,
          planner, listWindow, pages, true);
      System.out.printf("%d calls/day: stream %s%n  incremental %s%n", goal.getKey(), stream, cron);
      assertThat(stream.total(), lessThanOrEqualTo(goal.getValue()));
      assertThat(stream.visibleInDay(), greaterThan(0L));
      assertThat(stream.capturedInDay(), equalTo(stream.visibleInDay()));
      assertThat(cron.capturedInDay(), equalTo(cron.visibleInDay()));
      // Known calls are re-fetched on the schedule, not every poll.
      assertThat(stream.refetched(), lessThanOrEqualTo(4 * stream.fetchedNew() + 100));
    }
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    RequestProjection.run(CliArgs.parse(new String[] {"--projection"}),
        new PrintStream(table, true));
    System.out.print(table);
    assertThat(table.toString().contains("calls/day | stream"), equalTo(true));
  }
}
