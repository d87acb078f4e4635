package com.gongpipeline.model;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A half-open interval {@code [from, to)} of call start times, the unit of Gong listing work. */
public record TimeWindow(Instant from, Instant to) implements Serializable {

  public TimeWindow {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("window start " + from + " must be before its end " + to);
    }
  }

  /** Cuts the window into consecutive sub-windows of at most {@code size}, so listing parallelises. */
  public List<TimeWindow> split(Duration size) {
    if (size.isZero() || size.isNegative()) {
      throw new IllegalArgumentException("sub-window size must be positive: " + size);
    }
    List<TimeWindow> parts = new ArrayList<>();
    Instant start = from;
    while (start.isBefore(to)) {
      Instant end = start.plus(size);
      if (end.isAfter(to)) {
        end = to;
      }
      parts.add(new TimeWindow(start, end));
      start = end;
    }
    return parts;
  }

  @Override
  public String toString() {
    return "[" + from + ", " + to + ")";
  }
}
