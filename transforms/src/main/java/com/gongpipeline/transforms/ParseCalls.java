package com.gongpipeline.transforms;

import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.DeadLetterStage;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.parse.GongCallParser;
import java.time.Instant;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/** Parses fetched calls into typed staging rows and speaker turns; bad JSON becomes dead letters. */
public final class ParseCalls extends PTransform<PCollection<FetchedCall>, StageResult<ParsedCall>> {
  /** Parsed calls. */
  public static final TupleTag<ParsedCall> PARSED_OUT = new TupleTag<>() {};
  /** Calls whose JSON could not be parsed, with the JSON as payload. */
  public static final TupleTag<DeadLetter> PARSE_DEADLETTER_OUT = new TupleTag<>() {};

  private final String jobId;

  public ParseCalls(String jobId) {
    this.jobId = jobId;
  }

  @Override
  public StageResult<ParsedCall> expand(PCollection<FetchedCall> calls) {
    PCollectionTuple tuple =
        calls.apply(
            "ParseCallJson",
            ParDo.of(new ParseCallFn(jobId))
                .withOutputTags(PARSED_OUT, TupleTagList.of(PARSE_DEADLETTER_OUT)));
    StageResult<ParsedCall> result = StageResult.of(tuple, PARSED_OUT, PARSE_DEADLETTER_OUT);
    result.output().setCoder(SerializableCoder.of(ParsedCall.class));
    return result;
  }

  static final class ParseCallFn extends DoFn<FetchedCall, ParsedCall> {
    private static final org.slf4j.Logger LOG =
        org.slf4j.LoggerFactory.getLogger(ParseCallFn.class);
    private final String jobId;
    private final Counter parsed = Metrics.counter("pipeline", "calls_parsed");
    private final Counter turns = Metrics.counter("pipeline", "transcript_turns");
    private final Counter emptyTranscripts = Metrics.counter("pipeline", "calls_without_speech");
    private final Counter deadLettered = DeadLetterStage.PARSE_CALL.counter();
    /** Fields refused and stored NULL in a call that is otherwise good (logged with the field). */
    private final Counter warnings = Metrics.counter("pipeline", "parse_warnings");

    ParseCallFn(String jobId) {
      this.jobId = jobId;
    }

    @ProcessElement
    public void process(@Element FetchedCall call, MultiOutputReceiver out) {
      try {
        ParsedCall p = GongCallParser.parse(call, jobId, Instant.now(), warning -> {
          warnings.inc();
          LOG.warn("call {}: {}", call.callId(), warning);
        });
        parsed.inc();
        turns.inc(p.turns().size());
        if (p.turns().isEmpty()) {
          emptyTranscripts.inc();
        }
        out.get(PARSED_OUT).output(p);
      } catch (RuntimeException e) {
        deadLettered.inc();
        String payload = "{\"call\":" + call.callJson() + ",\"transcript\":"
            + (call.transcriptJson() == null ? "null" : call.transcriptJson()) + "}";
        out.get(PARSE_DEADLETTER_OUT)
            .output(DeadLetter.of(DeadLetterStage.PARSE_CALL, call.callId(), e, payload, 1));
      }
    }
  }
}
