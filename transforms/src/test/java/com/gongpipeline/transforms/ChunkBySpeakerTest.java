package com.gongpipeline.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.gongpipeline.chunking.E5Tokenizer;
import com.gongpipeline.enrich.LocalEnrichmentProvider;
import com.gongpipeline.errors.DeadLetter;
import com.gongpipeline.errors.StageResult;
import com.gongpipeline.model.CallContext;
import com.gongpipeline.model.CallFacts;
import com.gongpipeline.warehouse.ChildKeys;
import com.gongpipeline.model.ContextualChunk;
import com.gongpipeline.model.ParsedCall;
import com.gongpipeline.model.Sentence;
import com.gongpipeline.model.SpeakerChunk;
import com.gongpipeline.model.TranscriptTurn;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ChunkBySpeaker} on the DirectRunner with the real local provider, so chunks are sized by
 * e5-small-v2's own tokenizer. Both outputs are asserted in every test.
 */
class ChunkBySpeakerTest {
  @RegisterExtension final TestPipelineExtension pipelineExtension = TestPipelineExtension.create();

  private static final int MAX_TOKENS = 128;
  private static final int OVERLAP_TOKENS = 32;
  private static final Instant STARTED = Instant.parse("2025-03-04T15:00:00Z");

  private static final String EMAIL = "jordan.buyer@example.com";
  private static final String PHONE = "415-555-0134";
  private static final String SSN = "123-45-6789";

  private static final String[] WORDS = {
    "pricing", "renewal", "budget", "onboarding", "integration", "timeline", "quarter", "seats",
    "discount", "contract", "legal", "security", "procurement", "pilot", "metrics", "dashboard",
    "forecast", "champion", "implementation", "analytics", "coaching", "webhooks", "rollout"
  };

  /**
   * PII is redacted before chunking; a 1500-word monologue splits into overlapping chunks that fit
   * the window by the real tokenizer; indexes, speakers and offsets are carried; no dead letters.
   */
  @Test
  void redactsAndChunksWithinTheModelWindow(TestPipeline p) {
    String callId = "7782341906650093812";
    CallContext ctx = context(callId);
    List<Sentence> monologue = monologue(100, 60_000);
    List<TranscriptTurn> turns = List.of(
        new TranscriptTurn(callId, 0, "spk-ext", "Jordan Buyer", "External", "Intro", List.of(
            new Sentence(1_000, 4_000, "Hi, you can email me at " + EMAIL + " any time."),
            new Sentence(4_100, 7_000, "My direct line is " + PHONE + " if that is easier."))),
        new TranscriptTurn(callId, 1, "spk-int", "Avery Seller", "Internal", "Intro", List.of(
            new Sentence(7_500, 9_000, "Thanks Jordan, noted."))),
        new TranscriptTurn(callId, 2, "spk-ext", "Jordan Buyer", "External", "Security", List.of(
            new Sentence(9_500, 14_000,
                "For the background check my SSN is " + SSN + ", please keep it safe."))),
        new TranscriptTurn(callId, 3, "spk-int", "Avery Seller", "Internal", "Pricing",
            monologue),
        new TranscriptTurn(callId, 4, "spk-ext", "Jordan Buyer", "External", "Next Steps",
            List.of(new Sentence(monologue.get(99).endMs() + 500,
                monologue.get(99).endMs() + 2_000, "Sounds good, talk soon."))));
    ParsedCall call = new ParsedCall(ctx, callRow(callId), List.of(), List.of(), turns);

    PCollectionTuple tuple =
        p.apply(Create.of(call).withCoder(SerializableCoder.of(ParsedCall.class)))
            .apply(new ChunkBySpeaker(new LocalEnrichmentProvider(), MAX_TOKENS, OVERLAP_TOKENS));
    StageResult<ContextualChunk> result = ChunkBySpeaker.result(tuple);
    // The call's key set lists exactly its chunk ids, so older chunks beyond them get deleted.
    PAssert.that(tuple.get(ChunkBySpeaker.CHUNK_KEYS_OUT)).satisfies(all -> {
      List<ChildKeys> sets = new ArrayList<>();
      all.forEach(c -> sets.add(WarehouseRows.memoryKeys(c)));
      assertThat(sets, hasSize(1));
      assertThat(sets.get(0).parentId(), equalTo(callId));
      assertThat(sets.get(0).keepKeys().get(0), equalTo("gong:" + callId + ":0"));
      assertThat(sets.get(0).keepKeys().size(), equalTo(30));
      return null;
    });

    PAssert.that(result.output()).satisfies(all -> {
      List<SpeakerChunk> chunks = new ArrayList<>();
      for (ContextualChunk c : all) {
        assertThat(c.context(), equalTo(ctx));
        chunks.add(c.chunk());
      }
      chunks.sort(Comparator.comparingInt(SpeakerChunk::chunkIndex));
      E5Tokenizer tokenizer = new E5Tokenizer();

      // Indexes 0..n-1 over the whole call, in transcript order; every chunk fits the window.
      for (int i = 0; i < chunks.size(); i++) {
        SpeakerChunk c = chunks.get(i);
        assertThat(c.chunkIndex(), equalTo(i));
        assertThat(c.callId(), equalTo(callId));
        assertThat(c.tokenCount(), lessThanOrEqualTo(MAX_TOKENS));
        int real = tokenizer.countTokens("passage: " + c.text());
        assertThat(c.text(), real, equalTo(c.tokenCount()));
        assertThat(c.text(), real, lessThanOrEqualTo(MAX_TOKENS));
        if (i > 0) {
          assertThat(c.turnIndex(), greaterThanOrEqualTo(chunks.get(i - 1).turnIndex()));
        }
      }

      // PII: placeholders in, originals out, everywhere.
      for (SpeakerChunk c : chunks) {
        assertThat(c.text(), not(containsString(EMAIL)));
        assertThat(c.text(), not(containsString("example.com")));
        assertThat(c.text(), not(containsString(PHONE)));
        assertThat(c.text(), not(containsString("555")));
        assertThat(c.text(), not(containsString(SSN)));
        assertThat(c.text(), not(containsString("6789")));
      }
      Map<Integer, List<SpeakerChunk>> byTurn = new HashMap<>();
      for (SpeakerChunk c : chunks) {
        byTurn.computeIfAbsent(c.turnIndex(), k -> new ArrayList<>()).add(c);
      }
      assertThat(byTurn.keySet(), equalTo(Set.of(0, 1, 2, 3, 4)));
      SpeakerChunk first = only(byTurn.get(0));
      assertThat(first.text(), equalTo(
          "Hi, you can email me at [EMAIL] any time. My direct line is [PHONE] if that is easier."));
      assertSpeaker(first, "spk-ext", "Jordan Buyer", "External", 1_000, 7_000);
      assertSpeaker(only(byTurn.get(1)), "spk-int", "Avery Seller", "Internal", 7_500, 9_000);
      SpeakerChunk ssn = only(byTurn.get(2));
      assertThat(ssn.text(),
          equalTo("For the background check my SSN is [SSN], please keep it safe."));
      assertSpeaker(ssn, "spk-ext", "Jordan Buyer", "External", 9_500, 14_000);
      SpeakerChunk last = only(byTurn.get(4));
      assertThat(last.chunkIndex(), equalTo(chunks.size() - 1));
      assertThat(last.text(), equalTo("Sounds good, talk soon."));

      // The monologue: several chunks, each a run of whole consecutive sentences with their
      // offsets, consecutive chunks sharing sentences, and no sentence lost.
      List<SpeakerChunk> mono = byTurn.get(3);
      assertThat(mono.size(), greaterThan(5));
      Map<Long, Integer> sentenceByStart = new HashMap<>();
      for (int s = 0; s < monologue.size(); s++) {
        sentenceByStart.put(monologue.get(s).startMs(), s);
      }
      Set<Integer> covered = new HashSet<>();
      for (int k = 0; k < mono.size(); k++) {
        SpeakerChunk c = mono.get(k);
        assertThat(c.chunkIndex(), equalTo(mono.get(0).chunkIndex() + k));
        assertSpeaker(c, "spk-int", "Avery Seller", "Internal", c.startMs(), c.endMs());
        Integer from = sentenceByStart.get(c.startMs());
        assertThat("chunk " + c.chunkIndex() + " starts at a sentence start", from,
            not(nullValue()));
        int to = from;
        while (monologue.get(to).endMs() != c.endMs()) {
          to++; // walks off the end (and fails) if endMs is no sentence end
        }
        List<String> texts = new ArrayList<>();
        for (int s = from; s <= to; s++) {
          texts.add(monologue.get(s).text());
          covered.add(s);
        }
        assertThat(c.text(), equalTo(String.join(" ", texts)));
        if (k > 0) {
          SpeakerChunk prev = mono.get(k - 1);
          assertThat("chunk " + c.chunkIndex() + " overlaps its predecessor",
              c.startMs(), lessThan(prev.endMs()));
          assertThat(c.startMs(), greaterThan(prev.startMs()));
          assertThat(prev.text(), containsString(monologue.get(from).text()));
          assertThat(c.text(), startsWith(monologue.get(from).text()));
        }
      }
      assertThat(covered.size(), equalTo(monologue.size()));
      assertThat(mono.get(0).startMs(), equalTo(monologue.get(0).startMs()));
      assertThat(mono.get(mono.size() - 1).endMs(), equalTo(monologue.get(99).endMs()));
      return null;
    });
    PAssert.that(result.deadLetters()).empty();
    p.run().waitUntilFinish();
  }

  /**
   * A call whose turns belong to two call ids cannot be chunked: it becomes exactly one {@code
   * chunk} dead letter keyed by its call id (without its un-redacted text), while a good call in
   * the same bundle is chunked normally.
   */
  @Test
  void mixedCallBecomesOneDeadLetterAndGoodCallStillChunks(TestPipeline p) {
    String good = "1111111111111111111";
    String mixed = "2222222222222222222";
    ParsedCall goodCall = new ParsedCall(context(good), callRow(good), List.of(), List.of(),
        List.of(
            new TranscriptTurn(good, 0, "a", "Ann", "Internal", null,
                List.of(new Sentence(0, 1_000, "Hello there, call me on " + PHONE + "."))),
            new TranscriptTurn(good, 1, "b", "Bob", "External", null,
                List.of(new Sentence(1_200, 2_000, "Sure thing.")))));
    ParsedCall mixedCall = new ParsedCall(context(mixed), callRow(mixed), List.of(), List.of(),
        List.of(
            new TranscriptTurn(mixed, 0, "a", "Ann", "Internal", null,
                List.of(new Sentence(0, 1_000, "Write to " + EMAIL + " please."))),
            new TranscriptTurn("3333333333333333333", 1, "b", "Bob", "External", null,
                List.of(new Sentence(1_200, 2_000, "My SSN is " + SSN + ".")))));

    StageResult<ContextualChunk> result = ChunkBySpeaker.result(
        p.apply(Create.of(goodCall, mixedCall).withCoder(SerializableCoder.of(ParsedCall.class)))
            .apply(new ChunkBySpeaker(new LocalEnrichmentProvider(), MAX_TOKENS, OVERLAP_TOKENS)));

    PAssert.that(result.output()).satisfies(all -> {
      List<SpeakerChunk> chunks = new ArrayList<>();
      all.forEach(c -> chunks.add(c.chunk()));
      chunks.sort(Comparator.comparingInt(SpeakerChunk::chunkIndex));
      assertThat(chunks, hasSize(2));
      assertThat(chunks.get(0).callId(), equalTo(good));
      assertThat(chunks.get(0).text(), equalTo("Hello there, call me on [PHONE]."));
      assertThat(chunks.get(1).callId(), equalTo(good));
      assertThat(chunks.get(1).chunkIndex(), equalTo(1));
      assertThat(chunks.get(1).speakerName(), equalTo("Bob"));
      return null;
    });
    PAssert.that(result.deadLetters()).satisfies(all -> {
      List<DeadLetter> list = new ArrayList<>();
      all.forEach(list::add);
      assertThat(list, hasSize(1));
      DeadLetter d = list.get(0);
      assertThat(d.stage().stageName(), equalTo("chunk"));
      assertThat(d.recordKey(), equalTo(mixed));
      assertThat(d.errorMessage(), containsString("IllegalArgumentException"));
      assertThat(d.errorMessage(), containsString("3333333333333333333"));
      assertThat(d.errorMessage(), not(containsString(EMAIL)));
      assertThat(d.errorMessage(), not(containsString(SSN)));
      assertThat(d.payload(), nullValue());
      assertThat(d.attempts(), equalTo(1));
      return null;
    });
    p.run().waitUntilFinish();
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertSpeaker(SpeakerChunk c, String id, String name, String affiliation,
      long startMs, long endMs) {
    assertThat(c.speakerId(), equalTo(id));
    assertThat(c.speakerName(), equalTo(name));
    assertThat(c.affiliation(), equalTo(affiliation));
    assertThat(c.startMs(), equalTo(startMs));
    assertThat(c.endMs(), equalTo(endMs));
  }

  private static SpeakerChunk only(List<SpeakerChunk> chunks) {
    assertThat(chunks, hasSize(1));
    return chunks.get(0);
  }

  /** {@code n} unique 15-word sentences (plus a marker), 4 s apart, starting at {@code t0}. */
  private static List<Sentence> monologue(int n, long t0) {
    List<Sentence> out = new ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      StringBuilder sb = new StringBuilder("Point");
      for (int w = 0; w < 14; w++) {
        sb.append(' ').append(WORDS[(s * 7 + w * 3) % WORDS.length]);
      }
      sb.append(", marker M").append(s).append('.');
      long start = t0 + s * 4_000L;
      out.add(new Sentence(start, start + 3_600, sb.toString()));
    }
    return out;
  }

  private static CallContext context(String callId) {
    return new CallContext(callId, "Renewal with Contoso", STARTED, "eng", "Contoso", "hs-deal-1",
        "hs-co-1", "006-opp", "ws-1", "https://app.gong.io/call?id=" + callId);
  }

  private static CallFacts callRow(String callId) {
    return new CallFacts(callId, "Renewal with Contoso", STARTED, null, null, null, null, null,
        null, null, null, null, null, false, null, null, null, null, null, null, null, null, null,
        "[]", "[]", 0, 0, 0, 0, "job-chunk", STARTED);
  }
}
