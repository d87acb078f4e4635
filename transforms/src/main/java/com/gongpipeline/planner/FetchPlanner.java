package com.gongpipeline.planner;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decides, for one listed call, whether its details and transcript are fetched now: a call is
 * fetched when it is new, when it is not stored yet, when its schedule row cannot be trusted (a
 * run that planned a fetch may have died before the data landed), or when its next re-fetch is
 * due; otherwise listing it costs nothing more. Known calls are re-fetched on a decaying schedule
 * after first seen (default {@value #DEFAULT_SCHEDULE_TEXT}), so edits, late transcripts and late
 * media still arrive, and a quiet tenant's steady-state polls fetch nothing.
 *
 * <p>Pure: the state ({@link Known}) comes from {@code OPS_MONITORING.CALL_FETCH_SCHEDULE} and
 * the RAW table; {@link PlanFetches} reads and writes it.
 */
public final class FetchPlanner implements Serializable {
  static final String DEFAULT_SCHEDULE_TEXT = "PT1H,PT6H,PT24H,PT72H";
  /** Re-fetch offsets after first seen: 1 h, 6 h, 24 h and 72 h. */
  public static final List<Duration> DEFAULT_SCHEDULE = parseSchedule(DEFAULT_SCHEDULE_TEXT);

  /** Why a call is or is not fetched; also the names of the planner's counters. */
  public enum Reason {
    NEW,
    NOT_STORED,
    UNTRUSTED,
    DUE,
    NOT_DUE,
    /** Planned by this job a moment ago and not stored yet: its fetch is still under way. */
    IN_FLIGHT;

    public boolean fetch() {
      return this != NOT_DUE && this != IN_FLIGHT;
    }
  }

  /**
   * What is known of a call: its schedule row ({@code firstSeen}, {@code nextDue}: null once the
   * schedule is done), whether its RAW row exists, and whether the job that wrote the row is this
   * one or finished cleanly.
   */
  public record Known(Instant firstSeen, @Nullable Instant nextDue, long fetches, boolean stored,
      boolean trusted, @Nullable Instant plannedByThisJobAt) implements Serializable {
    /** Known from a schedule row another job wrote, or from the RAW table. */
    public Known(Instant firstSeen, @Nullable Instant nextDue, long fetches, boolean stored,
        boolean trusted) {
      this(firstSeen, nextDue, fetches, stored, trusted, null);
    }
  }

  /**
   * How long a call this job planned to fetch, and has not stored yet, counts as in flight (not
   * fetched again when listed again, e.g. by the next poll while its rows are on their way). A
   * fetch or write that fails queues the call in {@code OPS_MONITORING.RETRY_QUEUE}, which ends its
   * flight ({@link PlanFetches} fetches it at the next listing); a job that dies leaves its rows
   * untrusted; after this long an unstored call is fetched again anyway. Kept short because a
   * job restored from a checkpoint (Flink: same job id) lost the fetches it planned after that
   * checkpoint, and re-fetches them only once this has passed (15 min made
   * FlinkCheckpointRecoveryIT miss its 300 s).
   */
  public static final Duration IN_FLIGHT = Duration.ofMinutes(2);

  /** The decision: fetch or not, and the schedule row's new values when fetched. */
  public record Decision(Reason reason, Instant firstSeen, @Nullable Instant nextDue, long fetches)
      implements Serializable {
    public boolean fetch() {
      return reason.fetch();
    }
  }

  private final List<Duration> schedule;

  private FetchPlanner(List<Duration> schedule) {
    this.schedule = List.copyOf(schedule);
  }

  public static FetchPlanner withDefaults() {
    return new FetchPlanner(DEFAULT_SCHEDULE);
  }

  /** A planner with these re-fetch offsets after first seen (increasing; empty: never). */
  public static FetchPlanner of(List<Duration> schedule) {
    Duration last = Duration.ZERO;
    for (Duration d : schedule) {
      if (d == null || d.compareTo(last) <= 0) {
        throw new IllegalArgumentException(
            "refetch schedule must be positive and increasing: " + schedule);
      }
      last = d;
    }
    return new FetchPlanner(schedule);
  }

  /** Parses {@code --refetchSchedule}: ISO-8601 durations separated by commas ("" for none). */
  public static List<Duration> parseSchedule(String text) {
    List<Duration> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(",")) {
      try {
        out.add(Duration.parse(part.trim()));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("--refetchSchedule: '" + part.trim()
            + "' is not an ISO-8601 duration such as PT6H");
      }
    }
    return out;
  }

  public List<Duration> schedule() {
    return schedule;
  }

  /**
   * The decision for a call listed at {@code now}; {@code known} null: never seen. Known with
   * {@link Known#plannedByThisJobAt} set: this job last planned its fetch then.
   */
  public Decision decide(@Nullable Known known, Instant now) {
    Objects.requireNonNull(now, "now");
    if (known == null) {
      return new Decision(Reason.NEW, now, nextDueAfter(now, now), 1);
    }
    Reason reason;
    if (!known.stored() && known.plannedByThisJobAt() != null
        && known.plannedByThisJobAt().plus(IN_FLIGHT).isAfter(now)) {
      return new Decision(Reason.IN_FLIGHT, known.firstSeen(), known.nextDue(), known.fetches());
    }
    if (!known.stored()) {
      reason = Reason.NOT_STORED;
    } else if (!known.trusted()) {
      reason = Reason.UNTRUSTED;
    } else if (known.nextDue() != null && !known.nextDue().isAfter(now)) {
      reason = Reason.DUE;
    } else {
      return new Decision(Reason.NOT_DUE, known.firstSeen(), known.nextDue(), known.fetches());
    }
    return new Decision(reason, known.firstSeen(), nextDueAfter(known.firstSeen(), now),
        known.fetches() + 1);
  }

  /** The first {@code firstSeen + offset} after {@code now}, or null when the schedule is done. */
  public @Nullable Instant nextDueAfter(Instant firstSeen, Instant now) {
    for (Duration d : schedule) {
      Instant due = firstSeen.plus(d);
      if (due.isAfter(now)) {
        return due;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "re-fetch " + schedule + " after first seen";
  }
}
