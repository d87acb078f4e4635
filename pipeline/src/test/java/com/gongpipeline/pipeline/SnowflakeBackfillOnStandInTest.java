package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.gongpipeline.cortex.sim.CortexSimulator;
import com.gongpipeline.cortex.sim.CortexSimulatorConfig;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.snowflake.CortexSqlSentimentScorer;
import com.gongpipeline.snowflake.SnowflakeConnections;
import com.gongpipeline.snowflake.sim.RecordedStatement;
import com.gongpipeline.snowflake.sim.SnowflakeStandIn;
import com.gongpipeline.snowflake.sim.StandInConfig;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.warehouse.SnowflakeWarehouse;
import com.gongpipeline.testing.ChildJvm;
import com.gongpipeline.testing.TableQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production Snowflake path end to end over real HTTP and the real snowflake-jdbc driver:
 * {@code backfill --warehouse=jdbc:snowflake:… --embeddings=cortex --sentiment=cortex} runs in
 * its own JVM (credentials come only from its environment) against the Gong simulator (faults
 * on), the Cortex embed simulator and the {@link SnowflakeStandIn} (DuckDB behind Snowflake's
 * REST protocol). The warehouse, read back through the driver, must equal the ground truth, with
 * the deal risks classified after the write ({@code --cortexRisks=auto}); a second run must change
 * no count and embed, score or classify nothing again.
 */
class SnowflakeBackfillOnStandInTest {
  static final String PAT = CortexSimulatorConfig.DEMO_PAT;
  static final String USER = "TEST_USER";
  static final long RUN_TIMEOUT_SECONDS = 150;

  @TempDir Path dir;

  @Test
  void backfillIntoSnowflakeStandInMatchesGroundTruthAndIsIdempotent() throws Exception {
    long t0 = System.nanoTime();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant from = now.minus(Duration.ofDays(3));
    SimulatorConfig gongConfig = SimulatorConfig.builder()
        .seed(17).calls(14).callsFrom(from).callsTo(now.minus(Duration.ofHours(1)))
        .serverErrorRate(0.1)
        .connectionResetRate(0.05)
        .malformedPageRate(0.05)
        .cursorExpiryRate(0.2)
        .requestsPerSecond(50)
        .build();
    StandInConfig sfConfig = StandInConfig.builder().user(USER).token(PAT)
        .duckDbUrl("jdbc:duckdb:" + dir.resolve("snowflake.duckdb")).build();

    try (GongSimulator gong = GongSimulator.start(gongConfig);
        CortexSimulator cortex = CortexSimulator.start(CortexSimulatorConfig.builder().build());
        SnowflakeStandIn standIn = SnowflakeStandIn.start(sfConfig)) {
      GroundTruth truth = gong.groundTruth(from, now);
      Set<String> expectedIds = new HashSet<>(truth.nonPrivateCallIds());
      assertThat(expectedIds.size(), greaterThan(8));
      cortex.failNext(429, "0", 1); // the embed client must honour a throttle on this path too
      Properties props = SnowflakeConnections.fromEnvironment(
          Map.of(SnowflakeConnections.USER, USER, SnowflakeConnections.PAT, PAT));

      // 1. The first run.
      String firstOut = backfill(gong, gongConfig, cortex, standIn, from, now, "sf-e2e-1");
      long embedRequests = cortex.requests();
      long textsEmbedded = cortex.textsEmbedded();
      List<String> sql = standIn.statements().stream().map(RecordedStatement::sql).toList();
      long sentimentStatements = countContaining(sql, "SNOWFLAKE.CORTEX.SENTIMENT");
      System.out.printf("first run: %d statements (%d SENTIMENT), %d embed requests, %d texts%n",
          sql.size(), sentimentStatements, embedRequests, textsEmbedded);
      assertThat(firstOut, containsString("sf-e2e-1 SUCCEEDED"));
      assertThat(sentimentStatements, greaterThan(0L));
      assertThat(sql, hasItem(startsWith("MERGE")));
      assertThat(standIn.stats().unknownPaths(), empty());
      assertThat(standIn.stats().refusedLogins(), equalTo(0L));
      assertThat(failedStatements(standIn), empty());
      assertThat(embedRequests, greaterThan(1L));
      assertThat(cortex.requestsByStatus().get(429), equalTo(1L));
      assertThat(cortex.authRefusals(), empty());

      Map<String, Long> countsAfterFirst;
      try (SnowflakeWarehouse wh = new SnowflakeWarehouse(standIn.jdbcUrl(), props)) {
        JobLog log = wh.findJob("sf-e2e-1").orElseThrow();
        assertThat(log.status(), equalTo(JobLog.Status.SUCCEEDED));
        // --cortexRisks=auto (Cortex embeddings, Snowflake): every English call with customer
        // chunks was classified after the write, and the job's note says so
        long toClassify = count(wh, "SELECT COUNT(DISTINCT m.SOURCE_ID) FROM"
            + " AI_MEMORY.MEMORY_RECORDS m JOIN STG_TRANSFORMED.STG_GONG_CALLS c"
            + " ON c.CALL_ID = m.SOURCE_ID WHERE m.AFFILIATION = 'External'"
            + " AND c.CALL_LANGUAGE = 'eng'");
        assertThat(toClassify, greaterThan(0L));
        assertThat(count(wh, "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALLS"
            + " WHERE RISK_METHOD = 'cortex-ai-classify'"), equalTo(toClassify));
        assertThat(log.errorMessage(), equalTo("cortex risks: " + toClassify + " call"
            + (toClassify == 1 ? "" : "s") + " classified (cortex-ai-classify) in 1 statement;"
            + " none left"));
        assertThat(String.valueOf(wh.query("SELECT STAGE, RECORD_KEY, ERROR_MESSAGE FROM"
            + " OPS_MONITORING.DEAD_LETTER")), log.deadLetters(), equalTo(0L));
        System.out.printf("first run: %d Gong requests, %d retried%n", log.apiRequests(),
            log.apiRetries());
        assertThat(strings(wh, "SELECT STAGE || ' ' || RECORD_KEY || ': ' || ERROR_MESSAGE "
            + "FROM OPS_MONITORING.DEAD_LETTER"), empty());
        assertMatchesGroundTruth(wh, truth, expectedIds);

        long chunks = count(wh, "SELECT COUNT(*) FROM AI_MEMORY.MEMORY_RECORDS");
        assertThat(chunks, greaterThan((long) expectedIds.size()));
        assertThat(log.chunksProcessed(), equalTo(chunks));
        assertThat("each stored chunk was embedded exactly once", textsEmbedded,
            equalTo(chunks));
        assertThat(strings(wh, "SELECT DISTINCT EMBEDDING_MODEL || ' ' || EMBEDDING_DIM || ' '"
                + " || SENTIMENT_MODEL FROM AI_MEMORY.MEMORY_RECORDS"),
            equalTo(List.of("e5-base-v2 768 " + CortexSqlSentimentScorer.MODEL_NAME)));
        assertThat(count(wh, "SELECT COUNT(*) FROM AI_MEMORY.MEMORY_RECORDS WHERE EMBEDDING IS NULL"
            + " OR SENTIMENT_SCORE IS NULL OR SENTIMENT_SCORE < -1 OR SENTIMENT_SCORE > 1"),
            equalTo(0L));
        assertThat(count(wh, "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS"
            + " WHERE SEGMENT_SENTIMENT IS NULL OR SEGMENT_SENTIMENT < -1"
            + " OR SEGMENT_SENTIMENT > 1"), equalTo(0L));
        countsAfterFirst = new TreeMap<>(wh.tableCounts());
      }
      // The vectors themselves, behind the driver's back: 768 floats each.
      assertThat(TableQuery.on(standIn::duckDb).longs("SELECT DISTINCT len(EMBEDDING) "
          + "FROM AI_MEMORY.MEMORY_RECORDS"), equalTo(List.of(768L)));

      // 2. The same run again: the MERGEs change no count, nothing is embedded or scored again.
      int statementsBefore = standIn.statements().size();
      backfill(gong, gongConfig, cortex, standIn, from, now, "sf-e2e-2");
      List<String> secondSql = standIn.statements().stream().skip(statementsBefore)
          .map(RecordedStatement::sql).toList();
      System.out.printf("second run: %d statements (%d SENTIMENT), %d embed requests%n",
          secondSql.size(), countContaining(secondSql, "SNOWFLAKE.CORTEX.SENTIMENT"),
          cortex.requests() - embedRequests);
      assertThat(secondSql, hasItem(startsWith("MERGE")));
      assertThat("unchanged chunks reuse their stored vectors", cortex.requests(),
          equalTo(embedRequests));
      assertThat("unchanged turns reuse their stored scores",
          countContaining(secondSql, "SNOWFLAKE.CORTEX.SENTIMENT"), equalTo(0L));
      assertThat(standIn.stats().unknownPaths(), empty());
      assertThat(failedStatements(standIn), empty());
      try (SnowflakeWarehouse wh = new SnowflakeWarehouse(standIn.jdbcUrl(), props)) {
        JobLog log = wh.findJob("sf-e2e-2").orElseThrow();
        assertThat(log.status(), equalTo(JobLog.Status.SUCCEEDED));
        assertThat("unchanged chunks are not classified again", log.errorMessage(),
            equalTo("cortex risks: 0 calls classified (cortex-ai-classify) in 1 statement;"
                + " none left"));
        assertThat(log.deadLetters(), equalTo(0L));
        assertThat(log.chunksProcessed(), equalTo(0L));
        Map<String, Long> expected = new TreeMap<>(countsAfterFirst);
        expected.merge("OPS_MONITORING.ETL_JOB_LOGS", 1L, Long::sum);
        Map<String, Long> actual = new TreeMap<>(wh.tableCounts());
        // The request ledger gains the second job's own rows (one per endpoint it called).
        expected.put("OPS_MONITORING.GONG_API_USAGE", actual.get("OPS_MONITORING.GONG_API_USAGE"));
        assertThat(actual, equalTo(expected));
        assertMatchesGroundTruth(wh, truth, expectedIds);
      }
      System.out.printf("SnowflakeBackfillOnStandInTest took %.1f s%n",
          (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * Runs {@code backfill} in a child JVM whose only credentials are the Gong keys and the
   * Snowflake user and PAT; asserts exit code 0 and that no secret reached its output.
   */
  static String backfill(GongSimulator gong, SimulatorConfig gongConfig, CortexSimulator cortex,
      SnowflakeStandIn standIn, Instant from, Instant to, String jobId) throws Exception {
    long t0 = System.nanoTime();
    Path output = java.nio.file.Files.createTempFile("sf-backfill-" + jobId, ".log");
    try (ChildJvm child = ChildJvm.main(GongPipelineCli.class.getName(), "backfill",
            "--gongBaseUrl=" + gong.baseUrl(), "--from=" + from, "--to=" + to,
            "--warehouse=" + standIn.jdbcUrl(),
            "--embeddings=cortex", "--cortexUrl=" + cortex.baseUrl(), "--sentiment=cortex",
            "--jobId=" + jobId, "--progressSeconds=0", "--gongRequestsPerSecond=40")
        .jvmArgs("-Xmx1g").mergeStderr().log(output)
        .env(Map.of("GONG_ACCESS_KEY", gongConfig.accessKey(),
            "GONG_ACCESS_KEY_SECRET", gongConfig.accessKeySecret(),
            SnowflakeConnections.USER, USER, SnowflakeConnections.PAT, PAT))
        .start()) {
      int exit = child.waitFor(Duration.ofSeconds(RUN_TIMEOUT_SECONDS));
      String out = child.output();
      System.out.printf("%s: exit %d after %.1f s%n", jobId, exit, (System.nanoTime() - t0) / 1e9);
      assertThat("exit code of " + jobId + "; output:\n" + child.tail(), exit, equalTo(0));
      assertThat(out, containsString(jobId + " SUCCEEDED"));
      assertThat("the PAT leaked", out, not(containsString(PAT)));
      assertThat("the Gong secret leaked", out,
          not(containsString(gongConfig.accessKeySecret())));
      return out;
    } finally {
      java.nio.file.Files.deleteIfExists(output);
    }
  }

  /**
   * STG holds the non-private calls once each (RAW the same ids); the transcript turns are the
   * ground truth's monologues with sentences, with every sentence; chunks exist for exactly the
   * calls with speech; no private call left a trace.
   */
  static void assertMatchesGroundTruth(SnowflakeWarehouse wh, GroundTruth truth,
      Set<String> expectedIds) {
    List<String> stg = strings(wh, "SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS");
    assertThat("no duplicate calls", stg.size(), equalTo(new HashSet<>(stg).size()));
    assertThat(new HashSet<>(stg), equalTo(expectedIds));
    assertThat(new HashSet<>(strings(wh, "SELECT CALL_ID FROM RAW.GONG_CALLS_RAW")),
        equalTo(expectedIds));

    long turns = 0;
    long sentences = 0;
    Set<String> withSpeech = new HashSet<>();
    for (GroundTruth.Call c : truth.calls()) {
      if (c.isPrivate()) {
        continue;
      }
      for (GroundTruth.Monologue m : c.monologues()) {
        if (!m.sentences().isEmpty()) {
          turns++;
          sentences += m.sentences().size();
        }
        if (m.texts().stream().anyMatch(s -> !s.isBlank())) {
          withSpeech.add(c.callId());
        }
      }
    }
    assertThat(turns, greaterThan(0L));
    assertThat(count(wh, "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS"),
        equalTo(turns));
    assertThat(count(wh, "SELECT SUM(SENTENCE_COUNT) FROM "
        + "STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS"), equalTo(sentences));
    Map<String, StringBuilder> textByCall = new TreeMap<>();
    for (Map<String, Object> r : wh.query("SELECT CALL_ID, TRANSCRIPT_TEXT FROM "
        + "STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS ORDER BY CALL_ID, TURN_INDEX")) {
      textByCall.computeIfAbsent(String.valueOf(r.get("CALL_ID")), k -> new StringBuilder())
          .append(r.get("TRANSCRIPT_TEXT")).append('\n');
    }
    List<String> missing = new ArrayList<>();
    for (String id : expectedIds) {
      String text = textByCall.getOrDefault(id, new StringBuilder()).toString();
      for (GroundTruth.Monologue m : truth.call(id).monologues()) {
        for (String s : m.texts()) {
          if (!s.isBlank() && !text.contains(s)) {
            missing.add(id + ": " + s);
          }
        }
      }
    }
    assertThat(missing, empty());
    assertThat("chunks for exactly the calls with speech", new HashSet<>(strings(wh,
            "SELECT DISTINCT SOURCE_ID FROM AI_MEMORY.MEMORY_RECORDS")), equalTo(withSpeech));
    for (String privateId : truth.hardCase("private")) {
      assertThat(count(wh, "SELECT COUNT(*) FROM RAW.GONG_CALLS_RAW WHERE CALL_ID = '"
          + privateId + "'") + count(wh, "SELECT COUNT(*) FROM AI_MEMORY.MEMORY_RECORDS "
          + "WHERE SOURCE_ID = '" + privateId + "'"), equalTo(0L));
    }
    assertThat(count(wh, "SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_USERS"),
        equalTo((long) truth.users().size()));
  }

  static List<String> failedStatements(SnowflakeStandIn standIn) {
    return standIn.statements().stream()
        .filter(s -> s.outcome() == RecordedStatement.Outcome.FAILED)
        .map(RecordedStatement::toString).toList();
  }

  static long countContaining(List<String> sql, String fragment) {
    return sql.stream().filter(s -> s.toUpperCase(java.util.Locale.ROOT).contains(fragment))
        .count();
  }

  static long count(SnowflakeWarehouse wh, String sql) {
    Object v = wh.query(sql).get(0).values().iterator().next();
    return v == null ? 0 : ((Number) v).longValue();
  }

  static List<String> strings(SnowflakeWarehouse wh, String sql) {
    List<String> out = new ArrayList<>();
    wh.query(sql).forEach(r -> out.add(String.valueOf(r.values().iterator().next())));
    return out;
  }
}
