package com.gongpipeline.gong.sim;

import java.util.Map;

/**
 * A snapshot of what the simulator has served on {@code /v2} (the {@code /sim} endpoints are not
 * counted). Request keys are {@code "<route> <status>"}, e.g. {@code "GET /v2/calls 200"} or
 * {@code "POST /v2/calls/transcript 429"}; a connection reset is counted with status 0. Routes are
 * {@code GET /v2/calls}, {@code GET /v2/calls/{id}}, {@code POST /v2/calls/extensive},
 * {@code POST /v2/calls/transcript}, {@code GET /v2/users}, {@code GET /v2/workspaces}, and
 * {@code <METHOD> /v2/*} for anything else.
 *
 * @param totalRequests every {@code /v2} request answered (or reset)
 * @param requests count per route and status
 * @param tooManyRequests 429s served (rate limit, daily quota and injected ones)
 * @param rateLimited 429s the per-second rate limit sent: caused by the client's own pace
 * @param quotaExhausted 429s sent because the day's quota was spent (Retry-After to the day's end)
 * @param faultsInjected total faults injected
 * @param faults count per fault kind (CONNECTION_RESET, SERVER_ERROR, …, SLOW_RESPONSE)
 */
public record SimulatorStats(
    long totalRequests,
    Map<String, Long> requests,
    long tooManyRequests,
    long rateLimited,
    long quotaExhausted,
    long faultsInjected,
    Map<String, Long> faults) {

  /** Requests to {@code route} answered with {@code status}. */
  public long requests(String route, int status) {
    return requests.getOrDefault(route + " " + status, 0L);
  }

  /** Requests to {@code route}, any status. */
  public long requestsTo(String route) {
    String prefix = route + " ";
    return requests.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)
            && e.getKey().substring(prefix.length()).chars().allMatch(Character::isDigit))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** How often a fault kind was injected (names as in {@link #faults()}). */
  public long faults(String kind) {
    return faults.getOrDefault(kind, 0L);
  }
}
