package com.gongpipeline.warehouse;

import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A warehouse operation failed, with the {@link FailureKind} that tells callers what to do:
 * {@link FailureKind#RETRYABLE} for a database failure that persisted through the warehouse's own
 * retries (connection, write conflict), {@link FailureKind#PERMANENT} for a row that can never be
 * written (unknown column, wrong value type, invalid JSON, a constraint it breaks: dead-letter it,
 * retrying cannot help), {@link FailureKind#FATAL_CONFIG} when nothing will work until an operator
 * acts (credentials, a missing schema). Unchecked so that Beam DoFns and the CLI can let it
 * propagate; the cause holds the driver's exception.
 */
public class WarehouseException extends PipelineException {
  private static final long serialVersionUID = 1L;

  /** A database failure of unknown kind: {@link FailureKind#RETRYABLE}. */
  public WarehouseException(String message, @Nullable Throwable cause) {
    this(FailureKind.RETRYABLE, message, cause, 1);
  }

  public WarehouseException(FailureKind kind, String message, @Nullable Throwable cause) {
    this(kind, message, cause, 1);
  }

  public WarehouseException(FailureKind kind, String message, @Nullable Throwable cause,
      int attempts) {
    super(kind, message, cause, attempts, null);
  }

  /** A row that can never be written as it is ({@link FailureKind#PERMANENT}). */
  public static WarehouseException invalidRow(String message) {
    return new WarehouseException(FailureKind.PERMANENT, message, null);
  }
}
