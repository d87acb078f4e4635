package com.gongpipeline.gong.sim;

import java.util.Random;

/**
 * Decides, per {@code /v2} request that passed auth and rate limiting, which fault (if any) to
 * inject. Draws from one seeded {@link Random}, a fixed number of draws per request, so a single
 * client sees a reproducible fault sequence. A knob at rate 0 never fires; at 1.0 it fires on every
 * eligible request. When several knobs fire, the first in this order wins: connection reset,
 * server error, 429 without Retry-After, expired cursor (only for requests carrying a cursor).
 * Slowness combines with any of them; a malformed body is applied later, to 200 responses only.
 */
final class FaultInjector {

  /** Fault kinds, also the keys of {@link SimulatorStats#faults()}. */
  enum Fault {
    NONE, CONNECTION_RESET, SERVER_ERROR, RETRY_AFTER_MISSING, CURSOR_EXPIRED, MALFORMED_PAGE,
    SLOW_RESPONSE
  }

  /** What to do with one request. */
  record Plan(Fault fault, boolean slow, boolean malformed, int serverErrorStatus) {}

  private static final int[] SERVER_ERRORS = {500, 502, 503};

  private final SimulatorConfig config;
  private final Random random;

  FaultInjector(SimulatorConfig config) {
    this.config = config;
    this.random = new Random(Ids.mix(config.seed(), 0xFA017L));
  }

  synchronized Plan plan(boolean hasCursor) {
    boolean reset = fires(config.connectionResetRate());
    boolean serverError = fires(config.serverErrorRate());
    boolean noRetryAfter = fires(config.retryAfterMissingRate());
    boolean expired = fires(config.cursorExpiryRate()) && hasCursor;
    boolean slow = fires(config.slowResponseRate());
    boolean malformed = fires(config.malformedPageRate());
    int status = SERVER_ERRORS[random.nextInt(SERVER_ERRORS.length)];
    Fault fault = reset ? Fault.CONNECTION_RESET : serverError ? Fault.SERVER_ERROR
        : noRetryAfter ? Fault.RETRY_AFTER_MISSING : expired ? Fault.CURSOR_EXPIRED : Fault.NONE;
    return new Plan(fault, slow, malformed && fault == Fault.NONE, status);
  }

  /** Always draws, so the sequence does not depend on which knobs are set. */
  private boolean fires(double rate) {
    double draw = random.nextDouble();
    return rate > 0 && draw < rate;
  }
}
