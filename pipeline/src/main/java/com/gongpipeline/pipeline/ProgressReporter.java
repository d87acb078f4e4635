package com.gongpipeline.pipeline;

import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.PipelineMetric;
import com.gongpipeline.pipeline.metrics.RateWindow;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints a progress line every few seconds while a job runs: once on the terminal, and into the
 * log only when the log is a file ({@code org.slf4j.simpleLogger.logFile}), since slf4j-simple's
 * default target, stderr, is the same terminal. A
 * bounded job shows calls done (parsed into staging rows) of calls listed so far, the rate over
 * the last {@link #RATE_WINDOW} and the ETA at that rate, chunks embedded, Gong requests, 429s and
 * dead letters; a stream shows polls and work done instead.
 */
public final class ProgressReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);
  /** Window of the rates on the progress line: recent enough to follow a change of pace. */
  static final Duration RATE_WINDOW = Duration.ofSeconds(60);

  /** Whether slf4j-simple writes to a file rather than the terminal (stderr or stdout). */
  static final boolean LOG_IS_A_FILE = isAFile(logTarget());

  private final Thread thread;
  private volatile boolean stopped;

  private ProgressReporter(PipelineResult result, Duration every, PrintStream out,
      boolean unbounded) {
    Lines lines = new Lines(System::currentTimeMillis, unbounded);
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
        String line = lines.next(JobMetrics.of(result));
        out.println(line);
        if (LOG_IS_A_FILE) {
          LOG.info(line);
        }
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

  /** Successive progress lines of one job: keeps the sliding windows behind the rates. */
  static final class Lines {
    private final LongSupplier clockMillis;
    private final boolean unbounded;
    private final long startMillis;
    private final RateWindow calls = new RateWindow(RATE_WINDOW);
    private final RateWindow chunks = new RateWindow(RATE_WINDOW);

    Lines(LongSupplier clockMillis, boolean unbounded) {
      this.clockMillis = clockMillis;
      this.unbounded = unbounded;
      this.startMillis = clockMillis.getAsLong();
      calls.observe(startMillis, 0);
      chunks.observe(startMillis, 0);
    }

    String next(JobMetrics m) {
      long now = clockMillis.getAsLong();
      double seconds = (now - startMillis) / 1000.0;
      long done = m.get(MetricNames.CALLS_PARSED);
      long embedded = m.get(MetricNames.CHUNKS_EMBEDDED);
      calls.observe(now, done);
      chunks.observe(now, embedded);
      if (unbounded) {
        return String.format(Locale.ROOT,
            "[%5.0fs] polls %d | calls processed %d (re-polled duplicates dropped %d, changed %d) "
                + "| chunks embedded %d, reused %d | Gong requests %d, 429s %d | dead letters %d",
            seconds, m.get(MetricNames.POLLS), done, m.get(MetricNames.DUPLICATES_DROPPED),
            m.get(MetricNames.VERSIONS_CHANGED), embedded, m.get(MetricNames.CHUNKS_REUSED),
            m.gongRequests(), m.get(MetricNames.GONG_HTTP_429), deadLetters(m));
      }
      long listed = m.get(MetricNames.CALLS_LISTED);
      long created = m.get(MetricNames.CHUNKS_CREATED);
      double rate = calls.perSecond();
      double chunkRate = chunks.perSecond();
      // Embedding trails parsing: the chunks' ETA (of the chunks created so far) is the long pole.
      return String.format(Locale.ROOT,
          "[%5.0fs] calls %d/%d (%.1f/s, ETA %s) | chunks embedded %d/%d (%.1f/s, ETA %s) | "
              + "Gong requests %d, 429s %d | dead letters %d",
          seconds, done, listed, rate,
          RateWindow.format(RateWindow.etaSeconds(done, listed, rate)), embedded, created,
          chunkRate, RateWindow.format(RateWindow.etaSeconds(embedded, created, chunkRate)),
          m.gongRequests(), m.get(MetricNames.GONG_HTTP_429), deadLetters(m));
    }

    /** Dead letters of every stage so far (counted where they arise, before they are written). */
    static long deadLetters(JobMetrics m) {
      long total = 0;
      for (PipelineMetric c : new LinkedHashSet<>(MetricNames.deadLettersByStage().values())) {
        total += m.get(c);
      }
      return total;
    }
  }

  /**
   * slf4j-simple's log target: the {@code org.slf4j.simpleLogger.logFile} system property, else
   * the one in {@code simplelogger.properties}; null when neither sets it (stderr).
   */
  static String logTarget() {
    String key = "org.slf4j.simpleLogger.logFile";
    String value = System.getProperty(key);
    if (value != null) {
      return value;
    }
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in =
        ProgressReporter.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (java.io.IOException e) {
      return null;
    }
    return p.getProperty(key);
  }

  /** Whether a slf4j-simple {@code logFile} value names a file (not System.err / System.out). */
  static boolean isAFile(String logTarget) {
    return logTarget != null && !logTarget.isBlank() && !logTarget.equals("System.err")
        && !logTarget.equals("System.out");
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
