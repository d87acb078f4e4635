package com.gongpipeline.gong;

import com.google.api.client.util.Sleeper;
import java.util.ArrayList;
import java.util.List;

/** A {@link Sleeper} that records requested waits and returns at once. */
final class RecordingSleeper implements Sleeper {
  private final List<Long> sleeps = new ArrayList<>();

  @Override
  public synchronized void sleep(long millis) {
    sleeps.add(millis);
  }

  synchronized List<Long> sleeps() {
    return new ArrayList<>(sleeps);
  }
}
