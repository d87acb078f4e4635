package com.gongpipeline.gong.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Everything that shapes one {@link GongSimulator}: the seeded data set, Gong's limits and the
 * faults to inject. Immutable; build it with {@link #builder()}.
 *
 * <p>Defaults mirror the real API where the real value is known (3 requests/s, 10,000/day, cursors
 * valid about an hour) and are deliberately odd elsewhere (page sizes 37/17/13/29) so that clients
 * cannot get away with assuming a page size. All fault rates default to 0; a rate of 1.0 makes
 * the fault happen on every eligible {@code /v2} request. When {@code callsFrom}/{@code callsTo}
 * are not set they default to {@code now-30d .. now-1h}, with {@code now} taken from {@link #clock}
 * truncated to the hour, so two simulators started within the same hour serve identical data.
 *
 * @param seed drives every generated value; same seed, same data
 * @param calls number of calls in the catalogue (their start times spread over the range)
 * @param callsFrom earliest call start (inclusive)
 * @param callsTo latest call start (exclusive)
 * @param accessKey Basic-auth user name the simulator accepts
 * @param accessKeySecret Basic-auth password the simulator accepts
 * @param callsPageSize page size of {@code GET /v2/calls}
 * @param extensivePageSize page size of {@code POST /v2/calls/extensive}
 * @param transcriptsPageSize page size of {@code POST /v2/calls/transcript}
 * @param usersPageSize page size of {@code GET /v2/users}
 * @param requestsPerSecond sliding-window rate limit per tenant; {@code <= 0} disables it
 * @param dailyQuota requests per quota day (of {@link #clock}) per tenant; {@code <= 0} disables it.
 *     Once spent, every request of that day is answered 429 with a Retry-After to the day's end,
 *     as Gong does when the company's daily limit is used up
 * @param quotaDayLength length of a quota day; days are aligned to the epoch, so the default of
 *     one day runs from UTC midnight to UTC midnight and a test may use e.g. one minute
 * @param strictRate Gong's company-wide 3 requests per sliding second over all credentials,
 *     whatever {@code requestsPerSecond} says; its 429s are counted in
 *     {@link SimulatorStats#rateLimited()} ("429s caused by the client's own pace")
 * @param users number of Gong users (avatars come on top, only with {@code includeAvatars})
 * @param workspaces number of workspaces
 * @param privateCallRate share of ordinary calls marked {@code isPrivate} (on top of fixed ones)
 * @param serverErrorRate share of requests answered 500/502/503 with a Gong error body
 * @param slowResponseRate share of requests delayed by {@code slowResponseMillis}
 * @param slowResponseMillis delay of a slow response
 * @param connectionResetRate share of requests whose connection is closed without a response
 * @param cursorExpiryRate share of cursor-bearing requests answered 400 "cursor has expired"
 * @param malformedPageRate share of 200 responses whose body is cut short (invalid JSON)
 * @param retryAfterMissingRate share of requests answered 429 without a Retry-After header
 * @param minProcessingLag least time between a call's start and its visibility
 * @param maxProcessingLag most time between a call's start and its visibility (for all but the
 *     late calls)
 * @param lateCallRate share of calls whose lag is drawn from {@code maxProcessingLag ..
 *     maxLateProcessingLag} instead (calls Gong takes hours to process)
 * @param maxLateProcessingLag most time between a late call's start and its visibility
 * @param cursorTtl how long after the first page a cursor sequence stays valid
 * @param clock the simulator's notion of now (visibility, daily quota, cursor expiry)
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 */
public record SimulatorConfig(
    long seed,
    int calls,
    Instant callsFrom,
    Instant callsTo,
    String accessKey,
    String accessKeySecret,
    int callsPageSize,
    int extensivePageSize,
    int transcriptsPageSize,
    int usersPageSize,
    double requestsPerSecond,
    long dailyQuota,
    Duration quotaDayLength,
    boolean strictRate,
    int users,
    int workspaces,
    double privateCallRate,
    double serverErrorRate,
    double slowResponseRate,
    long slowResponseMillis,
    double connectionResetRate,
    double cursorExpiryRate,
    double malformedPageRate,
    double retryAfterMissingRate,
    Duration minProcessingLag,
    Duration maxProcessingLag,
    double lateCallRate,
    Duration maxLateProcessingLag,
    Duration cursorTtl,
    Clock clock,
    int port) {

  /** Validates the cross-field rules; the builder is the normal way in. */
  public SimulatorConfig {
    Objects.requireNonNull(callsFrom, "callsFrom");
    Objects.requireNonNull(callsTo, "callsTo");
    Objects.requireNonNull(accessKey, "accessKey");
    Objects.requireNonNull(accessKeySecret, "accessKeySecret");
    Objects.requireNonNull(minProcessingLag, "minProcessingLag");
    Objects.requireNonNull(maxProcessingLag, "maxProcessingLag");
    Objects.requireNonNull(cursorTtl, "cursorTtl");
    Objects.requireNonNull(quotaDayLength, "quotaDayLength");
    Objects.requireNonNull(maxLateProcessingLag, "maxLateProcessingLag");
    Objects.requireNonNull(clock, "clock");
    check(calls >= 0 && calls <= 5_000_000, "calls must be in [0, 5000000]");
    check(callsFrom.isBefore(callsTo), "callsFrom must be before callsTo");
    check(calls == 0 || Duration.between(callsFrom, callsTo).toMillis() >= 10L * calls,
        "callsFrom..callsTo must leave at least 10 ms per call");
    check(callsPageSize > 0 && extensivePageSize > 0 && transcriptsPageSize > 0
        && usersPageSize > 0, "page sizes must be positive");
    check(users >= 1 && workspaces >= 1 && users >= workspaces,
        "need at least one workspace and at least one user per workspace");
    for (double rate : new double[] {privateCallRate, serverErrorRate, slowResponseRate,
        connectionResetRate, cursorExpiryRate, malformedPageRate, retryAfterMissingRate,
        lateCallRate}) {
      check(rate >= 0.0 && rate <= 1.0, "rates must be in [0, 1]");
    }
    check(slowResponseMillis >= 0, "slowResponseMillis must be >= 0");
    check(!minProcessingLag.isNegative() && minProcessingLag.compareTo(maxProcessingLag) <= 0,
        "need 0 <= minProcessingLag <= maxProcessingLag");
    check(!cursorTtl.isNegative() && !cursorTtl.isZero(), "cursorTtl must be positive");
    check(quotaDayLength.toMillis() >= 1, "quotaDayLength must be at least 1 ms");
    check(lateCallRate == 0 || maxProcessingLag.compareTo(maxLateProcessingLag) <= 0,
        "need maxProcessingLag <= maxLateProcessingLag when lateCallRate > 0");
    check(port >= 0 && port <= 65535, "port must be in [0, 65535]");
  }

  /**
   * A tenant of {@code callsPerDay} calls a day over the {@code days} days before the clock's hour,
   * with a realistic processing-lag profile: 90 % of calls visible 10–60 minutes after they start,
   * the other 10 % up to 24 hours after. Rate limit and daily quota stay at Gong's defaults.
   */
  public static Builder tenant(int callsPerDay, int days) {
    if (callsPerDay < 1 || days < 1) {
      throw new IllegalArgumentException("need callsPerDay >= 1 and days >= 1");
    }
    return builder().calls(Math.multiplyExact(callsPerDay, days)).days(days)
        .minProcessingLag(Duration.ofMinutes(10)).maxProcessingLag(Duration.ofMinutes(60))
        .lateCallRate(0.1).maxLateProcessingLag(Duration.ofHours(24));
  }

  /**
   * The processing lag of a call whose uniform draw is {@code fraction} in [0, 1): the first
   * {@code lateCallRate} of the range maps onto {@code maxProcessingLag .. maxLateProcessingLag},
   * the rest onto {@code minProcessingLag .. maxProcessingLag} (so with no late calls the draw is
   * used exactly as before, and seeded data does not change).
   */
  Duration processingLag(double fraction) {
    if (lateCallRate > 0 && fraction < lateCallRate) {
      double f = fraction / lateCallRate;
      return maxProcessingLag.plusMillis(
          (long) (f * maxLateProcessingLag.minus(maxProcessingLag).toMillis()));
    }
    double f = lateCallRate > 0 ? (fraction - lateCallRate) / (1 - lateCallRate) : fraction;
    return minProcessingLag.plusMillis(
        (long) (f * maxProcessingLag.minus(minProcessingLag).toMillis()));
  }

  /** A builder holding every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this configuration, to derive variants. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.seed = seed;
    b.calls = calls;
    b.callsFrom = callsFrom;
    b.callsTo = callsTo;
    b.accessKey = accessKey;
    b.accessKeySecret = accessKeySecret;
    b.callsPageSize = callsPageSize;
    b.extensivePageSize = extensivePageSize;
    b.transcriptsPageSize = transcriptsPageSize;
    b.usersPageSize = usersPageSize;
    b.requestsPerSecond = requestsPerSecond;
    b.dailyQuota = dailyQuota;
    b.quotaDayLength = quotaDayLength;
    b.strictRate = strictRate;
    b.users = users;
    b.workspaces = workspaces;
    b.privateCallRate = privateCallRate;
    b.serverErrorRate = serverErrorRate;
    b.slowResponseRate = slowResponseRate;
    b.slowResponseMillis = slowResponseMillis;
    b.connectionResetRate = connectionResetRate;
    b.cursorExpiryRate = cursorExpiryRate;
    b.malformedPageRate = malformedPageRate;
    b.retryAfterMissingRate = retryAfterMissingRate;
    b.minProcessingLag = minProcessingLag;
    b.maxProcessingLag = maxProcessingLag;
    b.lateCallRate = lateCallRate;
    b.maxLateProcessingLag = maxLateProcessingLag;
    b.cursorTtl = cursorTtl;
    b.clock = clock;
    b.port = port;
    return b;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Mutable builder; every setter returns {@code this}. */
  public static final class Builder {
    private long seed = 42;
    private int calls = 300;
    private Instant callsFrom;
    private Instant callsTo;
    private String accessKey = "sim-access-key";
    private String accessKeySecret = "sim-access-secret";
    private int callsPageSize = 37;
    private int extensivePageSize = 17;
    private int transcriptsPageSize = 13;
    private int usersPageSize = 29;
    private double requestsPerSecond = 3.0;
    private long dailyQuota = 10_000;
    private Duration quotaDayLength = Duration.ofDays(1);
    private boolean strictRate;
    private int days; // 0: the default range
    private int users = 40;
    private int workspaces = 2;
    private double privateCallRate = 0.05;
    private double serverErrorRate;
    private double slowResponseRate;
    private long slowResponseMillis = 1_500;
    private double connectionResetRate;
    private double cursorExpiryRate;
    private double malformedPageRate;
    private double retryAfterMissingRate;
    private Duration minProcessingLag = Duration.ZERO;
    private Duration maxProcessingLag = Duration.ZERO;
    private double lateCallRate;
    private Duration maxLateProcessingLag = Duration.ZERO;
    private Duration cursorTtl = Duration.ofHours(1);
    private Clock clock = Clock.systemUTC();
    private int port;

    private Builder() {}

    public Builder seed(long v) { seed = v; return this; }
    public Builder calls(int v) { calls = v; return this; }
    public Builder callsFrom(Instant v) { callsFrom = v; return this; }
    public Builder callsTo(Instant v) { callsTo = v; return this; }
    public Builder accessKey(String v) { accessKey = v; return this; }
    public Builder accessKeySecret(String v) { accessKeySecret = v; return this; }
    public Builder callsPageSize(int v) { callsPageSize = v; return this; }
    public Builder extensivePageSize(int v) { extensivePageSize = v; return this; }
    public Builder transcriptsPageSize(int v) { transcriptsPageSize = v; return this; }
    public Builder usersPageSize(int v) { usersPageSize = v; return this; }
    public Builder requestsPerSecond(double v) { requestsPerSecond = v; return this; }
    public Builder dailyQuota(long v) { dailyQuota = v; return this; }
    /** Length of a quota day (default one day, i.e. UTC midnight to midnight); for tests. */
    public Builder quotaDayLength(Duration v) { quotaDayLength = v; return this; }
    /** Gong's strict company-wide 3 requests/s, counting the 429s it sends. */
    public Builder strictRate(boolean v) { strictRate = v; return this; }
    /** Calls over the last {@code v} days (ending an hour before the clock's hour) unless callsFrom is set. */
    public Builder days(int v) { days = v; return this; }
    public Builder users(int v) { users = v; return this; }
    public Builder workspaces(int v) { workspaces = v; return this; }
    public Builder privateCallRate(double v) { privateCallRate = v; return this; }
    public Builder serverErrorRate(double v) { serverErrorRate = v; return this; }
    public Builder slowResponseRate(double v) { slowResponseRate = v; return this; }
    public Builder slowResponseMillis(long v) { slowResponseMillis = v; return this; }
    public Builder connectionResetRate(double v) { connectionResetRate = v; return this; }
    public Builder cursorExpiryRate(double v) { cursorExpiryRate = v; return this; }
    public Builder malformedPageRate(double v) { malformedPageRate = v; return this; }
    public Builder retryAfterMissingRate(double v) { retryAfterMissingRate = v; return this; }
    public Builder minProcessingLag(Duration v) { minProcessingLag = v; return this; }
    public Builder maxProcessingLag(Duration v) { maxProcessingLag = v; return this; }
    /** Sets both lags: every call becomes visible exactly {@code v} after it started. */
    public Builder processingLag(Duration v) { minProcessingLag = v; maxProcessingLag = v; return this; }
    public Builder lateCallRate(double v) { lateCallRate = v; return this; }
    public Builder maxLateProcessingLag(Duration v) { maxLateProcessingLag = v; return this; }
    public Builder cursorTtl(Duration v) { cursorTtl = v; return this; }
    public Builder clock(Clock v) { clock = v; return this; }
    public Builder port(int v) { port = v; return this; }

    /** Builds and validates; unset call range defaults to the clock's hour minus 30 days .. minus 1 hour. */
    public SimulatorConfig build() {
      Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
      Instant to = callsTo != null ? callsTo : hour.minus(Duration.ofHours(1));
      Instant from = callsFrom != null ? callsFrom
          : days > 0 ? to.minus(Duration.ofDays(days)) : hour.minus(Duration.ofDays(30));
      return new SimulatorConfig(seed, calls, from, to, accessKey, accessKeySecret,
          callsPageSize, extensivePageSize, transcriptsPageSize, usersPageSize,
          requestsPerSecond, dailyQuota, quotaDayLength, strictRate, users, workspaces, privateCallRate,
          serverErrorRate, slowResponseRate, slowResponseMillis, connectionResetRate,
          cursorExpiryRate, malformedPageRate, retryAfterMissingRate,
          minProcessingLag, maxProcessingLag, lateCallRate, maxLateProcessingLag, cursorTtl, clock,
          port);
    }
  }
}
