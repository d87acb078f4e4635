package com.gongpipeline.warehouse;

/**
 * A warehouse operation failed in the database (connection, SQL, or a conflict that persisted
 * after retries). Unchecked so that Beam DoFns and the CLI can let it propagate; the cause holds
 * the driver's exception.
 */
public class WarehouseException extends RuntimeException {
  public WarehouseException(String message, Throwable cause) {
    super(message, cause);
  }
}
