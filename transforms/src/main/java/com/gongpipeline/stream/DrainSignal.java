package com.gongpipeline.stream;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request, within this JVM, that {@link PollGongWindows} stop polling so the pipeline drains:
 * windows fire, write buffers flush, and the job ends by itself with everything written. Used on
 * SIGTERM by runners whose workers share the launcher's JVM (DirectRunner, Flink local); on a
 * cluster, stop the job with the runner's own drain (e.g. Flink stop-with-savepoint).
 */
public final class DrainSignal {
  private static final AtomicBoolean REQUESTED = new AtomicBoolean();

  private DrainSignal() {}

  public static void request() {
    REQUESTED.set(true);
  }

  public static boolean requested() {
    return REQUESTED.get();
  }

  /** For a new job in the same JVM (tests, the demo). */
  public static void reset() {
    REQUESTED.set(false);
  }
}
