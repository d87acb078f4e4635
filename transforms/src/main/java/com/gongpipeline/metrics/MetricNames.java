package com.gongpipeline.metrics;

import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.metrics.PipelineMetric.Kind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Every metric the pipeline emits, in one place: the DoFns count with these, the Prometheus
 * endpoint ({@code --metricsPort}) types them, the status page and the Grafana dashboard query them
 * by {@link PipelineMetric#prometheusName()}, and tests check the dashboard and a real run against
 * this list.
 *
 * <p>Series names are {@code gong_pipeline_<namespace>_<name>}. Flink exports Beam
 * distributions as 0, so each distribution {@code X} is mirrored as counters {@code X_sum},
 * {@code X_count} and a gauge {@code X_max} (largest value seen by the worker JVM); dashboards use
 * the mirrors ({@code rate(X_sum) / rate(X_count)} is the mean).
 *
 * <p>Namespaces: {@code gong} (API client), {@code pipeline} (stages, dead letters, freshness),
 * {@code enrich} (embedding, sentiment), {@code warehouse} (MERGE), {@code stream} (poller,
 * de-duplication, read position), {@code cortex} (reserved for Snowflake Cortex enrichment).
 */
public final class MetricNames {
  public static final String PROMETHEUS_PREFIX = "gong_pipeline_";
  public static final List<String> NAMESPACES =
      List.of("gong", "pipeline", "enrich", "warehouse", "stream", "cortex");

  private static final Map<String, PipelineMetric> ALL = new LinkedHashMap<>();

  // ---- gong: the API client (HttpGongClient's StatsRecorder) ----
  public static final PipelineMetric GONG_HTTP_429 =
      counter("gong", "http_429", "Gong responses with status 429 (rate limited)");
  public static final PipelineMetric GONG_RETRIES =
      counter("gong", "retries", "Gong requests retried (429, 5xx, I/O errors, malformed pages)");
  public static final PipelineMetric GONG_RETRY_WAIT_MS =
      counter("gong", "retry_wait_ms", "Milliseconds waited before retries (Retry-After, backoff)");
  public static final PipelineMetric GONG_THROTTLE_WAIT_MS =
      counter("gong", "throttle_wait_ms", "Milliseconds waited by the client-side rate limiter");
  public static final PipelineMetric GONG_CURSOR_RESTARTS =
      counter("gong", "cursor_restarts", "Listings restarted after an expired cursor");
  public static final PipelineMetric GONG_QUOTA_STOPS =
      counter("gong", "quota_stops", "Gong requests not sent because the daily request budget "
          + "(--gongDailyRequestBudget) or Gong's own daily quota (429 beyond maxRetryAfter) is spent");
  public static final PipelineMetric GONG_PRIVATE_CALLS_SKIPPED =
      counter("gong", "private_calls_skipped", "Private calls not read");

  /** Status classes of {@link #gongResponses}: exact 200 and 429, else the class. */
  public static final List<String> STATUS_CLASSES =
      List.of("200", "429", "2xx", "4xx", "5xx", "io_error");

  /**
   * The Gong endpoints with per-endpoint counters: metric name to {@code "METHOD /path"}, in the
   * order of {@code gong.GongEndpoint}, which takes its names from here ({@link #GONG_CALLS} …) so
   * that this package needs no Gong type.
   */
  public static final String GONG_CALLS = "calls";
  public static final String GONG_CALLS_EXTENSIVE = "calls_extensive";
  public static final String GONG_CALLS_TRANSCRIPT = "calls_transcript";
  public static final String GONG_USERS = "users";
  public static final String GONG_WORKSPACES = "workspaces";
  public static final Map<String, String> GONG_ENDPOINTS = Collections.unmodifiableMap(
      orderedMap(GONG_CALLS, "GET /v2/calls",
          GONG_CALLS_EXTENSIVE, "POST /v2/calls/extensive",
          GONG_CALLS_TRANSCRIPT, "POST /v2/calls/transcript",
          GONG_USERS, "GET /v2/users",
          GONG_WORKSPACES, "GET /v2/workspaces"));

  private static final Map<String, PipelineMetric> REQUESTS = new LinkedHashMap<>();
  private static final Map<String, PipelineMetric> RESPONSES = new LinkedHashMap<>();

  static {
    GONG_ENDPOINTS.forEach((name, describe) -> {
      REQUESTS.put(name, counter("gong", "requests_" + name, "HTTP attempts to " + describe));
      for (String s : STATUS_CLASSES) {
        RESPONSES.put(name + "/" + s, counter("gong", "requests_" + name + "_" + s,
            "HTTP attempts to " + describe + " that ended with " + s));
      }
    });
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  // ---- pipeline: stages ----
  public static final PipelineMetric WINDOWS_LISTED =
      counter("pipeline", "windows_listed", "Time windows listed");
  public static final PipelineMetric CALLS_LISTED =
      counter("pipeline", "calls_listed", "Calls listed (the total a backfill works through)");
  public static final PipelineMetric CALLS_FETCHED =
      counter("pipeline", "calls_fetched", "Calls read with /v2/calls/extensive");
  public static final PipelineMetric TRANSCRIPTS_FETCHED =
      counter("pipeline", "transcripts_fetched", "Transcripts read");
  public static final PipelineMetric TRANSCRIPTS_MISSING =
      counter("pipeline", "transcripts_missing", "Calls dead-lettered because Gong sent no "
          + "transcript array for them (stored turns and chunks kept)");
  public static final PipelineMetric FETCH_BISECTIONS =
      counter("pipeline", "fetch_bisections", "Failed details/transcript requests split in halves "
          + "to isolate a poison call");
  public static final PipelineMetric CALLS_GIVEN_UP =
      counter("pipeline", "calls_given_up", "incremental: calls that failed --maxCallAttempts "
          + "runs and no longer hold the high-water mark (still in OPS_MONITORING.RETRY_QUEUE)");
  public static final PipelineMetric FETCH_BATCH_MS =
      distribution("pipeline", "fetch_batch_ms", "Milliseconds to fetch one batch of call ids");
  public static final PipelineMetric CALLS_PARSED =
      counter("pipeline", "calls_parsed", "Calls parsed into staging rows (calls done)");
  public static final PipelineMetric PARSE_WARNINGS =
      counter("pipeline", "parse_warnings", "Malformed or out-of-range fields stored NULL in "
          + "otherwise good calls (each logged with the field)");
  public static final PipelineMetric TRANSCRIPT_TURNS =
      counter("pipeline", "transcript_turns", "Transcript turns parsed");
  public static final PipelineMetric CALLS_WITHOUT_SPEECH =
      counter("pipeline", "calls_without_speech", "Calls with an empty transcript");
  public static final PipelineMetric CHUNKS_CREATED =
      counter("pipeline", "chunks_created", "Speaker chunks created");
  public static final PipelineMetric PII_REDACTIONS =
      counter("pipeline", "pii_redactions", "PII spans redacted from chunks");
  public static final PipelineMetric USERS_READ =
      counter("pipeline", "users_read", "Gong users read");
  public static final PipelineMetric NEWEST_CALL_START =
      gauge("pipeline", "newest_call_start_epoch_s",
          "Start (epoch seconds) of the newest call written to STG; freshness lag is now minus this");
  public static final PipelineMetric FRESHNESS_LAG_S =
      gauge("pipeline", "freshness_lag_s",
          "Seconds between the newest call start written to STG and the time it was written");

  // ---- call lifecycle: calls gone from Gong, versions out of order ----
  public static final PipelineMetric CALLS_DELETED =
      counter("pipeline", "calls_deleted",
          "Stored calls Gong no longer lists (private or deleted), removed from AI_MEMORY and STG");
  public static final PipelineMetric OLDER_VERSIONS_SKIPPED =
      counter("warehouse", "older_versions_skipped",
          "Child rows or deletes of a call skipped because a newer version of it is stored");

  // ---- pipeline: dead letters, one counter per stage (DeadLetter.stage() -> counter) ----
  public static final PipelineMetric DEAD_LETTERS =
      counter("pipeline", "dead_letters", "Dead letters routed to OPS_MONITORING.DEAD_LETTER");
  public static final PipelineMetric DEAD_LETTERS_UNWRITABLE =
      counter("pipeline", "dead_letters_unwritable", "Dead letters that could not be written");

  /** Dead-letter stage names to their counters, declared by {@link DeadLetterStage}. */
  private static final Map<String, PipelineMetric> DEAD_LETTERS_BY_STAGE = new LinkedHashMap<>();

  static {
    Map<String, PipelineMetric> byCounter = new LinkedHashMap<>();
    for (DeadLetterStage stage : DeadLetterStage.values()) {
      PipelineMetric m = byCounter.computeIfAbsent(stage.counterName(),
          name -> counter(DeadLetterStage.COUNTER_NAMESPACE, name, "Dead letters of stage(s) "
              + stagesCounting(name)));
      DEAD_LETTERS_BY_STAGE.put(stage.stageName(), m);
    }
  }

  private static String stagesCounting(String counterName) {
    StringBuilder sb = new StringBuilder();
    for (DeadLetterStage s : DeadLetterStage.values()) {
      if (s.counterName().equals(counterName)) {
        sb.append(sb.length() == 0 ? "" : ", ").append(s.stageName());
      }
    }
    return sb.toString();
  }

  // ---- enrich ----
  public static final PipelineMetric SUMMARIES_MADE =
      counter("enrich", "summaries_made", "Call summaries made (extractive or Cortex)");
  public static final PipelineMetric SUMMARIES_REUSED =
      counter("enrich", "summaries_reused", "Call summaries reused (inputs unchanged)");
  /** Mirrored: {@code summary_ms_sum}, {@code _count}, {@code _max}. */
  public static final PipelineMetric SUMMARY_MS =
      distribution("enrich", "summary_ms", "Milliseconds per call summary made");
  public static final PipelineMetric RISK_CHUNKS_CLASSIFIED =
      counter("enrich", "risk_chunks_classified", "Customer chunks classified for deal risks");
  public static final PipelineMetric RISK_CLASSIFIER_FAILURES =
      counter("enrich", "risk_classifier_failures",
          "Chunks the risk classifier could not read (the call's stored risks stay)");
  public static final PipelineMetric CHUNKS_EMBEDDED =
      counter("enrich", "chunks_embedded", "Chunks embedded (new or changed text)");
  public static final PipelineMetric CHUNKS_REUSED =
      counter("enrich", "chunks_reused", "Chunks whose stored embedding was reused");
  public static final PipelineMetric EMBEDDING_BATCHES =
      counter("enrich", "embedding_batches", "Embedding batches run");
  public static final PipelineMetric EMBEDDING_BATCH_SIZE =
      distribution("enrich", "embedding_batch_size", "Chunks per embedding batch");
  public static final PipelineMetric EMBEDDING_BATCH_MS =
      distribution("enrich", "embedding_batch_ms", "Milliseconds per embedding batch");
  public static final PipelineMetric SENTIMENT_BATCH_MS =
      distribution("enrich", "sentiment_batch_ms", "Milliseconds per sentiment batch");
  public static final PipelineMetric SENTIMENT_BATCH_SIZE =
      distribution("enrich", "sentiment_batch_size", "Transcript turns scored per call");
  public static final PipelineMetric SENTIMENT_TURNS_SCORED =
      counter("enrich", "sentiment_turns_scored", "Transcript turns scored");
  public static final PipelineMetric SENTIMENT_TURNS_REUSED =
      counter("enrich", "sentiment_turns_reused", "Transcript turns whose stored score was reused");

  // ---- warehouse ----
  public static final PipelineMetric MERGE_MS =
      distribution("warehouse", "merge_ms", "Milliseconds per MERGE batch");
  public static final PipelineMetric MERGE_RETRIES =
      counter("warehouse", "merge_retries", "MERGE batches re-merged row by row (a row was refused)");
  public static final PipelineMetric STALE_CHILDREN_DELETED =
      counter("warehouse", "stale_children_deleted", "Child rows of changed calls deleted");

  // The per-table row counters (rows_inserted_<TABLE>, ...) are declared by the warehouse layer,
  // which owns the table names, as a Contributor (see the end of this class).

  // ---- stream ----
  public static final PipelineMetric POLLS = counter("stream", "polls", "Gong polls");
  public static final PipelineMetric POLLS_CLOCK_NOT_ADVANCED =
      counter("stream", "polls_clock_not_advanced", "Polls skipped because the clock stood still");
  public static final PipelineMetric START_TIME_MISSING =
      counter("stream", "start_time_missing", "Calls without a start time (windowed at now)");
  public static final PipelineMetric DUPLICATES_DROPPED =
      counter("stream", "duplicates_dropped", "Re-polled calls dropped as unchanged");
  public static final PipelineMetric VERSIONS_CHANGED =
      counter("stream", "versions_changed", "Re-polled calls that changed");
  public static final PipelineMetric VERSIONS_SUPERSEDED =
      counter("stream", "versions_superseded", "Call versions superseded within a window");
  public static final PipelineMetric READ_POSITION =
      gauge("stream", "read_position_epoch_s", "The stream's read position (epoch seconds)");
  public static final PipelineMetric READ_POSITION_LAG_S =
      gauge("stream", "read_position_lag_s", "Seconds the read position was behind now when set");
  public static final PipelineMetric POLLS_RECENT =
      counter("stream", "polls_recent", "Polls that listed only the recent window");
  public static final PipelineMetric POLLS_SWEEP =
      counter("stream", "polls_sweep", "Polls that swept the whole lookback (--sweepInterval)");
  public static final PipelineMetric POLLS_DEEP_SWEEP =
      counter("stream", "polls_deep_sweep", "Polls that swept the deep lookback (daily)");
  public static final PipelineMetric POLLS_PAUSED_BUDGET =
      counter("stream", "polls_paused_budget",
          "Polls skipped because the daily Gong request budget is spent");
  public static final PipelineMetric BUDGET_PAUSED =
      gauge("stream", "budget_paused",
          "1 while the stream is paused on the daily Gong request budget, else 0");

  // ---- fetch planner (stream, incremental): why each listed call is or is not fetched ----
  public static final PipelineMetric FETCH_PLAN_NEW =
      counter("pipeline", "fetch_plan_new", "Listed calls fetched because they are new");
  public static final PipelineMetric FETCH_PLAN_NOT_STORED =
      counter("pipeline", "fetch_plan_not_stored",
          "Listed calls fetched because they are known but not stored yet");
  public static final PipelineMetric FETCH_PLAN_UNTRUSTED =
      counter("pipeline", "fetch_plan_untrusted",
          "Listed calls re-fetched because the run that last planned them did not succeed");
  public static final PipelineMetric FETCH_PLAN_DUE =
      counter("pipeline", "fetch_plan_due", "Listed calls re-fetched on the refetch schedule");
  public static final PipelineMetric FETCH_PLAN_NOT_DUE =
      counter("pipeline", "fetch_plan_not_due", "Listed calls not fetched (stored, not due)");
  public static final PipelineMetric FETCH_PLAN_IN_FLIGHT =
      counter("pipeline", "fetch_plan_in_flight",
          "Listed calls not fetched again: this job planned their fetch moments ago");

  // ---- cortex: Snowflake Cortex enrichment (REST embed client, SQL sentiment) ----
  public static final PipelineMetric CORTEX_REQUESTS =
      counter("cortex", "requests", "HTTP attempts to the Cortex embed API");
  private static final Map<String, PipelineMetric> CORTEX_RESPONSES = new LinkedHashMap<>();

  static {
    for (String s : STATUS_CLASSES) {
      CORTEX_RESPONSES.put(s, counter("cortex", "requests_" + s,
          "Cortex embed requests that ended with " + s));
    }
  }

  public static final PipelineMetric CORTEX_TEXTS =
      counter("cortex", "texts", "Texts embedded by Cortex");
  public static final PipelineMetric CORTEX_TOKENS =
      counter("cortex", "tokens", "Tokens Cortex reported (usage.total_tokens)");
  public static final PipelineMetric CORTEX_RETRIES =
      counter("cortex", "retries", "Cortex requests retried (429, 5xx, I/O errors)");
  public static final PipelineMetric CORTEX_THROTTLED =
      counter("cortex", "throttled_429", "Cortex responses with status 429");
  public static final PipelineMetric CORTEX_FAILURES =
      counter("cortex", "failures", "Cortex batches given up on or rejected");
  public static final PipelineMetric CORTEX_LATENCY_MS =
      distribution("cortex", "latency_ms", "Milliseconds per Cortex embed request");
  public static final PipelineMetric CORTEX_SENTIMENT_REQUESTS =
      counter("cortex", "sentiment_requests", "SNOWFLAKE.CORTEX.SENTIMENT statements sent");
  public static final PipelineMetric CORTEX_SENTIMENT_TEXTS =
      counter("cortex", "sentiment_texts", "Texts scored by SNOWFLAKE.CORTEX.SENTIMENT");
  public static final PipelineMetric CORTEX_SENTIMENT_RETRIES =
      counter("cortex", "sentiment_retries", "Cortex SENTIMENT statements retried (transient)");
  public static final PipelineMetric CORTEX_SENTIMENT_FAILURES =
      counter("cortex", "sentiment_failures", "Cortex SENTIMENT batches given up on");
  /** Mirrored: {@code sentiment_ms_sum}, {@code _count}, {@code _max}. */
  public static final PipelineMetric CORTEX_SENTIMENT_MS =
      distribution("cortex", "sentiment_ms", "Milliseconds per Cortex SENTIMENT batch");

  private MetricNames() {}

  /** Requests to one Gong endpoint, all statuses. */
  public static PipelineMetric gongRequests(MeteredEndpoint endpoint) {
    return known(REQUESTS.get(endpoint.metricName()), endpoint);
  }

  /** Requests to one Gong endpoint that ended in one status class (see {@link #statusClass}). */
  public static PipelineMetric gongResponses(MeteredEndpoint endpoint, int status) {
    return known(RESPONSES.get(endpoint.metricName() + "/" + statusClass(status)), endpoint);
  }

  private static PipelineMetric known(PipelineMetric m, MeteredEndpoint endpoint) {
    if (m == null) {
      throw new IllegalArgumentException("no metrics for endpoint " + endpoint.describe()
          + " (metric name '" + endpoint.metricName() + "'): add it to GONG_ENDPOINTS");
    }
    return m;
  }

  /** Cortex embed requests that ended in one status class (see {@link #statusClass}). */
  public static PipelineMetric cortexResponses(int status) {
    return CORTEX_RESPONSES.get(statusClass(status));
  }

  /** {@code 200}, {@code 429}, else {@code 2xx}/{@code 4xx}/{@code 5xx}; 0 (no response) → io_error. */
  public static String statusClass(int status) {
    if (status == 200 || status == 429) {
      return String.valueOf(status);
    }
    if (status <= 0) {
      return "io_error";
    }
    if (status >= 500) {
      return "5xx";
    }
    return status >= 400 ? "4xx" : "2xx";
  }

  public static List<PipelineMetric> gongRequestsByEndpoint() {
    return List.copyOf(REQUESTS.values());
  }

  /** The dead-letter counter of a stage; unknown stages have none. */
  public static Optional<PipelineMetric> deadLetters(String stage) {
    return Optional.ofNullable(DEAD_LETTERS_BY_STAGE.get(stage));
  }

  /** Stage name to dead-letter counter (the directory stages share one). */
  public static Map<String, PipelineMetric> deadLettersByStage() {
    return Collections.unmodifiableMap(DEAD_LETTERS_BY_STAGE);
  }

  /**
   * Declares metrics of a layer that owns their names (the warehouse's per-table row counters:
   * the table names live there), so that {@link #all()} and {@link #find} list them too without
   * this package depending on that layer. Found with {@link ServiceLoader} ({@code
   * META-INF/services}) when this class is initialised.
   */
  public interface Contributor {
    /** Declares its metrics with {@link #declareCounter}. */
    void declareMetrics();
  }

  /**
   * Declares a counter of a layer that owns its names (the warehouse's per-table row counters),
   * so that it is typed and documented like the constants above; idempotent.
   */
  public static PipelineMetric declareCounter(String namespace, String name, String help) {
    if (!NAMESPACES.contains(namespace)) {
      throw new IllegalArgumentException("unknown metric namespace " + namespace);
    }
    return counter(namespace, name, help);
  }

  /** Every metric, distributions and their mirrors included. */
  public static List<PipelineMetric> all() {
    synchronized (ALL) {
      return new ArrayList<>(ALL.values());
    }
  }

  /** The metric with this namespace and name, if the pipeline emits it. */
  public static Optional<PipelineMetric> find(String namespace, String name) {
    synchronized (ALL) {
      return Optional.ofNullable(ALL.get(namespace + ":" + name));
    }
  }

  /** The mirror counter {@code X_sum} of a distribution. */
  public static PipelineMetric sumOf(PipelineMetric distribution) {
    return ALL.get(distribution.key() + "_sum");
  }

  /** The mirror counter {@code X_count} of a distribution. */
  public static PipelineMetric countOf(PipelineMetric distribution) {
    return ALL.get(distribution.key() + "_count");
  }

  /** The mirror gauge {@code X_max} of a distribution. */
  public static PipelineMetric maxOf(PipelineMetric distribution) {
    return ALL.get(distribution.key() + "_max");
  }

  private static PipelineMetric counter(String ns, String name, String help) {
    return add(new PipelineMetric(ns, name, Kind.COUNTER, help));
  }

  private static PipelineMetric gauge(String ns, String name, String help) {
    return add(new PipelineMetric(ns, name, Kind.GAUGE, help));
  }

  private static PipelineMetric distribution(String ns, String name, String help) {
    PipelineMetric d = add(new PipelineMetric(ns, name, Kind.DISTRIBUTION, help));
    add(new PipelineMetric(ns, name + "_sum", Kind.COUNTER, help + " (sum)"));
    add(new PipelineMetric(ns, name + "_count", Kind.COUNTER, help + " (count)"));
    add(new PipelineMetric(ns, name + "_max", Kind.GAUGE, help + " (max)"));
    return d;
  }

  private static PipelineMetric add(PipelineMetric m) {
    synchronized (ALL) {
      PipelineMetric previous = ALL.putIfAbsent(m.key(), m);
      return previous != null ? previous : m;
    }
  }

  static {
    for (Contributor c : ServiceLoader.load(Contributor.class, MetricNames.class.getClassLoader())) {
      c.declareMetrics();
    }
  }
}
