package com.gongpipeline.snowflake.sim;

import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One {@code query-request} as {@link SnowflakeStandIn} saw and handled it, for tests.
 *
 * @param sessionId the stand-in session it ran in
 * @param sql the Snowflake SQL text exactly as the driver sent it
 * @param duckDbSql what ran on DuckDB, or null when nothing ran (no-op, describe, fault)
 * @param bindings bind values by position (1-based key order): a value is a string (or null) for a
 *     single execution and a list of strings per row for an array binding
 * @param describeOnly whether this was the driver's describe (prepare) request
 * @param outcome what the stand-in did
 * @param detail the no-op reason, the error message or the injected fault; null otherwise
 * @param rowCount rows returned by a query or changed by DML; -1 otherwise
 */
public record RecordedStatement(
    String sessionId,
    String sql,
    @Nullable String duckDbSql,
    Map<String, @Nullable Object> bindings,
    boolean describeOnly,
    Outcome outcome,
    @Nullable String detail,
    long rowCount) {

  public enum Outcome { EXECUTED, DESCRIBED, NO_OP, FAILED, FAULT }

  /** Rows of an array binding ({@code executeBatch} of an INSERT), or 1 for a plain execution. */
  public int batchRows() {
    for (Object v : bindings.values()) {
      if (v instanceof List<?> l) {
        return l.size();
      }
    }
    return 1;
  }

  @Override
  public String toString() {
    // bind values may be personal data: never printed
    return "RecordedStatement[" + outcome + (describeOnly ? " describe" : "") + ", sql=" + sql
        + ", binds=" + bindings.size() + "x" + batchRows() + ", rows=" + rowCount
        + (detail == null ? "" : ", " + detail) + "]";
  }
}
