package com.gongpipeline.model;

import java.io.Serializable;
import java.util.List;

/**
 * Every call id Gong listed for a window, emitted only when the window was listed COMPLETELY
 * (every page, no failure, no quota pause): the one input from which calls that vanished from
 * Gong (made private, or deleted) may be inferred. A partial listing never becomes one.
 */
public record ListedWindow(TimeWindow window, List<String> callIds) implements Serializable {
  public ListedWindow {
    callIds = List.copyOf(callIds);
  }
}
