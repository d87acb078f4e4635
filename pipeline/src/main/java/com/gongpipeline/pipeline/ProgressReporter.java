package com.gongpipeline.pipeline;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints a progress line every few seconds while a job runs (to the terminal and the log):
 * calls done of calls listed, chunks embedded, rates, API requests and an ETA.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final Thread thread;
  private volatile boolean stopped;

  private ProgressReporter(PipelineResult result, Duration every, PrintStream out,
      boolean unbounded) {
    long start = System.nanoTime();
    thread = new Thread(() -> {
      while (!stopped) {
        try {
          Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        if (stopped) {
          return;
        }
        JobMetrics m = JobMetrics.of(result);
        double secs = (System.nanoTime() - start) / 1e9;
        String line = unbounded ? streamLine(m, secs) : line(m, secs);
        out.println(line);
        LOG.info(line);
      }
    }, "progress-reporter");
    thread.setDaemon(true);
  }

  public static ProgressReporter start(PipelineResult result, Duration every, PrintStream out) {
    return start(result, every, out, false);
  }

  /** As above; an unbounded job has no total, so its line shows polls and work done instead. */
  public static ProgressReporter start(PipelineResult result, Duration every, PrintStream out,
      boolean unbounded) {
    ProgressReporter r = new ProgressReporter(result, every, out, unbounded);
    if (!every.isZero()) {
      r.thread.start();
    }
    return r;
  }

  static String line(JobMetrics m, double seconds) {
    long listed = m.get("pipeline", "calls_listed");
    long done = m.get("pipeline", "calls_parsed");
    long chunks = m.get("enrich", "chunks_embedded");
    long created = m.get("pipeline", "chunks_created");
    long requests = m.sum("gong", "requests_");
    double rate = seconds > 0 ? done / seconds : 0;
    String eta = "?";
    if (listed > 0 && done > 0 && rate > 0 && done <= listed) {
      long remaining = (long) ((listed - done) / rate);
      eta = remaining / 60 + "m" + String.format(Locale.ROOT, "%02d", remaining % 60) + "s";
    }
    return String.format(Locale.ROOT,
        "[%5.0fs] calls %d/%d (%.1f/s, ETA %s) | chunks embedded %d/%d (%.1f/s) | "
            + "Gong requests %d, 429s %d | dead letters %d",
        seconds, done, listed, rate, eta, chunks, created, seconds > 0 ? chunks / seconds : 0,
        requests, m.get("gong", "http_429"), m.sum("pipeline", "dead_letters_"));
  }

  static String streamLine(JobMetrics m, double seconds) {
    return String.format(Locale.ROOT,
        "[%5.0fs] polls %d | calls processed %d (re-polled duplicates dropped %d, changed %d) | "
            + "chunks embedded %d, reused %d | Gong requests %d, 429s %d | dead letters %d",
        seconds, m.get("stream", "polls"), m.get("pipeline", "calls_parsed"),
        m.get("stream", "duplicates_dropped"), m.get("stream", "versions_changed"),
        m.get("enrich", "chunks_embedded"), m.get("enrich", "chunks_reused"),
        m.sum("gong", "requests_"), m.get("gong", "http_429"), m.sum("pipeline", "dead_letters_"));
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
