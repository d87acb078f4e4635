package com.gongpipeline.transforms;

import com.gongpipeline.model.ChildKeys;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.util.ArrayList;
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
    String callId = call.context().callId();
    List<String> turns = new ArrayList<>();
    for (TranscriptTurn t : call.turns()) {
      turns.add(t.callId() + ":" + t.turnIndex());
    }
    return List.of(
        new ChildKeys(WarehouseTable.STG_TRANSCRIPTS, "CALL_ID", callId, "TRANSCRIPT_ID", turns),
        new ChildKeys(WarehouseTable.STG_PARTICIPANTS, "CALL_ID", callId, "PARTICIPANT_ID",
            column(call.participants(), "PARTICIPANT_ID")),
        new ChildKeys(WarehouseTable.STG_TOPICS, "CALL_ID", callId, "TOPIC_NAME",
            column(call.topics(), "TOPIC_NAME")));
  }

  private static List<String> column(List<WarehouseRow> rows, String column) {
    List<String> out = new ArrayList<>(rows.size());
    for (WarehouseRow r : rows) {
      out.add(String.valueOf(r.get(column)));
    }
    return out;
  }
}
