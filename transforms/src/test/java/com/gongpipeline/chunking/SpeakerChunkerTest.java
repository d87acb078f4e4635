package com.gongpipeline.chunking;

import static com.gongpipeline.chunking.TestTranscripts.longSentence;
import static com.gongpipeline.chunking.TestTranscripts.monologue;
import static com.gongpipeline.chunking.TestTranscripts.sentence;
import static com.gongpipeline.chunking.TestTranscripts.turn;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.model.TranscriptTurn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SpeakerChunkerTest {
  private static final String PREFIX = "passage: ";
  private static final E5Tokenizer E5 = new E5Tokenizer();
  private static final Pattern MARKER = Pattern.compile("\\bS(\\d+)\\.");

  private static SpeakerChunker chunker(int max, int overlap) {
    return new SpeakerChunker(E5, max, overlap, PREFIX);
  }

  /** Every chunk: measured by the real tokenizer, equal to tokenCount, within the limit. */
  private static void assertWithinLimit(List<SpeakerChunk> chunks, int max) {
    for (SpeakerChunk c : chunks) {
      int real = E5.countTokens(PREFIX + c.text());
      assertEquals(real, c.tokenCount(), "tokenCount of chunk " + c.chunkIndex());
      assertThat("chunk " + c.chunkIndex(), real, lessThanOrEqualTo(max));
    }
  }

  private static void assertSequentialIndices(List<SpeakerChunk> chunks) {
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(i, chunks.get(i).chunkIndex());
    }
  }

  /** Sentence ids (from the S<n>. markers) in a chunk, in order. */
  private static List<Integer> sentenceIds(SpeakerChunk c) {
    List<Integer> ids = new ArrayList<>();
    Matcher m = MARKER.matcher(c.text());
    while (m.find()) {
      ids.add(Integer.parseInt(m.group(1)));
    }
    return ids;
  }

  @Test
  void validatesParameters() {
    assertThrows(IllegalArgumentException.class, () -> chunker(15, 0));
    assertThrows(IllegalArgumentException.class, () -> chunker(513, 0));
    assertThrows(IllegalArgumentException.class, () -> chunker(256, -1));
    assertThrows(IllegalArgumentException.class, () -> chunker(256, 128));
    chunker(256, 127);
    chunker(16, 7);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SpeakerChunker(E5, 16, 0, "a very long instruction prefix for the model: "));
    assertThat(e.getMessage(), containsString("passagePrefix"));
  }

  @Test
  void emptyInputGivesNoChunks() {
    assertThat(chunker(256, 32).chunk(List.of()), empty());
    List<TranscriptTurn> blank =
        List.of(
            turn("c1", 0, "a", "Ann", List.of()),
            turn("c1", 1, "b", "Bob", List.of(sentence(0, 10, "   "), sentence(10, 20, ""))));
    assertThat(chunker(256, 32).chunk(blank), empty());
  }

  @Test
  void longMonologueStaysWithinLimitWithOverlapAndLosesNothing() {
    List<Sentence> sentences = monologue(3000, 7);
    List<TranscriptTurn> turns = List.of(turn("c1", 3, "spk1", "Ann", sentences));
    SpeakerChunker chunker = chunker(256, 48);
    chunker.chunk(turns); // warm-up: native tokenizer load, JIT

    long t0 = System.nanoTime();
    List<SpeakerChunk> chunks = chunker.chunk(turns);
    long micros = (System.nanoTime() - t0) / 1000;
    System.out.printf("3000-word monologue -> %d chunks in %d us%n", chunks.size(), micros);
    assertThat("chunking 3000 words should take milliseconds", micros, lessThan(1_000_000L));

    assertWithinLimit(chunks, 256);
    assertSequentialIndices(chunks);
    assertThat(chunks.size(), greaterThan(10));

    int boundariesWithOverlap = 0;
    List<Integer> prev = null;
    boolean[] seen = new boolean[sentences.size()];
    for (SpeakerChunk c : chunks) {
      List<Integer> ids = sentenceIds(c);
      assertThat(ids.size(), greaterThanOrEqualTo(1));
      for (int k = 1; k < ids.size(); k++) {
        assertEquals(ids.get(k - 1) + 1, ids.get(k), "chunk sentences are contiguous");
      }
      for (int id : ids) {
        seen[id] = true;
      }
      // Offsets come from the first and last sentence.
      assertEquals(sentences.get(ids.get(0)).startMs(), c.startMs());
      assertEquals(sentences.get(ids.get(ids.size() - 1)).endMs(), c.endMs());
      assertEquals(3, c.turnIndex());
      assertEquals("spk1", c.speakerId());
      if (prev != null) {
        int prevFirst = prev.get(0);
        int prevLast = prev.get(prev.size() - 1);
        int first = ids.get(0);
        assertThat("no gap between chunks", first, lessThanOrEqualTo(prevLast + 1));
        assertThat("overlap is a proper suffix", first, greaterThan(prevFirst));
        int overlapTokens = 0;
        for (int id = first; id <= prevLast; id++) {
          overlapTokens += E5.countTokensWithoutSpecials(sentences.get(id).text());
        }
        assertThat(overlapTokens, lessThanOrEqualTo(48));
        if (first <= prevLast) {
          boundariesWithOverlap++;
        }
        // Maximal: one more trailing sentence would exceed the overlap (or be the whole chunk).
        if (first - 1 > prevFirst) {
          int more = overlapTokens + E5.countTokensWithoutSpecials(sentences.get(first - 1).text());
          int next = E5.countTokensWithoutSpecials(sentences.get(prevLast + 1).text());
          assertTrue(
              more > 48 || more + next > chunker.contentBudget(),
              "overlap could have taken sentence " + (first - 1));
        }
      }
      prev = ids;
    }
    for (int i = 0; i < seen.length; i++) {
      assertTrue(seen[i], "sentence " + i + " lost");
    }
    assertThat(boundariesWithOverlap, greaterThan(chunks.size() / 2));
  }

  @Test
  void zeroOverlapSharesNoSentences() {
    List<Sentence> sentences = monologue(1500, 11);
    List<SpeakerChunk> chunks = chunker(128, 0).chunk(List.of(turn("c1", 0, "a", "Ann", sentences)));
    assertWithinLimit(chunks, 128);
    int expectedNext = 0;
    for (SpeakerChunk c : chunks) {
      List<Integer> ids = sentenceIds(c);
      assertEquals(expectedNext, ids.get(0));
      expectedNext = ids.get(ids.size() - 1) + 1;
    }
    assertEquals(sentences.size(), expectedNext);
  }

  @Test
  void singleHugeSentenceIsSplitAtWordsWithInterpolatedOffsets() {
    String text = longSentence(800, 3);
    List<TranscriptTurn> turns =
        List.of(turn("c1", 0, "a", "Ann", List.of(sentence(100_000, 400_000, text))));
    List<SpeakerChunk> chunks = chunker(128, 16).chunk(turns);
    assertWithinLimit(chunks, 128);
    assertThat(chunks.size(), greaterThan(5));

    long prevStart = -1;
    long prevEnd = -1;
    for (SpeakerChunk c : chunks) {
      assertThat(c.startMs(), lessThan(c.endMs()));
      assertThat(c.startMs(), greaterThanOrEqualTo(prevStart));
      assertThat(c.endMs(), greaterThan(prevEnd));
      prevStart = c.startMs();
      prevEnd = c.endMs();
    }
    assertEquals(100_000, chunks.get(0).startMs());
    assertEquals(400_000, chunks.get(chunks.size() - 1).endMs());
    // Each chunk is a contiguous run of the sentence's words; together they cover all of them.
    String[] original = text.split(" ");
    int prevFrom = -1;
    int covered = 0;
    for (SpeakerChunk c : chunks) {
      String[] w = c.text().split(" ");
      int from = indexOf(original, w, prevFrom + 1);
      assertThat("no gap before chunk " + c.chunkIndex(), from, lessThanOrEqualTo(covered));
      covered = Math.max(covered, from + w.length);
      prevFrom = from;
    }
    assertEquals(original.length, covered, "all words covered in order");
  }

  private static int indexOf(String[] original, String[] w, int fromIndex) {
    outer:
    for (int at = fromIndex; at + w.length <= original.length; at++) {
      for (int i = 0; i < w.length; i++) {
        if (!original[at + i].equals(w[i])) {
          continue outer;
        }
      }
      return at;
    }
    throw new AssertionError("chunk words not found contiguously after word " + fromIndex);
  }

  @Test
  void pathologicalWordIsSplitAtCharacterBoundaries() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1500; i++) {
      sb.append((char) ('a' + i % 26)).append('-');
    }
    String word = sb.toString(); // 3000 chars, ~3000 tokens, no spaces
    List<SpeakerChunk> chunks =
        chunker(64, 0).chunk(List.of(turn("c1", 0, "a", "Ann", List.of(sentence(0, 3000, word)))));
    assertWithinLimit(chunks, 64);
    StringBuilder joined = new StringBuilder();
    long prevEnd = 0;
    for (SpeakerChunk c : chunks) {
      joined.append(c.text());
      assertThat(c.startMs(), greaterThanOrEqualTo(prevEnd));
      prevEnd = c.endMs();
    }
    assertEquals(word, joined.toString());
    assertEquals(3000, prevEnd);
  }

  @Test
  void speakersNeverMixAndAdjacentSameSpeakerTurnsMerge() {
    List<TranscriptTurn> turns =
        List.of(
            turn("c1", 0, "a", "Ann", List.of(sentence(0, 1000, "Hi, thanks for joining."))),
            turn("c1", 1, "a", "Ann", List.of(sentence(1200, 2000, "Can you hear me?"))),
            turn("c1", 2, "b", "Bob", List.of(sentence(2100, 3000, "Yes, loud and clear."))),
            turn("c1", 3, "b", "Bob", List.of(sentence(3000, 3100, "  "))),
            turn("c1", 4, "a", "Ann", List.of(sentence(3200, 4000, "Great."))),
            turn("c1", 5, "x", "Ann", List.of()), // blank turn: does not separate Ann's turns
            turn("c1", 6, "a", "Ann", List.of(sentence(4100, 5000, "Let's start."))),
            turn("c1", 7, null, "Unknown speaker", List.of(sentence(5100, 5200, "Mm-hmm."))),
            turn("c1", 8, null, "Unknown speaker", List.of(sentence(5300, 5400, "Okay."))));
    List<SpeakerChunk> chunks = chunker(256, 32).chunk(turns);
    assertWithinLimit(chunks, 256);
    assertSequentialIndices(chunks);
    assertEquals(5, chunks.size(), chunks.toString());

    assertEquals("Hi, thanks for joining. Can you hear me?", chunks.get(0).text());
    assertEquals("a", chunks.get(0).speakerId());
    assertEquals(0, chunks.get(0).turnIndex());
    assertEquals(0, chunks.get(0).startMs());
    assertEquals(2000, chunks.get(0).endMs());

    assertEquals("Yes, loud and clear.", chunks.get(1).text());
    assertEquals("b", chunks.get(1).speakerId());
    assertEquals("Bob", chunks.get(1).speakerName());
    assertEquals(2, chunks.get(1).turnIndex());

    assertEquals("Great. Let's start.", chunks.get(2).text());
    assertEquals(4, chunks.get(2).turnIndex());
    assertEquals(5000, chunks.get(2).endMs());

    assertEquals("Mm-hmm.", chunks.get(3).text());
    assertEquals("Okay.", chunks.get(4).text());
    assertEquals(null, chunks.get(4).speakerId());
    assertEquals("Unknown", chunks.get(4).affiliation());
    assertEquals(8, chunks.get(4).turnIndex());
    for (SpeakerChunk c : chunks) {
      assertEquals("c1", c.callId());
    }
  }

  @Test
  void mergedTurnsSplitAcrossTurnBoundaryCarryTheFirstSentencesTurn() {
    List<TranscriptTurn> turns =
        List.of(
            turn("c1", 0, "a", "Ann", monologue(200, 1)),
            turn("c1", 1, "a", "Ann", monologue(200, 2)));
    List<SpeakerChunk> chunks = chunker(64, 0).chunk(turns);
    assertWithinLimit(chunks, 64);
    assertEquals(0, chunks.get(0).turnIndex());
    assertEquals(1, chunks.get(chunks.size() - 1).turnIndex());
    // Offsets never go backwards with overlap 0 (turn 2's clock restarts in this synthetic data,
    // so only check within each turn).
    for (int i = 1; i < chunks.size(); i++) {
      if (chunks.get(i).turnIndex() == chunks.get(i - 1).turnIndex()) {
        assertThat(chunks.get(i).startMs(), greaterThanOrEqualTo(chunks.get(i - 1).endMs()));
      }
    }
  }

  @Test
  void rejectsTurnsOfSeveralCalls() {
    List<TranscriptTurn> turns =
        List.of(
            turn("c1", 0, "a", "Ann", List.of(sentence(0, 1, "Hi."))),
            turn("c2", 0, "a", "Ann", List.of(sentence(0, 1, "Hi."))));
    assertThrows(IllegalArgumentException.class, () -> chunker(256, 0).chunk(turns));
  }

  @Test
  void unicodeTextsCountAndChunkSafely() {
    List<String> texts =
        List.of(
            "Great call 😀👍🏽 — see you at the 東京 office, 谢谢!",
            "‏שלום‎ and مرحبا from the EMEA team.",
            "Café crème, naïve résumé: e\u0301 o\u0308 combining marks.",
            "Family 👨‍👩‍👧‍👦 and flag 🇺🇸 with zero\u200Dwidth\u200Bjoiners.",
            "\uD83D lonely surrogate and \u0000 control \u202E override.",
            "这是一个很长的中文句子没有空格".repeat(20));
    List<Sentence> sentences = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      sentences.add(sentence(i * 1000L, i * 1000L + 900, texts.get(i)));
    }
    List<SpeakerChunk> chunks = chunker(32, 8).chunk(List.of(turn("c1", 0, "a", "Ann", sentences)));
    assertWithinLimit(chunks, 32);
    String all = String.join(" ", chunks.stream().map(SpeakerChunk::text).toList());
    for (String t : texts.subList(0, 5)) {
      for (String w : t.split(" ")) {
        assertThat(all, containsString(w));
      }
    }
  }

  /**
   * A counter whose counts do not add up (each joining space costs a token): planning by sums
   * under-estimates, so the chunker must measure and shrink.
   */
  static final class SpacesCostTokens implements TokenCounter {
    @Override
    public int countTokens(String text) {
      int words = text.isBlank() ? 0 : text.strip().split("\\s+").length;
      int spaces = (int) text.chars().filter(ch -> ch == ' ').count();
      return 2 + words + spaces;
    }
  }

  @Test
  void neverEmitsOverLimitChunksEvenWhenSumsUnderestimate() {
    TokenCounter counter = new SpacesCostTokens();
    List<Sentence> sentences = monologue(2000, 5);
    sentences.add(sentence(9_000_000, 9_100_000, longSentence(300, 9)));
    SpeakerChunker chunker = new SpeakerChunker(counter, 64, 16, "passage: ");
    List<SpeakerChunk> chunks = chunker.chunk(List.of(turn("c1", 0, "a", "Ann", sentences)));
    assertSequentialIndices(chunks);
    String all = "";
    for (SpeakerChunk c : chunks) {
      assertEquals(counter.countTokens("passage: " + c.text()), c.tokenCount());
      assertThat(c.tokenCount(), lessThanOrEqualTo(64));
      all += " " + c.text();
    }
    for (Sentence s : sentences.subList(0, sentences.size() - 1)) {
      assertThat(all, containsString(s.text()));
    }
  }

  @Test
  void survivesJavaSerializationAsBeamWouldDo() throws Exception {
    SpeakerChunker original = chunker(200, 20);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(original);
    }
    SpeakerChunker copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (SpeakerChunker) in.readObject();
    }
    assertThat(bytes.size(), lessThan(2_000));
    List<TranscriptTurn> turns = List.of(turn("c1", 0, "a", "Ann", monologue(600, 4)));
    assertEquals(original.chunk(turns), copy.chunk(turns));
  }
}
