package com.gongpipeline.gong;

import java.io.Serializable;

/**
 * How many Gong requests the pipeline may still send today: {@link HttpGongClient} asks it before
 * every HTTP execution (retries and attempts that end in a 429 included), so every request sent is
 * counted and none is sent beyond the budget. The production implementation is a ledger in the
 * warehouse ({@code OPS_MONITORING.GONG_API_USAGE}, see {@code transforms.GongUsageLedger}) shared
 * by every run, process and worker; this package knows only the interface.
 *
 * <p>When {@link #tryAcquire} refuses, the client fails the request with {@link
 * GongApiException.Kind#BUDGET_EXHAUSTED} ({@link com.gongpipeline.errors.FailureKind#RATE_LIMITED}
 * with a Retry-After to the next UTC midnight), which the retry loop waits out only if that is
 * within {@code maxRetryAfter}; otherwise the job stops fetching and pauses on the budget.
 */
public interface GongRequestBudget extends AutoCloseable {
  /** Unlimited: counts nothing, refuses nothing. */
  GongRequestBudget UNLIMITED = new GongRequestBudget() {
    @Override
    public boolean tryAcquire(GongEndpoint endpoint) {
      return true;
    }

    @Override
    public void close() {}
  };

  /**
   * Takes one request to {@code endpoint} from today's budget, counting it as sent; false (and
   * nothing counted) when the budget is spent. Thread-safe.
   */
  boolean tryAcquire(GongEndpoint endpoint);

  /** Settles the count (e.g. gives back what was reserved but not sent); idempotent. */
  @Override
  void close();

  /** Where a client on a worker gets its budget: serialized with the client factory. */
  @FunctionalInterface
  interface Factory extends Serializable {
    GongRequestBudget create();
  }
}
