package com.gongpipeline.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where and how to read Gong. Credentials never travel in options: see {@code GongCredentials}. */
public interface GongSourceOptions extends PipelineOptions {
  @Description(
      "Your tenant's Gong API base URL, e.g. https://us-12345.api.gong.io (required; the generic "
          + "api.gong.io answers 401 for many tenants). Credentials come from GONG_ACCESS_KEY and "
          + "GONG_ACCESS_KEY_SECRET, or from --gongCredentialsFile.")
  String getGongBaseUrl();

  void setGongBaseUrl(String value);

  @Description(
      "Optional properties file with accessKey=… and accessKeySecret=… (instead of the "
          + "GONG_ACCESS_KEY / GONG_ACCESS_KEY_SECRET environment variables).")
  String getGongCredentialsFile();

  void setGongCredentialsFile(String value);

  @Description("Client-side request budget per JVM (Gong allows 3 requests/s per company).")
  @Default.Double(2.5)
  Double getGongRequestsPerSecond();

  void setGongRequestsPerSecond(Double value);

  @Description("Most Gong requests this pipeline sends per UTC day across all its jobs, counted in "
      + "OPS_MONITORING.GONG_API_USAGE (retries and 429s included). Gong allows 10,000 per "
      + "company by default, shared with the customer's other integrations. When it is spent the "
      + "job stops fetching, writes what it fetched, logs PAUSED_QUOTA and exits with code 4.")
  @Default.Long(8000)
  Long getGongDailyRequestBudget();

  void setGongDailyRequestBudget(Long value);

  @Description("Call ids per details/transcript request (Gong takes at most 100). Ids are batched "
      + "across sub-windows; fewer per request means more, smaller requests.")
  @Default.Integer(100)
  Integer getGongMaxCallIdsPerRequest();

  void setGongMaxCallIdsPerRequest(Integer value);

  @Description("Longest Gong Retry-After a request waits out (ISO-8601, at most PT5M so no wait "
      + "outlasts a Flink checkpoint); a longer one (the daily quota) is a quota pause: the run "
      + "stops fetching and ends PAUSED_QUOTA instead of sleeping. All waiting of one request "
      + "is capped at 5 minutes as well.")
  @Default.String("PT5M")
  String getGongMaxRetryAfter();

  void setGongMaxRetryAfter(String value);

  @Description("Attempts per Gong request before it counts as failed (429, 5xx, timeouts, resets).")
  @Default.Integer(8)
  Integer getGongMaxAttempts();

  void setGongMaxAttempts(Integer value);

  @Description("Most bytes one Gong response body may have (default 64 MiB). A bigger body is not "
      + "read further: its request fails with kind BODY_TOO_LARGE and its window or call ids are "
      + "dead-lettered, instead of the worker running out of memory.")
  @Default.Long(64L * 1024 * 1024)
  Long getGongMaxResponseBytes();

  void setGongMaxResponseBytes(Long value);

  @Description("Keep calls marked private in Gong (excluded by default).")
  @Default.Boolean(false)
  Boolean getIncludePrivateCalls();

  void setIncludePrivateCalls(Boolean value);

  @Description("Remove stored calls that Gong no longer lists (made private, or deleted) when their "
      + "window was listed completely: their AI_MEMORY chunks and STG turns are deleted and "
      + "STG_GONG_CALLS flags them IS_DELETED. A window with a list failure or quota pause "
      + "deletes nothing.")
  @Default.Boolean(true)
  Boolean getSyncDeletedCalls();

  void setSyncDeletedCalls(Boolean value);

  @Description("Size of the sub-windows a date range is split into for parallel listing (ISO-8601).")
  @Default.String("P1D")
  String getListWindow();

  void setListWindow(String value);
}
