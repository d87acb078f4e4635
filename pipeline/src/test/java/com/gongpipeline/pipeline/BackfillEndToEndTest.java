package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import com.gongpipeline.chunking.E5Tokenizer;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.GroundTruth;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.warehouse.JobLog;
import com.gongpipeline.testing.TableQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole backfill on the DirectRunner against the simulator with faults on (5xx, connection
 * resets, malformed pages, expired cursors, 429s): the warehouse must equal the simulator's ground
 * truth exactly, and a second run over the same window must leave every count unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackfillEndToEndTest {
  static final int MAX_TOKENS = 128;
  static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.]+");

  @TempDir static Path dir;
  GongSimulator sim;
  SimulatorConfig config;
  GroundTruth truth;
  String warehouse;
  Instant from;
  Instant to;
  JobRun.Summary first;
  Map<String, Long> countsAfterFirst;
  List<String> risksAfterFirst;

  @BeforeAll
  void startSimulatorAndRunOnce() throws Exception {
    Instant now = Instant.now();
    from = now.minus(Duration.ofDays(10));
    to = now;
    config = SimulatorConfig.builder()
        .seed(7)
        .calls(100)
        .callsFrom(from)
        .callsTo(now.minus(Duration.ofHours(1)))
        .serverErrorRate(0.05)
        .connectionResetRate(0.03)
        .malformedPageRate(0.03)
        .cursorExpiryRate(0.1)
        .requestsPerSecond(3)
        .build();
    sim = GongSimulator.start(config);
    truth = sim.groundTruth(from, to);
    warehouse = "jdbc:duckdb:" + dir.resolve("e2e.duckdb");
    first = backfill();
    countsAfterFirst = counts();
    risksAfterFirst = risks();
  }

  @AfterAll
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  JobRun.Summary backfill() {
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs(
            "--gongBaseUrl=" + sim.baseUrl(),
            "--from=" + from, "--to=" + to,
            "--warehouse=" + warehouse,
            "--gongRequestsPerSecond=5", // above the simulator's 3/s: 429s must be honoured
            "--chunkMaxTokens=" + MAX_TOKENS,
            "--progressSeconds=0")
        .as(GongPipelineOptions.class);
    return BackfillCommand.run(o,
        GongCredentials.of(config.accessKey(), config.accessKeySecret()),
        new PrintStream(new ByteArrayOutputStream()));
  }

  @Test
  @Order(1)
  void everyNonPrivateCallLandsOnceAndNoPrivateCallLands() throws Exception {
    assertThat(strings("SELECT STAGE || ' ' || RECORD_KEY || ': ' || ERROR_MESSAGE "
        + "FROM OPS_MONITORING.DEAD_LETTER"), empty());
    assertThat(truth.hardCase("private"), not(empty()));
    Set<String> expected = new HashSet<>(truth.nonPrivateCallIds());
    List<String> stg = strings("SELECT CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS");
    assertThat(stg.size(), equalTo(expected.size()));
    assertThat(new HashSet<>(stg), equalTo(expected));
    assertThat(new HashSet<>(strings("SELECT CALL_ID FROM RAW.GONG_CALLS_RAW")), equalTo(expected));
    for (String privateId : truth.hardCase("private")) {
      assertThat(count("SELECT COUNT(*) FROM RAW.GONG_CALLS_RAW WHERE CALL_ID = '" + privateId
          + "'") + count("SELECT COUNT(*) FROM AI_MEMORY.MEMORY_RECORDS WHERE SOURCE_ID = '"
          + privateId + "'"), equalTo(0L));
    }
  }

  @Test
  @Order(2)
  void everySentenceIsInStagingAndParticipantsMatch() throws Exception {
    Map<String, StringBuilder> textByCall = new HashMap<>();
    for (Map<String, Object> row : TableQuery.on(warehouse).rows("SELECT CALL_ID, "
        + "TRANSCRIPT_TEXT FROM STG_TRANSFORMED.STG_GONG_CALL_TRANSCRIPTS "
        + "ORDER BY CALL_ID, TURN_INDEX")) {
      textByCall.computeIfAbsent((String) row.get("CALL_ID"), k -> new StringBuilder())
          .append(row.get("TRANSCRIPT_TEXT")).append('\n');
    }
    List<String> missing = new ArrayList<>();
    long parties = 0;
    for (GroundTruth.Call call : truth.calls()) {
      if (call.isPrivate()) {
        continue;
      }
      parties += call.parties().size();
      String text = textByCall.getOrDefault(call.callId(), new StringBuilder()).toString();
      for (GroundTruth.Monologue m : call.monologues()) {
        for (String sentence : m.texts()) {
          if (!sentence.isBlank() && !text.contains(sentence)) {
            missing.add(call.callId() + ": " + sentence);
          }
        }
      }
    }
    assertThat(missing, empty());
    assertThat(count("SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_PARTICIPANTS"),
        equalTo(parties));
  }

  /**
   * Issue 12 §1: every call's Gong analysis (outcome, action items as NEXT_STEPS, talk ratio,
   * questions, host, HubSpot contact, trackers and their occurrences) equals the simulator's truth.
   */
  @Test
  @Order(2)
  void everyCallsGongAnalysisEqualsTheTruth() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Map<String, Map<String, Object>> calls = new HashMap<>();
    for (Map<String, Object> row : TableQuery.on(warehouse).rows("SELECT CALL_ID, CALL_OUTCOME,"
        + " CALL_OUTCOME_ID, NEXT_STEPS::VARCHAR AS NEXT_STEPS, TALK_RATIO, QUESTIONS_COMPANY,"
        + " QUESTIONS_NON_COMPANY, LONGEST_MONOLOGUE_SECONDS, PRIMARY_USER_NAME,"
        + " HUBSPOT_CONTACT_ID FROM STG_TRANSFORMED.STG_GONG_CALLS")) {
      calls.put((String) row.get("CALL_ID"), row);
    }
    Map<String, List<String>> trackers = new HashMap<>();
    for (Map<String, Object> row : TableQuery.on(warehouse).rows("SELECT CALL_ID, TRACKER_ID"
        + " || '/' || TRACKER_NAME || '/' || TRACKER_TYPE || '/' || MENTION_COUNT AS T"
        + " FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKERS ORDER BY CALL_ID, TRACKER_ID")) {
      trackers.computeIfAbsent((String) row.get("CALL_ID"), k -> new ArrayList<>())
          .add((String) row.get("T"));
    }
    Map<String, Set<String>> occurrences = new HashMap<>();
    for (Map<String, Object> row : TableQuery.on(warehouse).rows("SELECT CALL_ID, TRACKER_ID"
        + " || '@' || START_MS || '/' || COALESCE(SPEAKER_ID, '-') AS O"
        + " FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKER_OCCURRENCES")) {
      occurrences.computeIfAbsent((String) row.get("CALL_ID"), k -> new HashSet<>())
          .add((String) row.get("O"));
    }
    List<String> wrong = new ArrayList<>();
    long nextSteps = 0;
    for (GroundTruth.Call call : truth.calls()) {
      if (call.isPrivate()) {
        continue;
      }
      GroundTruth.Intelligence want = call.intelligence();
      Map<String, Object> got = calls.get(call.callId());
      String id = call.callId() + ": ";
      if (!want.outcomeId().equals(got.get("CALL_OUTCOME_ID"))
          || !want.outcome().equals(got.get("CALL_OUTCOME"))) {
        wrong.add(id + "outcome " + got.get("CALL_OUTCOME_ID"));
      }
      List<String> steps = new ArrayList<>();
      for (var s : json.readTree((String) got.get("NEXT_STEPS"))) {
        steps.add(s.get("text").asText() + "|" + (s.get("speaker_id").isNull() ? null
            : s.get("speaker_id").asText()) + "|" + s.get("start_ms").asLong() + "|"
            + s.get("end_ms").asLong());
      }
      List<String> wantSteps = want.nextSteps().stream()
          .map(a -> a.text() + "|" + a.speakerId() + "|" + a.startMs() + "|" + a.endMs()).toList();
      nextSteps += wantSteps.size();
      if (!steps.equals(wantSteps)) {
        wrong.add(id + "next steps " + steps + " != " + wantSteps);
      }
      Double ratio = got.get("TALK_RATIO") == null ? null
          : ((Number) got.get("TALK_RATIO")).doubleValue();
      if (want.talkRatio() == null ? ratio != null
          : ratio == null || Math.abs(ratio - want.talkRatio()) > 1e-9) {
        wrong.add(id + "talk ratio " + ratio + " != " + want.talkRatio());
      }
      if (((Number) got.get("QUESTIONS_COMPANY")).intValue() != want.questionsCompany()
          || ((Number) got.get("QUESTIONS_NON_COMPANY")).intValue() != want.questionsNonCompany()) {
        wrong.add(id + "questions");
      }
      Object monologue = got.get("LONGEST_MONOLOGUE_SECONDS");
      if (want.longestMonologueSeconds() == null ? monologue != null : monologue == null
          || ((Number) monologue).doubleValue() != want.longestMonologueSeconds()) {
        wrong.add(id + "longest monologue " + monologue);
      }
      if (!java.util.Objects.equals(got.get("PRIMARY_USER_NAME"), want.primaryUserName())
          || !java.util.Objects.equals(got.get("HUBSPOT_CONTACT_ID"), want.hubspotContactId())) {
        wrong.add(id + "primary user / hubspot contact");
      }
      List<String> wantTrackers = want.trackers().stream()
          .map(t -> t.id() + "/" + t.name() + "/" + t.type() + "/" + t.count()).sorted().toList();
      if (!wantTrackers.equals(trackers.getOrDefault(call.callId(), List.of()))) {
        wrong.add(id + "trackers " + trackers.get(call.callId()) + " != " + wantTrackers);
      }
      Set<String> wantOcc = new HashSet<>();
      want.trackers().forEach(t -> t.occurrences().forEach(o -> wantOcc.add(t.id() + "@"
          + o.startMs() + "/" + (o.speakerId() == null ? "-" : o.speakerId()))));
      if (!wantOcc.equals(occurrences.getOrDefault(call.callId(), Set.of()))) {
        wrong.add(id + "tracker occurrences");
      }
    }
    assertThat(wrong, empty());
    assertThat(nextSteps, greaterThan(0L));
    assertThat(count("SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALL_TRACKER_OCCURRENCES"),
        greaterThan(0L));
  }

  @Test
  @Order(3)
  void everyChunkFitsTheTokenLimitAndCarriesNoEmail() throws Exception {
    List<String> chunks = strings("SELECT CONTENT FROM AI_MEMORY.MEMORY_RECORDS");
    assertThat(chunks.size(), greaterThan(truth.nonPrivateCallIds().size()));
    E5Tokenizer tokenizer = new E5Tokenizer();
    List<Integer> tokens = new ArrayList<>();
    List<String> withEmail = new ArrayList<>();
    for (String chunk : chunks) {
      tokens.add(tokenizer.countTokens("passage: " + chunk));
      if (EMAIL.matcher(chunk).find()) {
        withEmail.add(chunk);
      }
    }
    assertThat(tokens, everyItem(lessThanOrEqualTo(MAX_TOKENS)));
    assertThat(withEmail, empty());
    assertThat(count("SELECT COUNT(*) FROM AI_MEMORY.MEMORY_RECORDS WHERE EMBEDDING_DIM <> 384 "
        + "OR len(EMBEDDING) <> 384 OR SENTIMENT_SCORE NOT BETWEEN -1 AND 1"), equalTo(0L));
  }

  @Test
  @Order(4)
  void faultsWereRetriedAndTheJobIsLogged() throws Exception {
    JobLog log = first.log();
    assertThat(log.status(), equalTo(JobLog.Status.SUCCEEDED));
    assertThat(log.apiRetries(), greaterThan(0L));
    // Listed with their errors, so a failure says what went wrong.
    assertThat(strings("SELECT STAGE || ' ' || RECORD_KEY || ': ' || ERROR_MESSAGE "
        + "FROM OPS_MONITORING.DEAD_LETTER"), empty());
    assertThat(log.deadLetters(), equalTo(0L));
    assertThat(count("SELECT COUNT(*) FROM OPS_MONITORING.ETL_JOB_LOGS WHERE STATUS = 'SUCCEEDED'"
        + " AND API_REQUESTS > 0 AND JOB_ID = '" + log.jobId() + "'"), equalTo(1L));
    assertThat(count("SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_USERS"),
        equalTo((long) truth.users().size()));
  }

  /**
   * The report "negative calls in a period" on the backfilled tenant: the calls it lists in the
   * chosen period are (at least 80 %) the simulator's truly negative calls, and each cites the
   * customer's words verbatim with speaker and mm:ss.
   */
  @Test
  @Order(4)
  void negativeCallsReportListsTrulyNegativeCallsWithCustomerCitations() throws Exception {
    Instant periodFrom = from.plus(Duration.ofDays(3));
    List<String[]> rows = new ArrayList<>();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(warehouse);
        java.sql.Statement st = c.createStatement()) {
      st.execute("SET VARIABLE period_from = TIMESTAMP '" + sqlTimestamp(periodFrom) + "'");
      st.execute("SET VARIABLE period_to = TIMESTAMP '" + sqlTimestamp(to) + "'");
      try (java.sql.ResultSet rs = st.executeQuery(Reports.sql("negative_calls_in_period"))) {
        while (rs.next()) {
          rows.add(new String[] {rs.getString("CALL_ID"),
              rs.getTimestamp("CALL_DATETIME_UTC").toLocalDateTime().toInstant(
                  java.time.ZoneOffset.UTC).toString(),
              rs.getString("moment_1")});
        }
      }
    }
    assertThat(rows.size(), greaterThan(2));
    int negative = 0;
    int cited = 0;
    Pattern citation = Pattern.compile("(.+?) @ (\\d{2,}):(\\d{2}) \\((-[0-9.]+)\\) \"(.+?)\"");
    for (String[] row : rows) {
      GroundTruth.Call call = truth.call(row[0]);
      Instant started = Instant.parse(row[1]);
      assertThat(!started.isBefore(periodFrom) && started.isBefore(to), equalTo(true));
      if ("negative".equals(call.sentiment())) {
        negative++;
      }
      if (row[2] == null) { // a call can be negative without a negative customer turn: rare
        continue;
      }
      cited++;
      java.util.regex.Matcher m = citation.matcher(row[2]);
      assertThat(row[2], m.find(), equalTo(true));
      Set<String> customers = new HashSet<>();
      call.parties().stream().filter(p -> "External".equals(p.affiliation()))
          .forEach(p -> customers.add(p.name()));
      assertThat(customers.contains(m.group(1)), equalTo(true));
      long ms = (Long.parseLong(m.group(2)) * 60 + Long.parseLong(m.group(3))) * 1000;
      String quoted = m.group(5).replace("…", "");
      assertThat(row[2], call.monologues().stream().anyMatch(t -> t.startMs() / 1000 * 1000 == ms
          && String.join(" ", t.texts()).startsWith(quoted)), equalTo(true));
    }
    assertThat(negative + " of " + rows.size(), negative >= 0.8 * rows.size(), equalTo(true));
    assertThat(cited + " of " + rows.size(), cited >= 0.8 * rows.size(), equalTo(true));
  }

  private static String sqlTimestamp(Instant i) {
    return java.time.LocalDateTime.ofInstant(i, java.time.ZoneOffset.UTC).toString()
        .replace('T', ' ');
  }

  /**
   * Issue 12 §2: every English call whose customer side spoke has its risks classified by the
   * embedded method, and every indicator cites a customer chunk of that call by memory id,
   * speaker and ms (figures against the truth: {@code bench}, RiskClassifierHeldOutTest).
   */
  @Test
  @Order(4)
  void riskIndicatorsCiteCustomerChunksOfEveryEnglishCall() throws Exception {
    assertThat(strings("SELECT c.CALL_ID FROM STG_TRANSFORMED.STG_GONG_CALLS c WHERE "
        + "c.CALL_LANGUAGE = 'eng' AND c.RISK_METHOD IS DISTINCT FROM 'e5-zero-shot-v1' AND EXISTS ("
        + "SELECT 1 FROM AI_MEMORY.MEMORY_RECORDS m WHERE m.SOURCE_ID = c.CALL_ID "
        + "AND m.AFFILIATION = 'External')"), empty());
    long indicators = count("SELECT COUNT(*) FROM STG_TRANSFORMED.STG_GONG_CALLS c, "
        + "json_each(c.RISK_INDICATORS) j");
    assertThat(indicators, greaterThan(100L));
    assertThat(strings("SELECT c.CALL_ID || ' ' || j.value::VARCHAR "
        + "FROM STG_TRANSFORMED.STG_GONG_CALLS c, json_each(c.RISK_INDICATORS) j "
        + "WHERE NOT EXISTS (SELECT 1 FROM AI_MEMORY.MEMORY_RECORDS m "
        + "WHERE m.MEMORY_ID = j.value->>'memory_id' AND m.SOURCE_ID = c.CALL_ID "
        + "AND m.AFFILIATION = 'External' AND m.SPEAKER_ID = j.value->>'speaker_id' "
        + "AND m.START_MS = CAST(j.value->>'start_ms' AS BIGINT))"), empty());
  }

  List<String> risks() {
    return strings("SELECT CALL_ID || ' ' || COALESCE(RISK_INDICATORS::VARCHAR, '-') || ' '"
        + " || COALESCE(RISK_INPUT_HASH, '-') || ' ' || COALESCE(ASPECT_SENTIMENT::VARCHAR, '-')"
        + " FROM STG_TRANSFORMED.STG_GONG_CALLS ORDER BY CALL_ID");
  }

  @Test
  @Order(5)
  void secondRunOverTheSameWindowChangesNoCount() throws Exception {
    JobRun.Summary second = backfill();
    assertThat(second.log().status(), equalTo(JobLog.Status.SUCCEEDED));
    assertThat(risks(), equalTo(risksAfterFirst));
    Map<String, Long> after = counts();
    Map<String, Long> expected = new HashMap<>(countsAfterFirst);
    expected.merge("OPS_MONITORING.ETL_JOB_LOGS", 1L, Long::sum);
    // The request ledger gains the second job's own rows (GongBudgetPauseTest checks them).
    expected.put("OPS_MONITORING.GONG_API_USAGE", after.get("OPS_MONITORING.GONG_API_USAGE"));
    assertThat(after, equalTo(expected));
  }

  Map<String, Long> counts() {
    try (var wh = com.gongpipeline.warehouse.Warehouse.open(warehouse)) {
      return new HashMap<>(wh.tableCounts());
    }
  }

  long count(String sql) {
    return TableQuery.on(warehouse).longValue(sql);
  }

  List<String> strings(String sql) {
    return TableQuery.on(warehouse).strings(sql);
  }
}
