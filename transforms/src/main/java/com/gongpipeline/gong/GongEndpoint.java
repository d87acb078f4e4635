package com.gongpipeline.gong;

import com.gongpipeline.metrics.MeteredEndpoint;
import com.gongpipeline.metrics.MetricNames;

/**
 * The Gong API v2 endpoints this client calls, with the JSON array each response carries and the
 * field that identifies an item (used to de-duplicate across a cursor-expiry restart). Metric names
 * come from the catalogue ({@link MetricNames#GONG_ENDPOINTS}), which knows no Gong type.
 */
public enum GongEndpoint implements MeteredEndpoint {
  /** {@code GET /v2/calls}: {@code calls[]} of CallBasicData, id at {@code id}. */
  CALLS("GET", "/v2/calls", MetricNames.GONG_CALLS, "calls", "id"),
  /** {@code POST /v2/calls/extensive}: {@code calls[]} of CallData, id at {@code metaData.id}. */
  CALLS_EXTENSIVE("POST", "/v2/calls/extensive", MetricNames.GONG_CALLS_EXTENSIVE, "calls", "metaData.id"),
  /** {@code POST /v2/calls/transcript}: {@code callTranscripts[]}, id at {@code callId}. */
  CALLS_TRANSCRIPT("POST", "/v2/calls/transcript", MetricNames.GONG_CALLS_TRANSCRIPT, "callTranscripts", "callId"),
  /** {@code GET /v2/users}: {@code users[]}, id at {@code id}. */
  USERS("GET", "/v2/users", MetricNames.GONG_USERS, "users", "id"),
  /** {@code GET /v2/workspaces}: {@code workspaces[]} (not paginated), id at {@code id}. */
  WORKSPACES("GET", "/v2/workspaces", MetricNames.GONG_WORKSPACES, "workspaces", "id");

  private final String method;
  private final String path;
  private final String metricName;
  private final String itemsField;
  private final String idPath;

  GongEndpoint(String method, String path, String metricName, String itemsField, String idPath) {
    this.method = method;
    this.path = path;
    this.metricName = metricName;
    this.itemsField = itemsField;
    this.idPath = idPath;
  }

  /** HTTP method, {@code GET} or {@code POST}. */
  public String method() {
    return method;
  }

  /** Path below the tenant base URL, e.g. {@code /v2/calls/extensive}. */
  public String path() {
    return path;
  }

  /** Short name used in metric names ({@code requests_<metricName>}) and stats keys. */
  @Override
  public String metricName() {
    return metricName;
  }

  /** Top-level response field holding the page's items. */
  public String itemsField() {
    return itemsField;
  }

  /** Dot path of the item id inside one item. */
  public String idPath() {
    return idPath;
  }

  /** {@code "POST /v2/calls/extensive"}: how errors name the endpoint (never with a query). */
  @Override
  public String describe() {
    return method + " " + path;
  }
}
