package com.gongpipeline.model;

import java.io.Serializable;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One speaker turn (a Gong "monologue"): consecutive sentences of one speaker, joined to the call's
 * parties on {@code speakerId} so that it carries the speaker's name and affiliation.
 *
 * @param turnIndex position of the monologue in the call's transcript, from 0
 * @param speakerId Gong speaker id; null when Gong could not attribute the speech
 * @param speakerName party name, or "Unknown speaker"
 * @param affiliation Internal, External or Unknown
 * @param entitiesJson organisations and money amounts named in the turn ({@code
 *     com.gongpipeline.parse.EntityExtractor}), or null when not extracted
 */
public record TranscriptTurn(
    String callId,
    int turnIndex,
    @Nullable String speakerId,
    String speakerName,
    String affiliation,
    @Nullable String topic,
    List<Sentence> sentences,
    @Nullable String entitiesJson)
    implements Serializable {

  /** A turn without extracted entities. */
  public TranscriptTurn(String callId, int turnIndex, @Nullable String speakerId,
      String speakerName, String affiliation, @Nullable String topic, List<Sentence> sentences) {
    this(callId, turnIndex, speakerId, speakerName, affiliation, topic, sentences, null);
  }

  /** This turn with its extracted entities. */
  public TranscriptTurn withEntities(@Nullable String json) {
    return new TranscriptTurn(callId, turnIndex, speakerId, speakerName, affiliation, topic,
        sentences, json);
  }

  public long startMs() {
    return sentences.isEmpty() ? 0 : sentences.get(0).startMs();
  }

  public long endMs() {
    return sentences.isEmpty() ? 0 : sentences.get(sentences.size() - 1).endMs();
  }

  /** The turn's text: its sentences joined by single spaces, verbatim otherwise. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (Sentence s : sentences) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(s.text());
    }
    return sb.toString();
  }
}
