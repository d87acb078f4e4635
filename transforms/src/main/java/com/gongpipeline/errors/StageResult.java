package com.gongpipeline.errors;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a fallible stage returns: its successful output and its dead letters, both first-class
 * (after RequestResponseIO's {@code Result} and DataflowTemplates' success/failure tags).
 */
public final class StageResult<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> outputTag;
  private final PCollection<T> output;
  private final TupleTag<DeadLetter> deadLetterTag;
  private final PCollection<DeadLetter> deadLetters;

  private StageResult(
      Pipeline pipeline,
      TupleTag<T> outputTag,
      PCollection<T> output,
      TupleTag<DeadLetter> deadLetterTag,
      PCollection<DeadLetter> deadLetters) {
    this.pipeline = pipeline;
    this.outputTag = outputTag;
    this.output = output;
    this.deadLetterTag = deadLetterTag;
    this.deadLetters = deadLetters;
  }

  public static <T> StageResult<T> of(
      PCollectionTuple tuple, TupleTag<T> outputTag, TupleTag<DeadLetter> deadLetterTag) {
    return new StageResult<>(
        tuple.getPipeline(), outputTag, tuple.get(outputTag), deadLetterTag,
        tuple.get(deadLetterTag).setCoder(DeadLetterCoder.of()));
  }

  /** A stage result from an output and dead letters produced separately. */
  public static <T> StageResult<T> of(PCollection<T> output, PCollection<DeadLetter> deadLetters) {
    return new StageResult<>(output.getPipeline(), new TupleTag<T>() {}, output,
        new TupleTag<DeadLetter>() {}, deadLetters.setCoder(DeadLetterCoder.of()));
  }

  /** The same result with further dead letters flattened into its own. */
  public StageResult<T> withMoreDeadLetters(String stepName, PCollection<DeadLetter> more) {
    PCollection<DeadLetter> all =
        PCollectionList.of(deadLetters).and(more).apply(stepName, Flatten.pCollections());
    return new StageResult<>(pipeline, outputTag, output, deadLetterTag,
        all.setCoder(DeadLetterCoder.of()));
  }

  public PCollection<T> output() {
    return output;
  }

  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(outputTag, output, deadLetterTag, deadLetters);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
