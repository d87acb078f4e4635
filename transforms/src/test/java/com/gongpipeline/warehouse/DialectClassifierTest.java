package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.errors.FailureKind;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Each dialect's classifier: what the warehouse's RetryPolicy retries, and what it never does. */
class DialectClassifierTest {
  private final DuckDbDialect duck = new DuckDbDialect();
  private final SnowflakeDialect snow = new SnowflakeDialect();

  private static FailureKind kind(SqlDialect d, Throwable e) {
    return d.classify(e).kind();
  }

  @Test
  void duckDb_writeConflictsAreRetryable() {
    assertThat(kind(duck, new SQLException("TransactionContext Error: Conflict on update!")),
        is(FailureKind.RETRYABLE));
    assertThat(kind(duck, new SQLException("Catalog write-write conflict on create")),
        is(FailureKind.RETRYABLE));
  }

  @Test
  void duckDb_constraintTypeAndJsonErrorsArePermanent() {
    assertThat(kind(duck, new SQLException(
        "Constraint Error: NOT NULL constraint failed: STG_GONG_CALLS.JOB_ID")),
        is(FailureKind.PERMANENT));
    assertThat(kind(duck, new SQLException("Conversion Error: Could not convert string 'x'")),
        is(FailureKind.PERMANENT));
    assertThat(kind(duck, new SQLException("Invalid Input Error: Malformed JSON")),
        is(FailureKind.PERMANENT));
    assertThat(kind(duck, WarehouseException.invalidRow("KEY_POINTS is not valid JSON")),
        is(FailureKind.PERMANENT));
  }

  @Test
  void duckDb_missingSchemaOrUnreadableFileIsFatalConfig() {
    assertThat(kind(duck, new SQLException(
        "Catalog Error: Table with name STG_GONG_CALLS does not exist!")),
        is(FailureKind.FATAL_CONFIG));
    assertThat(kind(duck, new SQLException("IO Error: Cannot open file \"/x\"")),
        is(FailureKind.FATAL_CONFIG));
  }

  @Test
  void snowflake_transientErrorsAreRetryable() {
    assertThat(kind(snow, new SQLTransientConnectionException("reset", "08006")),
        is(FailureKind.RETRYABLE));
    assertThat(kind(snow, new SQLException("too many waiters", "57014", 625)),
        is(FailureKind.RETRYABLE));
  }

  @Test
  void snowflake_authAndUnknownObjectsAreFatalConfig() {
    assertThat(kind(snow, new SQLException("Incorrect username or password", "28000", 390100)),
        is(FailureKind.FATAL_CONFIG));
    assertThat(kind(snow, new SQLException("JWT token is invalid", "08004", 390144)),
        is(FailureKind.RETRYABLE)); // a 08xxx state is a connection failure first
    assertThat(kind(snow, new SQLException("JWT token is invalid", null, 390144)),
        is(FailureKind.FATAL_CONFIG));
    assertThat(kind(snow, new SQLException("Object does not exist or not authorized", "02000",
        2003)), is(FailureKind.FATAL_CONFIG));
    assertThat(kind(snow, new SQLException("No suitable driver found for jdbc:snowflak:")),
        is(FailureKind.FATAL_CONFIG));
  }

  @Test
  void snowflake_dataErrorsArePermanent() {
    assertThat(kind(snow, new SQLException("Numeric value 'x' is not recognized", "22018", 100038)),
        is(FailureKind.PERMANENT));
    assertThat(kind(snow, new SQLException("timeout", "57014", 630)), is(FailureKind.PERMANENT));
  }

  @Test
  void anythingElseIsNotRetried() {
    assertThat(kind(duck, new IllegalStateException("bug")), is(FailureKind.PERMANENT));
    assertThat(kind(snow, new IllegalArgumentException("bad argument")), is(FailureKind.PERMANENT));
  }
}
