package com.gongpipeline.gong.sim;

import java.util.EnumSet;
import java.util.Set;

/**
 * The awkward calls a robust client must survive (see gong-api.md section 4). Placement is fixed:
 * calls are grouped in blocks of {@value #BLOCK} consecutive indices (rotated by the seed) and
 * each case owns a slot in every block, so every case occurs at least once in any catalogue of
 * {@value #BLOCK} or more calls and at least twice in one of 100. French and German alternate
 * between blocks for the second non-English slot. Ordinary calls may additionally be private,
 * have an unknown party or a 20-digit id at random.
 */
enum HardCase {
  /** {@code isPrivate: true}; integrations are expected to drop these. */
  PRIVATE("private", 5, 37),
  /** Imported via the "Upload API": no {@code parties} at all in /calls/extensive. */
  NO_PARTIES("no_parties", 3),
  /** Some monologues have {@code speakerId: null}. */
  NULL_SPEAKER("null_speaker", 31),
  /** {@code language: "zxx"} and {@code transcript: []}. */
  EMPTY_TRANSCRIPT("empty_transcript", 7),
  /** A 3000+ word monologue that includes a single sentence of 700+ words. */
  LONG_MONOLOGUE("long_monologue", 11),
  /** Spanish, French or German conversation ({@code spa}, {@code fre}, {@code ger}). */
  NON_ENGLISH("non_english", 13, 17),
  /** Spoken emails, phone numbers and an SSN-like number. */
  PII("pii", 19),
  /** Sentences that look like SQL injection. */
  SQL_TEXT("sql_text", 23),
  /** Emoji, accents, CJK, RTL scripts, a zero-width joiner and a combining mark. */
  UNICODE("unicode", 29),
  /** A party with affiliation Unknown, no email and {@code speakerId: null}. */
  UNKNOWN_PARTY("unknown_party", 41),
  /** A 20-digit call id, above {@link Long#MAX_VALUE}. */
  ID_ABOVE_LONG_MAX("id_above_long_max", 45);

  static final int BLOCK = 50;

  private final String wireName;
  private final int[] slots;

  HardCase(String wireName, int... slots) {
    this.wireName = wireName;
    this.slots = slots;
  }

  /** The name used in {@link GroundTruth#hardCases()}. */
  String wireName() {
    return wireName;
  }

  /** Position of call {@code index} inside its block, rotated by the seed. */
  static int slot(long seed, int index) {
    return Math.floorMod(index + Math.floorMod(seed * 7, BLOCK), BLOCK);
  }

  /** Which block the call is in (used to alternate French and German). */
  static int block(long seed, int index) {
    return Math.floorDiv(index + Math.floorMod(seed * 7, BLOCK), BLOCK);
  }

  /** The case whose fixed slot this call occupies, if any (at most one per call). */
  static Set<HardCase> fixedFor(long seed, int index) {
    int slot = slot(seed, index);
    for (HardCase c : values()) {
      for (int s : c.slots) {
        if (s == slot) {
          return EnumSet.of(c);
        }
      }
    }
    return EnumSet.noneOf(HardCase.class);
  }

  /** ISO-639-2B language of a NON_ENGLISH call: Spanish, then French/German by block parity. */
  static String foreignLanguage(long seed, int index) {
    if (slot(seed, index) == NON_ENGLISH.slots[0]) {
      return "spa";
    }
    return block(seed, index) % 2 == 0 ? "fre" : "ger";
  }
}
