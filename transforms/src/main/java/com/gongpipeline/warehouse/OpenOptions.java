package com.gongpipeline.warehouse;

import java.io.Serializable;
import java.time.Duration;

/**
 * How {@link Warehouse#open(String, OpenOptions)} opens a database file that other processes may
 * share (e.g. a long-running pipeline and the {@code search} CLI on one DuckDB file, which DuckDB
 * lets only one process open at a time).
 *
 * @param lockWait how long opening keeps retrying (short backoff) while another process holds the
 *     file's lock before failing with a message naming the file and the other process. Zero fails
 *     at once. Default {@value #DEFAULT_LOCK_WAIT_SECONDS} s, or the system property {@value
 *     #LOCK_WAIT_PROPERTY} (milliseconds).
 * @param keepOpenWhenIdle false (the default): the database instance, and with it the file lock,
 *     is closed as soon as the last {@link Warehouse} on it in this JVM closes, so another process
 *     can open the file in between. True: this JVM keeps the database open after its last
 *     warehouse closes (cheaper re-opens, e.g. when DoFn instances come and go), holding the file
 *     lock until the JVM exits; if any opener of a database asks for this, it sticks.
 */
public record OpenOptions(Duration lockWait, boolean keepOpenWhenIdle) implements Serializable {

  /** System property with the default lock wait in milliseconds. */
  public static final String LOCK_WAIT_PROPERTY = "gongpipeline.warehouse.lockWaitMillis";

  static final long DEFAULT_LOCK_WAIT_SECONDS = 30;

  public OpenOptions {
    if (lockWait == null || lockWait.isNegative()) {
      throw new IllegalArgumentException("lockWait must be zero or positive: " + lockWait);
    }
  }

  /** The defaults: lock wait from {@value #LOCK_WAIT_PROPERTY} or 30 s; close when idle. */
  public static OpenOptions defaults() {
    Duration wait = Duration.ofSeconds(DEFAULT_LOCK_WAIT_SECONDS);
    String prop = System.getProperty(LOCK_WAIT_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      try {
        wait = Duration.ofMillis(Long.parseLong(prop.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            LOCK_WAIT_PROPERTY + " must be a number of milliseconds, got " + prop, e);
      }
    }
    return new OpenOptions(wait, false);
  }

  public OpenOptions withLockWait(Duration wait) {
    return new OpenOptions(wait, keepOpenWhenIdle);
  }

  public OpenOptions withKeepOpenWhenIdle(boolean keep) {
    return new OpenOptions(lockWait, keep);
  }
}
