package com.gongpipeline.chunking;

import com.gongpipeline.model.TranscriptTurn;

/**
 * A sentence, or a piece of one, as the chunker packs it: trimmed text, its token count without
 * special tokens, its offsets, and the turn it came from.
 */
final class Unit {
  final String text;
  final int tokens;
  final long startMs;
  final long endMs;
  final TranscriptTurn turn;

  Unit(String text, int tokens, long startMs, long endMs, TranscriptTurn turn) {
    this.text = text;
    this.tokens = tokens;
    this.startMs = startMs;
    this.endMs = endMs;
    this.turn = turn;
  }

  Unit withTokens(int newTokens) {
    return new Unit(text, newTokens, startMs, endMs, turn);
  }

  /**
   * The piece {@code [from, to)} of this unit's text, with offsets interpolated linearly by
   * character position (Gong gives no word timings), so pieces of one sentence are monotonic.
   */
  Unit piece(int from, int to, int pieceTokens) {
    return new Unit(text.substring(from, to), pieceTokens, offsetAt(from), offsetAt(to), turn);
  }

  long offsetAt(int charPos) {
    int len = text.length();
    if (len == 0) {
      return startMs;
    }
    long duration = Math.max(0, endMs - startMs);
    return startMs + duration * charPos / len;
  }

  @Override
  public String toString() {
    return "Unit[" + tokens + "t " + startMs + "-" + endMs + " '" + text + "']";
  }
}
