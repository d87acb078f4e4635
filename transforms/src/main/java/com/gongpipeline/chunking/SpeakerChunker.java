package com.gongpipeline.chunking;

import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.model.TranscriptTurn;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts one call's transcript into speaker chunks that fit the embedding model's window, measured by
 * the model's own tokenizer. Pure and deterministic: no Beam, no I/O; the DoFn only adapts it.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>Adjacent turns of the same non-null speaker merge into one run (turns whose sentences are
 *       all blank are dropped first, so they do not separate a speaker's turns). Turns with a null
 *       speaker never merge. A chunk never mixes speakers.
 *   <li>Blank sentences are skipped; other sentences are trimmed. A sentence whose tokens exceed
 *       the content budget is split at word boundaries (a single over-long "word" at code-point
 *       boundaries), and its start/end offsets are interpolated by character position.
 *   <li>A run is packed greedily, sentence by sentence. When the next sentence would overflow, the
 *       chunk closes and the next one starts with the previous chunk's trailing sentences whose
 *       tokens sum to at most {@code overlapTokens} (never the whole previous chunk; leading
 *       overlap sentences are dropped if they would not leave room for the new sentence).
 *   <li>Each chunk's {@code tokenCount} is {@code counter.countTokens(passagePrefix + text)},
 *       special tokens included, and is re-measured on the final text. Sentence counts are summed
 *       to plan (exact for WordPiece, which pre-splits on whitespace), but if a measured chunk is
 *       ever over {@code maxTokens} it is shrunk; an over-limit chunk is never emitted.
 * </ol>
 *
 * <p>Chunk text is the sentences joined by single spaces. {@code chunkIndex} runs from 0 over the
 * call. {@code turnIndex} is the turn of the chunk's first sentence; speaker fields come from the
 * run; {@code startMs}/{@code endMs} are the first sentence's start and the last one's end.
 */
public final class SpeakerChunker implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int MIN_MAX_TOKENS = 16;
  /** e5 and the Cortex 512-token embedding models: window including [CLS]/[SEP] and the prefix. */
  public static final int MAX_MAX_TOKENS = 512;
  /**
   * Recommended window: half of e5's 512, leaving headroom for Cortex models whose overflow
   * behaviour is unconfirmed, and small enough that one chunk stays on one topic.
   */
  public static final int DEFAULT_MAX_TOKENS = 256;
  /** Recommended overlap: one or two short sentences of context carried into the next chunk. */
  public static final int DEFAULT_OVERLAP_TOKENS = 32;
  /** Content tokens a chunk must at least have room for after the prefix. */
  static final int MIN_CONTENT_TOKENS = 8;

  private final TokenCounter counter;
  private final int maxTokens;
  private final int overlapTokens;
  private final String passagePrefix;
  /** Tokens of the prefix alone, specials included: the part of the window content cannot use. */
  private final int prefixTokens;

  public SpeakerChunker(
      TokenCounter counter, int maxTokens, int overlapTokens, String passagePrefix) {
    this.counter = Objects.requireNonNull(counter, "counter");
    this.passagePrefix = Objects.requireNonNull(passagePrefix, "passagePrefix");
    if (maxTokens < MIN_MAX_TOKENS || maxTokens > MAX_MAX_TOKENS) {
      throw new IllegalArgumentException(
          "maxTokens must be in [" + MIN_MAX_TOKENS + ", " + MAX_MAX_TOKENS + "], got " + maxTokens);
    }
    if (overlapTokens < 0 || 2 * overlapTokens >= maxTokens) {
      throw new IllegalArgumentException(
          "overlapTokens must be >= 0 and < maxTokens/2 (" + maxTokens + "/2), got "
              + overlapTokens);
    }
    this.maxTokens = maxTokens;
    this.overlapTokens = overlapTokens;
    this.prefixTokens = counter.countTokens(passagePrefix);
    if (maxTokens - prefixTokens < MIN_CONTENT_TOKENS) {
      throw new IllegalArgumentException(
          "passagePrefix '" + passagePrefix + "' takes " + prefixTokens + " of " + maxTokens
              + " tokens; at least " + MIN_CONTENT_TOKENS + " must remain for text");
    }
  }

  public int maxTokens() {
    return maxTokens;
  }

  public int overlapTokens() {
    return overlapTokens;
  }

  public String passagePrefix() {
    return passagePrefix;
  }

  /** Tokens available for chunk text once the prefix and special tokens are paid for. */
  public int contentBudget() {
    return maxTokens - prefixTokens;
  }

  /**
   * Chunks one call's turns, given in transcript order.
   *
   * @throws IllegalArgumentException if the turns belong to more than one call
   */
  public List<SpeakerChunk> chunk(List<TranscriptTurn> turns) {
    List<List<Unit>> runs = toRuns(turns);
    List<SpeakerChunk> out = new ArrayList<>();
    for (List<Unit> run : runs) {
      packRun(run, out);
    }
    return out;
  }

  /** Groups non-blank sentences into same-speaker runs and counts each sentence once. */
  private List<List<Unit>> toRuns(List<TranscriptTurn> turns) {
    List<List<Unit>> runs = new ArrayList<>();
    String callId = null;
    List<Unit> run = null;
    TranscriptTurn runTurn = null;
    for (TranscriptTurn turn : turns) {
      if (callId == null) {
        callId = turn.callId();
      } else if (!Objects.equals(callId, turn.callId())) {
        throw new IllegalArgumentException(
            "SpeakerChunker.chunk takes one call's turns, got " + callId + " and " + turn.callId());
      }
      List<Unit> units = new ArrayList<>();
      for (Sentence s : turn.sentences()) {
        if (s == null || s.text() == null || s.text().isBlank()) {
          continue;
        }
        units.add(new Unit(s.text().strip(), -1, s.startMs(), s.endMs(), turn));
      }
      if (units.isEmpty()) {
        continue;
      }
      boolean sameSpeaker =
          run != null
              && turn.speakerId() != null
              && turn.speakerId().equals(runTurn.speakerId());
      if (!sameSpeaker) {
        run = new ArrayList<>();
        runs.add(run);
        runTurn = turn;
      }
      run.addAll(units);
    }
    // One batched tokenizer call for the whole call.
    List<String> texts = new ArrayList<>();
    for (List<Unit> r : runs) {
      for (Unit u : r) {
        texts.add(u.text);
      }
    }
    int[] counts = counter.countTokensWithoutSpecials(texts);
    int k = 0;
    for (List<Unit> r : runs) {
      for (int i = 0; i < r.size(); i++) {
        r.set(i, r.get(i).withTokens(counts[k++]));
      }
    }
    return runs;
  }

  private void packRun(List<Unit> input, List<SpeakerChunk> out) {
    int budget = contentBudget();
    List<Unit> units = new ArrayList<>(input.size());
    for (Unit u : input) {
      if (u.tokens > budget) {
        units.addAll(SentenceSplitter.split(u, budget, counter));
      } else {
        units.add(u);
      }
    }
    TranscriptTurn speaker = units.get(0).turn;
    int start = 0; // first unit of the current window
    int fresh = 0; // first unit not yet emitted in an earlier chunk
    while (fresh < units.size()) {
      int end = start;
      int sum = 0;
      while (end < units.size() && (end <= fresh || sum + units.get(end).tokens <= budget)) {
        sum += units.get(end).tokens;
        end++;
      }
      // Measure the real text; shrink if the planned sum was ever wrong.
      String text = join(units, start, end);
      int measured = counter.countTokens(passagePrefix + text);
      int attempts = 0;
      while (measured > maxTokens) {
        if (++attempts > 10_000) {
          throw new IllegalStateException(
              "Cannot fit a chunk into " + maxTokens + " tokens with " + counter);
        }
        if (end - 1 > fresh) {
          end--; // drop a trailing new sentence; it goes into the next chunk
        } else if (start < fresh) {
          start++; // drop leading overlap
        } else {
          // A single unit that really does not fit: split it further and retry this window.
          Unit u = units.get(start);
          int tighter = Math.min(u.tokens, budget) - (measured - maxTokens);
          units.remove(start);
          units.addAll(start, SentenceSplitter.split(u, Math.max(1, tighter), counter));
          end = start + 1;
        }
        text = join(units, start, end);
        measured = counter.countTokens(passagePrefix + text);
      }
      Unit first = units.get(start);
      Unit last = units.get(end - 1);
      out.add(
          new SpeakerChunk(
              first.turn.callId(),
              out.size(),
              first.turn.turnIndex(),
              speaker.speakerId(),
              speaker.speakerName(),
              speaker.affiliation(),
              first.startMs,
              last.endMs,
              text,
              measured));
      fresh = end;
      start = overlapStart(units, start, end);
    }
  }

  /**
   * Where the next window starts: the longest proper suffix of {@code [start, end)} whose tokens
   * fit in {@code overlapTokens}, trimmed so the next new unit still fits beside it.
   */
  private int overlapStart(List<Unit> units, int start, int end) {
    if (overlapTokens == 0 || end >= units.size()) {
      return end;
    }
    int next = end;
    int sum = 0;
    while (next - 1 > start && sum + units.get(next - 1).tokens <= overlapTokens) {
      next--;
      sum += units.get(next).tokens;
    }
    int nextTokens = units.get(end).tokens;
    while (next < end && sum + nextTokens > contentBudget()) {
      sum -= units.get(next).tokens;
      next++;
    }
    return next;
  }

  private static String join(List<Unit> units, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      if (i > from) {
        sb.append(' ');
      }
      sb.append(units.get(i).text);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "SpeakerChunker(maxTokens=" + maxTokens + ", overlapTokens=" + overlapTokens
        + ", prefix='" + passagePrefix + "', counter=" + counter + ")";
  }
}
