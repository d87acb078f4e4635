package com.gongpipeline.pipeline.options;

import org.apache.beam.sdk.options.Description;

/** Every option of the Gong pipeline's commands; each interface documents its own part. */
public interface GongPipelineOptions
    extends GongSourceOptions, WarehouseOptions, EnrichmentOptions, SnowflakeOptions,
    OutputOptions {

  @Description("Start of the backfill window, inclusive (ISO-8601 instant or date, e.g. "
      + "2026-01-01 or 2026-01-01T00:00:00Z). For incremental: where a first run with no stored "
      + "high-water mark starts.")
  String getFrom();

  void setFrom(String value);

  @Description("End of the backfill window, exclusive (ISO-8601 instant or date). Default: now.")
  String getTo();

  void setTo(String value);

  @Description("backfill: about how many calls each slice reads. A backfill runs slice after "
      + "slice (each its own bounded pipeline, so memory stays flat however long the window), "
      + "records each finished slice in OPS_MONITORING.SYNC_STATE ('backfill <from>/<to>') and, "
      + "re-run after a kill, failure or PAUSED_QUOTA, resumes after the last finished slice. "
      + "Slices are time ranges sized from the calls the previous slice listed (the first is one "
      + "--listWindow, so a dense tenant wants a shorter --listWindow). On the DirectRunner a "
      + "slice's working set is about 0.65 MB of heap per call (bench --scale).")
  @org.apache.beam.sdk.options.Default.Integer(500)
  Integer getBackfillSliceCalls();

  void setBackfillSliceCalls(Integer value);

  @Description("backfill: re-read the whole window even if an earlier run of it left finished "
      + "slices behind. (A window whose backfill completed is always re-read whole: a "
      + "reconciliation.)")
  @org.apache.beam.sdk.options.Default.Boolean(false)
  Boolean getRestart();

  void setRestart(Boolean value);

  @Description("Id of this run in OPS_MONITORING.ETL_JOB_LOGS and every row it writes. "
      + "Default: <command>-<UTC timestamp>-<random>.")
  String getJobId();

  void setJobId(String value);

  @Description("incremental, stream: how far back the hourly sweep (--sweepInterval) re-lists, "
      + "because Gong makes calls visible minutes to hours after they start (ISO-8601 duration).")
  @org.apache.beam.sdk.options.Default.String("P3D")
  String getLookback();

  void setLookback(String value);

  @Description("incremental, backfill, stream: a call that could not be fetched is kept in "
      + "OPS_MONITORING.RETRY_QUEUE and fetched again by later runs (stream: later polls); in "
      + "incremental it holds the high-water mark until it has failed this many times, then it "
      + "stops holding it (it stays queued, retried at most daily, and is counted as given up in "
      + "ETL_JOB_LOGS and pipeline:calls_given_up).")
  @org.apache.beam.sdk.options.Default.Integer(5)
  Integer getMaxCallAttempts();

  void setMaxCallAttempts(Integer value);

  @Description("incremental, backfill: extra call ids to fetch this run besides the listed and "
      + "queued ones (comma-separated), e.g. to force a queued call now.")
  String getRetryCallIds();

  void setRetryCallIds(String value);

  @Description("incremental: longest window one run reads (ISO-8601 duration). When the mark is "
      + "further behind, the run reads [mark - lookback, mark - lookback + this) and advances the "
      + "mark to its end only, so a stuck mark catches up in slices instead of growing one "
      + "unbounded window.")
  @org.apache.beam.sdk.options.Default.String("P30D")
  String getMaxIncrementalWindow();

  void setMaxIncrementalWindow(String value);

  @Description("Name of the sync whose high-water mark and lease live in OPS_MONITORING.")
  @org.apache.beam.sdk.options.Default.String("gong_calls")
  String getSyncName();

  void setSyncName(String value);

  @Description("incremental/stream: how long the sync's lease is valid without renewal "
      + "(ISO-8601 duration). The launcher renews it every third of this (20 s by default), so a "
      + "killed run blocks the next one for at most this long; a run that cannot renew it for "
      + "this long, or finds it taken over, is cancelled and advances nothing.")
  @org.apache.beam.sdk.options.Default.String("PT60S")
  String getLeaseTtl();

  void setLeaseTtl(String value);

  @Description("stream: how often Gong is polled (ISO-8601 duration). A poll lists only the recent "
      + "window (--recentWindow) and fetches only new, unstored or due calls, so it is cheap.")
  @org.apache.beam.sdk.options.Default.String("PT5M")
  String getPollInterval();

  void setPollInterval(String value);

  @Description("stream, incremental: each poll/run lists calls started this long before the "
      + "previous listing's end (ISO-8601 duration; capped at --lookback).")
  @org.apache.beam.sdk.options.Default.String("PT2H")
  String getRecentWindow();

  void setRecentWindow(String value);

  @Description("stream, incremental: the first poll/run after each multiple of this interval "
      + "(epoch-aligned, e.g. every full hour) lists the whole --lookback (ISO-8601 duration).")
  @org.apache.beam.sdk.options.Default.String("PT1H")
  String getSweepInterval();

  void setSweepInterval(String value);

  @Description("stream, incremental: the first poll/run of each UTC day lists this far back, for "
      + "calls Gong took longer than --lookback to show (ISO-8601 duration; at least --lookback).")
  @org.apache.beam.sdk.options.Default.String("P7D")
  String getDeepSweepLookback();

  void setDeepSweepLookback(String value);

  @Description("stream, incremental: when a stored call's details and transcript are fetched "
      + "again, after it was first seen (ISO-8601 durations, comma-separated; empty = never), so "
      + "edits and late transcripts arrive. Tracked in OPS_MONITORING.CALL_FETCH_SCHEDULE.")
  @org.apache.beam.sdk.options.Default.String("PT1H,PT6H,PT24H,PT72H")
  String getRefetchSchedule();

  void setRefetchSchedule(String value);

  @Description("stream: stop polling after this long (ISO-8601 duration); unset = run until "
      + "stopped (SIGTERM stops cleanly).")
  String getRunFor();

  void setRunFor(String value);

  @Description("stream: size of the event-time windows (by call start) in which re-polled calls "
      + "are de-duplicated by content (ISO-8601 duration).")
  @org.apache.beam.sdk.options.Default.String("PT1H")
  String getDedupWindow();

  void setDedupWindow(String value);

  @Description("stream: a window's calls are emitted this long after the first one arrives, "
      + "before the window closes (ISO-8601 duration).")
  @org.apache.beam.sdk.options.Default.String("PT5S")
  String getEarlyFiringDelay();

  void setEarlyFiringDelay(String value);

  @Description("Print progress (calls, chunks, rate, ETA) every this many seconds; 0 = off.")
  @org.apache.beam.sdk.options.Default.Integer(5)
  Integer getProgressSeconds();

  void setProgressSeconds(Integer value);

  @Description("Serve the job's metrics while it runs on this port: /metrics (Prometheus text "
      + "format), / (live status page), /status.json. 0 = off. DirectRunner (the CLI's JVM); on "
      + "Flink use the Flink Prometheus reporter. Conventional port: 9464.")
  @org.apache.beam.sdk.options.Default.Integer(0)
  Integer getMetricsPort();

  void setMetricsPort(Integer value);

  @Description("What OPS_MONITORING.DEAD_LETTER keeps of a failed record's payload: redacted "
      + "(default: names, emails, phone numbers and other PII masked, ids, timestamps, numbers and "
      + "structure kept) or full (the verbatim call JSON / row / chunk, for replaying by hand; the "
      + "table then needs RAW's grants). Call id, stage, kind and error are always kept.")
  @org.apache.beam.sdk.options.Default.String("redacted")
  String getDeadLetterPayload();

  void setDeadLetterPayload(String value);

  @Description("With --metricsPort: the address to listen on. Default 127.0.0.1 (this machine "
      + "only); 0.0.0.0 serves every interface (e.g. for a Prometheus on another host): the "
      + "endpoint has no authentication, so widen it only behind a firewall.")
  @org.apache.beam.sdk.options.Default.String("127.0.0.1")
  String getMetricsBind();

  void setMetricsBind(String value);

  @Description("With --metricsPort: keep serving the final metrics this many seconds after the job "
      + "ends, so that Prometheus scrapes the last values of a short batch run.")
  @org.apache.beam.sdk.options.Default.Integer(0)
  Integer getMetricsLingerSeconds();

  void setMetricsLingerSeconds(Integer value);
}
