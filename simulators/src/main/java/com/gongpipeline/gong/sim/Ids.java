package com.gongpipeline.gong.sim;

import java.math.BigInteger;
import java.util.Random;

/**
 * Numeric-string identifiers in Gong's style, derived from the seed without keeping any table.
 *
 * <p>A call id is a 12- or 13-digit prefix followed by a 7-digit suffix that encodes the call's
 * index through an invertible affine map mod 10^7, so {@link #callIndex} can go from id back to
 * index in O(1) and memory does not grow with the number of calls. Most ids have 19 digits and
 * fit a Java {@code long}; some have 20 digits and are larger than {@link Long#MAX_VALUE}
 * (hard case {@code id_above_long_max}). Other ids (users, parties, speakers, workspaces) are
 * 15–19 random digits drawn from the caller's seeded {@link Random}.
 */
final class Ids {

  private static final long MOD = 10_000_000L;
  private static final long MULTIPLIER = 7_654_321L; // coprime with 10, hence invertible mod 10^7
  private static final long INVERSE =
      BigInteger.valueOf(MULTIPLIER).modInverse(BigInteger.valueOf(MOD)).longValueExact();

  private final long seed;
  private final long salt;

  Ids(long seed) {
    this.seed = seed;
    this.salt = Math.floorMod(mix(seed, 0x5A17L), MOD);
  }

  /** SplitMix64 of two values: a cheap, well-spread deterministic hash. */
  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A numeric string of {@code minLen..maxLen} digits without a leading zero. */
  static String digits(Random random, int minLen, int maxLen) {
    int len = minLen + random.nextInt(maxLen - minLen + 1);
    StringBuilder sb = new StringBuilder(len);
    sb.append((char) ('1' + random.nextInt(9)));
    for (int i = 1; i < len; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }

  /** The id of call {@code index}; 20 digits when {@code wide}, else 19. */
  String callId(int index, boolean wide) {
    long h = Math.abs(mix(seed, index) % 1_000_000_000_000L);
    String prefix = wide
        ? Long.toString(1_000_000_000_000L + h % 8_999_999_999_999L)
        : Long.toString(100_000_000_000L + h % 800_000_000_000L);
    long suffix = Math.floorMod(index * MULTIPLIER + salt, MOD);
    return prefix + String.format("%07d", suffix);
  }

  /**
   * The index encoded in a call id's suffix, or -1 if the string cannot be a call id. The caller
   * must still check that {@code callId(index, …)} equals the id (the prefix is not verified here).
   */
  int candidateIndex(String id) {
    if (id == null || id.length() < 19 || id.length() > 20 || !id.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    long suffix = Long.parseLong(id.substring(id.length() - 7));
    long index = Math.floorMod((suffix - salt) * INVERSE, MOD);
    return (int) index;
  }
}
