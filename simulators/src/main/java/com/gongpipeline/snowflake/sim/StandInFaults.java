package com.gongpipeline.snowflake.sim;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Faults the next {@code query-request}s will meet, in the order they were queued; thread-safe.
 * Describe (prepare) requests are query requests too. Used to test the retry paths:
 *
 * <ul>
 *   <li>{@link #httpStatus(int, int)}: answer with a bare HTTP status (e.g. 503); the driver
 *       retries these itself with back-off (1 s minimum per retry).
 *   <li>{@link #snowflakeError(int, String, String)}: answer HTTP 200 with {@code success=false}
 *       and a Snowflake code, e.g. {@code 390112} (session expired: the driver renews the session
 *       with its master token and re-sends the statement) or {@code 000630} (statement timeout:
 *       surfaces as an {@code SQLException} with that code).
 *   <li>{@link #slowStatement(Duration)}: the next statement runs this long; when the request
 *       carries a {@code STATEMENT_TIMEOUT_IN_SECONDS} below that (what the driver sends for
 *       {@code Statement.setQueryTimeout} with {@code IMPLICIT_SERVER_SIDE_QUERY_TIMEOUT=true}), it is
 *       cancelled at once with Snowflake's {@code 000630}, as Snowflake does at the timeout.
 * </ul>
 */
public final class StandInFaults {

  /** One queued fault. {@code httpStatus} 200 means a Snowflake error body. */
  record Fault(int httpStatus, int code, String sqlState, String message,
      java.time.@org.checkerframework.checker.nullness.qual.Nullable Duration runsFor) {
    Fault(int httpStatus, int code, String sqlState, String message) {
      this(httpStatus, code, sqlState, message, null);
    }

    String describe() {
      return runsFor != null ? "slow statement " + runsFor
          : httpStatus != 200 ? "HTTP " + httpStatus : "Snowflake error " + code;
    }
  }

  private final Deque<Fault> queue = new ArrayDeque<>();

  /** The next {@code times} query requests get HTTP {@code status} and an empty body. */
  public synchronized StandInFaults httpStatus(int status, int times) {
    if (status == 200) {
      throw new IllegalArgumentException("200 is not a fault");
    }
    for (int i = 0; i < times; i++) {
      queue.add(new Fault(status, 0, "", ""));
    }
    return this;
  }

  /** The next query request gets a Snowflake error {@code code} with this SQL state and message. */
  public synchronized StandInFaults snowflakeError(int code, String sqlState, String message) {
    queue.add(new Fault(200, code, sqlState, message));
    return this;
  }

  /** The next query request is a statement that runs {@code runsFor} (see the class doc). */
  public synchronized StandInFaults slowStatement(java.time.Duration runsFor) {
    queue.add(new Fault(200, 630, "57014", "", runsFor));
    return this;
  }

  /** The next query request finds its session expired (390112); the driver renews and retries. */
  public StandInFaults sessionExpired() {
    return snowflakeError(390112, "08001", "Session token has expired.");
  }

  public synchronized int pending() {
    return queue.size();
  }

  public synchronized void clear() {
    queue.clear();
  }

  synchronized Optional<Fault> next() {
    return Optional.ofNullable(queue.poll());
  }
}
