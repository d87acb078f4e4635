package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.testing.MutableClock;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.Warehouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end against the simulator, three {@code incremental} runs: a poison call (every request
 * naming it fails) takes only itself down, is queued and holds the mark, stops counting after
 * {@code --maxCallAttempts}, and lands once fixed; a stored call whose transcript Gong leaves out of
 * a re-fetch keeps its stored turns and chunks.
 */
class PoisonCallAndMissingTranscriptTest {
  private static final Instant DAY = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void aPoisonCallFailsAloneAndAMissingTranscriptKeepsStoredRows() throws Exception {
    MutableClock clock = new MutableClock(DAY.plus(Duration.ofDays(2)));
    SimulatorConfig config = SimulatorConfig.builder()
        .seed(5).calls(6).callsFrom(DAY).callsTo(DAY.plus(Duration.ofDays(1)))
        .clock(clock).requestsPerSecond(50).build();
    String url = "jdbc:duckdb:" + dir.resolve("poison.duckdb");
    try (GongSimulator sim = GongSimulator.start(config)) {
      List<String> ids = new ArrayList<>(new TreeSet<>(
          sim.groundTruth(DAY, DAY.plus(Duration.ofDays(1))).nonPrivateCallIds()));
      assertThat(ids.size(), greaterThan(2));
      String poison = ids.get(0);

      // Run 1: the poison call fails alone; the others land; the mark stays.
      sim.poisonCall(poison, true);
      run(sim, config, url, clock);
      Set<String> landed = stgCallIds(url);
      assertThat(landed, equalTo(new TreeSet<>(ids.subList(1, ids.size()))));
      assertThat(queue(url), equalTo(Map.of(poison, 1)));
      assertThat(mark(url), equalTo(null));

      // Run 2: a stored call's transcript goes missing on re-fetch; the poison fails again.
      String silent = null;
      for (String id : ids.subList(1, ids.size())) {
        if (count(url, "STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS", id) > 0) {
          silent = id;
          break;
        }
      }
      long turns = count(url, "STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS", silent);
      long chunks = count(url, "AI_MEMORY.MEMORY_RECORDS", silent);
      Object segments = stgCallColumn(url, silent, "TRANSCRIPT_SEGMENT_COUNT");
      Object sentiment = stgCallColumn(url, silent, "SENTIMENT_SCORE");
      sim.dropTranscript(silent, true);
      clock.advance(Duration.ofHours(1));
      JobRun.Summary second = run(sim, config, url, clock);
      assertThat("stored turns survive a missing transcript",
          count(url, "STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS", silent), is(turns));
      assertThat(count(url, "AI_MEMORY.MEMORY_RECORDS", silent), is(chunks));
      assertThat(stgCallColumn(url, silent, "TRANSCRIPT_SEGMENT_COUNT"), equalTo(segments));
      assertThat(stgCallColumn(url, silent, "SENTIMENT_SCORE"), equalTo(sentiment));
      assertThat(queue(url), equalTo(Map.of(poison, 2, silent, 1)));
      assertThat("the poison reached --maxCallAttempts=2: counted, no longer holding the mark",
          second.log().errorMessage(), containsString("1 call(s) reached --maxCallAttempts=2"));
      assertThat("the missing transcript (first attempt) still holds it", mark(url),
          equalTo(null));

      // Run 3: both fixed; the queued calls are fetched first and leave the queue.
      sim.poisonCall(poison, false);
      sim.dropTranscript(silent, false);
      clock.advance(Duration.ofHours(1));
      JobRun.Summary third = run(sim, config, url, clock);
      assertThat(third.log().status(), equalTo(JobLog.Status.SUCCEEDED));
      assertThat(stgCallIds(url), equalTo(new TreeSet<>(ids)));
      assertThat(queue(url), equalTo(Map.of()));
      assertThat(mark(url), equalTo(clock.instant()));
      assertThat(count(url, "STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS", silent), is(turns));
    }
  }

  private static JobRun.Summary run(GongSimulator sim, SimulatorConfig config, String url,
      MutableClock clock) {
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs(
            "--gongBaseUrl=" + sim.baseUrl(), "--from=" + DAY, "--lookback=P1D",
            "--warehouse=" + url, "--gongRequestsPerSecond=40", "--progressSeconds=0",
            "--gongMaxAttempts=1", "--maxCallAttempts=2")
        .as(GongPipelineOptions.class);
    return IncrementalCommand.run(o,
        GongCredentials.of(config.accessKey(), config.accessKeySecret()),
        new PrintStream(new ByteArrayOutputStream()), clock);
  }

  private static Set<String> stgCallIds(String url) {
    try (Warehouse wh = Warehouse.open(url)) {
      Set<String> out = new TreeSet<>();
      wh.query("SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS")
          .forEach(r -> out.add((String) r.get("CALL_ID")));
      return out;
    }
  }

  private static Map<String, Integer> queue(String url) {
    try (Warehouse wh = Warehouse.open(url)) {
      Map<String, Integer> out = new TreeMap<>();
      RetryQueue.load(wh).forEach((id, e) -> out.put(id, e.attempts()));
      return out;
    }
  }

  private static Instant mark(String url) {
    try (Warehouse wh = Warehouse.open(url)) {
      return wh.highWaterMark("gong_calls").orElse(null);
    }
  }

  private static long count(String url, String table, String callId) {
    String column = table.startsWith("AI_MEMORY") ? "SOURCE_ID" : "CALL_ID";
    try (Warehouse wh = Warehouse.open(url)) {
      return ((Number) wh.query("SELECT COUNT(*) AS N FROM " + table + " WHERE " + column
          + " = ?", callId).get(0).get("N")).longValue();
    }
  }

  private static Object stgCallColumn(String url, String callId, String column) {
    try (Warehouse wh = Warehouse.open(url)) {
      return wh.query("SELECT " + column + " AS V FROM STG_TRANSFORMED.STG_GONG_CALLS WHERE "
          + "CALL_ID = ?", callId).get(0).get("V");
    }
  }
}
