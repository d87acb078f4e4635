package com.gongpipeline.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.gong.GongJson;
import com.gongpipeline.model.FetchedCall;
import com.gongpipeline.parse.JsonSupport;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Pure helpers that tell versions of one fetched call apart and place them in event time. */
final class CallVersions {
  private CallVersions() {}

  /**
   * Hash of what a call <i>says</i>: the call JSON and the transcript JSON with keys sorted and
   * volatile fields (presigned media URLs) removed ({@link JsonSupport#contentHash}). Two fetches
   * of an unchanged call hash alike; an edited title or a transcript that appeared does not.
   * Malformed JSON is hashed as raw text (parsing dead-letters it downstream).
   */
  static String contentHash(FetchedCall call) {
    String transcript =
        call.transcriptJson() == null ? "no-transcript" : jsonHash(call.transcriptJson());
    return JsonSupport.sha256(jsonHash(call.callJson()) + "|" + transcript);
  }

  /** The call's {@code metaData.started}, or null when absent or not a valid timestamp. */
  static @Nullable Instant started(FetchedCall call) {
    try {
      JsonNode meta = JsonSupport.parse(call.callJson()).get("metaData");
      return GongJson.parseInstant(GongJson.text(meta, "started"));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String jsonHash(String json) {
    try {
      return JsonSupport.contentHash(JsonSupport.parse(json));
    } catch (IllegalArgumentException e) {
      return "raw:" + JsonSupport.sha256(json);
    }
  }
}
