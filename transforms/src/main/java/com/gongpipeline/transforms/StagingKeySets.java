package com.gongpipeline.transforms;

import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.model.ParsedCall;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The key sets a parsed call now has in its staging child tables (turns, parties, topics), so rows
 * of an older version of the call are deleted ({@link DeleteStaleChildren}).
 */
public final class StagingKeySets extends PTransform<PCollection<ParsedCall>, PCollection<ChildKeys>> {

  @Override
  public PCollection<ChildKeys> expand(PCollection<ParsedCall> calls) {
    return calls
        .apply("KeySetsPerTable",
            FlatMapElements.into(TypeDescriptor.of(ChildKeys.class)).via(StagingKeySets::of))
        .setCoder(SerializableCoder.of(ChildKeys.class));
  }

  /** Key sets of one call's STG transcripts, participants and topics. */
  public static List<ChildKeys> of(ParsedCall call) {
    return StagingRows.keySets(call);
  }
}
