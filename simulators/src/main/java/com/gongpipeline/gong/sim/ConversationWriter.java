package com.gongpipeline.gong.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Writes one call's transcript: 15–60 monologues of 1–6 sentences, mostly alternating between a
 * seller (internal) and a prospect (external) speaker, walking through the call's themes in order
 * and stating each theme's fact at least once. A call that goes badly or well ({@link CallMood})
 * mixes its mood's lines into every theme after the small talk. Hard cases are then woven in (PII, SQL-looking
 * text, odd Unicode, a 3000+ word monologue, null speakers) and finally every sentence gets
 * monotonically increasing millisecond timings with talk-speed-like durations.
 */
final class ConversationWriter {

  private static final Theme[] FOREIGN_THEMES = {Theme.SMALL_TALK, Theme.SMALL_TALK,
      Theme.DISCOVERY, Theme.PRICING, Theme.PRICING, Theme.COMPETITION, Theme.SECURITY,
      Theme.SECURITY, Theme.IMPLEMENTATION, Theme.NEXT_STEPS, Theme.NEXT_STEPS,
      Theme.IMPLEMENTATION};
  static final int LONG_MONOLOGUE_MIN_WORDS = 3000;
  static final int LONG_SENTENCE_MIN_WORDS = 700;

  /** A monologue before timings are assigned. */
  private static final class Draft {
    String speakerId;
    final boolean seller;
    final Theme theme;
    final List<String> texts = new ArrayList<>();

    Draft(String speakerId, boolean seller, Theme theme) {
      this.speakerId = speakerId;
      this.seller = seller;
      this.theme = theme;
    }
  }

  private final Random r;
  private final CallFacts facts;

  ConversationWriter(Random random, CallFacts facts) {
    this.r = random;
    this.facts = facts;
  }

  List<SimMonologue> write(CallHeader h, List<SimParty> parties) {
    if (h.has(HardCase.EMPTY_TRANSCRIPT)) {
      return List.of();
    }
    List<String> sellers = speakerIds(parties, true);
    List<String> buyers = speakerIds(parties, false);
    if (parties.isEmpty()) { // uploaded call: speakers Gong could not match to any party
      sellers = List.of(Ids.digits(r, 15, 19));
      buyers = List.of(Ids.digits(r, 15, 19));
    }
    int count = 15 + r.nextInt(46);
    List<Draft> drafts = h.language().equals("eng")
        ? english(h.themes(), CallMood.of(h), count, sellers, buyers)
        : foreign(h.language(), count, sellers, buyers);
    if (h.language().equals("eng")) {
      voiceRisks(drafts, CallMood.of(h), new Random(h.bodySeed() ^ 0x815C5L));
    }
    if (h.has(HardCase.PII)) {
      inject(drafts, false, PhraseBook.PII.subList(0, 2));
      inject(drafts, false, PhraseBook.PII.subList(2, 4));
    }
    if (h.has(HardCase.SQL_TEXT)) {
      PhraseBook.SQL.forEach(line -> inject(drafts, r.nextBoolean(), List.of(line)));
    }
    if (h.has(HardCase.UNICODE)) {
      PhraseBook.UNICODE.forEach(line -> inject(drafts, r.nextBoolean(), List.of(line)));
    }
    if (h.has(HardCase.LONG_MONOLOGUE)) {
      Draft target = pick(drafts, true, drafts.size() / 2);
      target.texts.clear();
      target.texts.addAll(longMonologue());
    }
    if (h.has(HardCase.NULL_SPEAKER)) {
      for (int k = 0, n = 2 + r.nextInt(3); k < n; k++) {
        drafts.get(1 + r.nextInt(drafts.size() - 1)).speakerId = null;
      }
    }
    return time(drafts, h.language().equals("eng"));
  }

  private List<Draft> english(List<Theme> themes, CallMood mood, int count,
      List<String> sellers, List<String> buyers) {
    List<Draft> drafts = new ArrayList<>();
    Set<String> used = new HashSet<>();
    Theme anchorPending = null;
    boolean seller = false;
    String lastSpeaker = null;
    for (int j = 0; j < count; j++) {
      Theme theme = themes.get(j * themes.size() / count);
      boolean lastOfTheme = j == count - 1 || themes.get((j + 1) * themes.size() / count) != theme;
      if (j == 0 || theme != drafts.get(j - 1).theme) {
        anchorPending = theme;
      }
      // Usually the other side answers; sometimes a second person of the same side chimes in.
      if (j == 0 || r.nextInt(7) != 0 || (seller ? sellers : buyers).size() < 2) {
        seller = !seller;
      }
      List<String> side = seller ? sellers : buyers;
      String speaker = side.get(r.nextInt(side.size()));
      if (speaker.equals(lastSpeaker)) {
        speaker = side.get((side.indexOf(speaker) + 1) % side.size());
      }
      Draft d = new Draft(speaker, seller, theme);
      int sentences = 1 + r.nextInt(6);
      if (anchorPending != null && (PhraseBook.anchorBySeller(theme) == seller || lastOfTheme)) {
        String anchor = facts.fill(PhraseBook.ANCHOR.get(theme));
        d.texts.add(anchor);
        used.add(anchor);
        anchorPending = null;
        sentences--;
      }
      List<String> pool = (seller ? PhraseBook.SELLER : PhraseBook.BUYER).get(theme);
      // A call that goes badly or well says so after the small talk: about 4 in 10 customer
      // sentences and 1 in 4 seller sentences come from the mood's lines while they last.
      List<String> moodPool = theme == Theme.SMALL_TALK ? null : PhraseBook.moodLines(mood, seller);
      for (int s = 0; s < sentences; s++) {
        String line = moodPool != null && r.nextInt(20) < (seller ? 5 : 8)
            ? fresh(moodPool, used) : null;
        if (line == null) {
          line = fresh(pool, used);
        }
        if (line == null) {
          break;
        }
        d.texts.add(line);
      }
      if (d.texts.isEmpty()) {
        d.texts.add(PhraseBook.BACKCHANNEL.get(r.nextInt(PhraseBook.BACKCHANNEL.size())));
      }
      drafts.add(d);
      lastSpeaker = speaker;
    }
    return drafts;
  }

  /**
   * Weaves {@link RiskBook#LINES} into customer turns: each customer turn after the small talk
   * voices, with a probability that depends on the mood (0.4 in a call that goes badly, 0.3 in a
   * businesslike one, 0.15 in one that goes well), one risk its theme and the mood make plausible
   * ({@link RiskBook#candidates}), at a random place in the turn. Drawn from its own generator so
   * the rest of the transcript stays what it was; only the timings after an insertion move.
   */
  private void voiceRisks(List<Draft> drafts, CallMood mood, Random rr) {
    int percent = mood.negative() ? 40 : mood == CallMood.NEUTRAL ? 30 : 15;
    Set<String> used = new HashSet<>();
    drafts.forEach(d -> used.addAll(d.texts));
    for (Draft d : drafts) {
      if (d.seller) {
        continue;
      }
      List<String> candidates = RiskBook.candidates(d.theme, mood);
      if (candidates.isEmpty() || rr.nextInt(100) >= percent) {
        continue;
      }
      List<String> pool = RiskBook.LINES.get(candidates.get(rr.nextInt(candidates.size())));
      int start = rr.nextInt(pool.size());
      for (int k = 0; k < pool.size(); k++) {
        String line = facts.fill(pool.get((start + k) % pool.size()));
        if (used.add(line)) {
          d.texts.add(rr.nextInt(d.texts.size() + 1), line);
          break;
        }
      }
    }
  }

  /** A random line of the pool not yet said in this call, or null when all have been said. */
  private String fresh(List<String> pool, Set<String> used) {
    int start = r.nextInt(pool.size());
    for (int k = 0; k < pool.size(); k++) {
      String line = facts.fill(pool.get((start + k) % pool.size()));
      if (used.add(line)) {
        return line;
      }
    }
    return null;
  }

  private List<Draft> foreign(String language, int count, List<String> sellers,
      List<String> buyers) {
    List<String> lines = ForeignPhrases.LINES.get(language);
    List<String> backchannel = ForeignPhrases.BACKCHANNEL.get(language);
    List<Draft> drafts = new ArrayList<>();
    int pos = 0;
    // The lines are said once, in order; then the call winds down with a few acknowledgements.
    for (int j = 0; j < 15 + count % 4; j++) {
      boolean seller = j % 2 == 0;
      List<String> side = seller ? sellers : buyers;
      boolean said = pos >= lines.size();
      Draft d = new Draft(side.get(r.nextInt(side.size())), seller,
          said ? Theme.NEXT_STEPS : FOREIGN_THEMES[pos]);
      for (int s = 0, n = r.nextInt(4) == 0 ? 2 : 1; s < n && pos < lines.size(); s++, pos++) {
        d.texts.add(facts.fill(lines.get(pos)));
      }
      if (said) {
        d.texts.add(backchannel.get(r.nextInt(backchannel.size())));
      }
      drafts.add(d);
    }
    return drafts;
  }

  /** Appends lines to a random monologue of the given side (not the first one). */
  private void inject(List<Draft> drafts, boolean seller, List<String> templates) {
    Draft d = pick(drafts, seller, 1 + r.nextInt(drafts.size() - 1));
    templates.forEach(t -> d.texts.add(Math.min(d.texts.size(), 1), facts.fill(t)));
  }

  /** The first draft of the wanted side at or after {@code from} (wrapping), else any draft. */
  private static Draft pick(List<Draft> drafts, boolean seller, int from) {
    for (int k = 0; k < drafts.size(); k++) {
      Draft d = drafts.get((from + k) % drafts.size());
      if (d.seller == seller && (from + k) % drafts.size() != 0) {
        return d;
      }
    }
    return drafts.get(from % drafts.size());
  }

  /** 3000+ words of seller talk, with one 700+ word run-on sentence early on. */
  private List<String> longMonologue() {
    List<String> pool = new ArrayList<>();
    PhraseBook.SELLER.values().forEach(pool::addAll);
    pool.sort(null); // Map.of iteration order is unspecified; keep generation deterministic
    List<String> out = new ArrayList<>();
    int words = 0;
    while (words < LONG_MONOLOGUE_MIN_WORDS) {
      String s = facts.fill(pool.get(r.nextInt(pool.size())));
      out.add(s);
      words += wordCount(s);
    }
    StringBuilder run = new StringBuilder("Let me walk you through the whole picture end to end");
    while (wordCount(run.toString()) < LONG_SENTENCE_MIN_WORDS) {
      String s = facts.fill(pool.get(r.nextInt(pool.size())));
      s = s.substring(0, s.length() - 1);
      if (!(s.startsWith("I ") || s.startsWith("I'"))) {
        s = Character.toLowerCase(s.charAt(0)) + s.substring(1);
      }
      run.append(", and ").append(s);
    }
    out.add(Math.min(5, out.size()), run.append('.').toString());
    return out;
  }

  private List<SimMonologue> time(List<Draft> drafts, boolean english) {
    List<SimMonologue> out = new ArrayList<>();
    long t = 400 + r.nextInt(2500);
    for (Draft d : drafts) {
      List<SimSentence> sentences = new ArrayList<>();
      for (String text : d.texts) {
        long perWord = 260 + r.nextInt(160);
        long duration = Math.max(wordCount(text) * perWord, text.length() * 45L) + 150;
        sentences.add(new SimSentence(t, t + duration, text));
        t += duration + 40 + r.nextInt(450);
      }
      String topic = english && r.nextInt(10) == 0 ? d.theme.displayName() : null;
      out.add(new SimMonologue(d.speakerId, topic, d.theme, List.copyOf(sentences)));
      t += 200 + r.nextInt(1200);
    }
    return out;
  }

  private static List<String> speakerIds(List<SimParty> parties, boolean internal) {
    return parties.stream().filter(p -> p.speakerId() != null)
        .filter(p -> internal ? p.internal() : "External".equals(p.affiliation()))
        .map(SimParty::speakerId).toList();
  }

  static int wordCount(String text) {
    String trimmed = text.trim();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }
}
