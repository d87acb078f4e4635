package com.gongpipeline.snowflake.sim;

import java.util.List;
import java.util.Map;

/**
 * Counters of what a {@link SnowflakeStandIn} has served so far.
 *
 * @param requestsByPath requests per path (e.g. {@code /queries/v1/query-request}), unknown ones
 *     included
 * @param logins successful logins
 * @param refusedLogins logins refused (bad secret, bad JWT)
 * @param queries executed query requests (describe requests excluded)
 * @param describes describe (prepare) requests
 * @param retriedRequests requests the driver marked as retries ({@code retryCount > 0})
 * @param faultsServed injected faults answered
 * @param renewals session renewals ({@code /session/token-request})
 * @param unknownPaths method and path of every request the stand-in does not implement
 */
public record StandInStats(
    Map<String, Long> requestsByPath,
    long logins,
    long refusedLogins,
    long queries,
    long describes,
    long retriedRequests,
    long faultsServed,
    long renewals,
    List<String> unknownPaths) {

  public long requests(String path) {
    return requestsByPath.getOrDefault(path, 0L);
  }
}
