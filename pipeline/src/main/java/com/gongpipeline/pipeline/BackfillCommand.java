package com.gongpipeline.pipeline;

import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.model.TimeWindow;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import java.io.PrintStream;
import java.time.Instant;
import org.apache.beam.sdk.Pipeline;

/** {@code backfill --gongBaseUrl=… --from=… [--to=…]}: one bounded run over a date range. */
public final class BackfillCommand {
  private BackfillCommand() {}

  public static JobRun.Summary run(GongPipelineOptions o, GongCredentials credentials,
      PrintStream out) {
    if (o.getFrom() == null) {
      throw new IllegalArgumentException("--from is required (ISO date or instant), e.g. "
          + "--from=2026-01-01");
    }
    Instant from = Instants.parse("from", o.getFrom());
    Instant to = o.getTo() == null ? Instant.now() : Instants.parse("to", o.getTo());
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("--from (" + from + ") must be before --to (" + to + ")");
    }
    String jobId = o.getJobId() != null ? o.getJobId() : JobRun.newJobId("backfill");
    Pipeline p = Pipeline.create(o);
    GongBackfill.buildPipeline(p, o, GongBackfill.gongConfig(o, credentials),
        Enrichment.fromOptions(o), new TimeWindow(from, to), jobId);
    out.printf("Backfill %s: calls started in [%s, %s) from %s into %s%n", jobId, from, to,
        o.getGongBaseUrl(), com.gongpipeline.errors.SecretRedaction.redact(o.getWarehouse()));
    return JobRun.run(p, o, jobId, "backfill", from, to, out);
  }
}
