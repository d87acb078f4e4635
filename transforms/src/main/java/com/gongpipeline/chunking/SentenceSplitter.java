package com.gongpipeline.chunking;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits one sentence that is too long for a chunk into pieces of at most {@code budget} tokens
 * (without special tokens): at word boundaries, and only for a single "word" that alone exceeds the
 * budget (a URL, a digit run, text without spaces) at character (grapheme) boundaries.
 */
final class SentenceSplitter {
  private SentenceSplitter() {}

  static List<Unit> split(Unit u, int budget, TokenCounter counter) {
    String text = u.text;
    List<int[]> spans = wordSpans(text);
    List<String> words = new ArrayList<>(spans.size());
    for (int[] s : spans) {
      words.add(text.substring(s[0], s[1]));
    }
    int[] wordTokens = counter.countTokensWithoutSpecials(words);

    List<Unit> out = new ArrayList<>();
    int pieceStart = -1;
    int pieceEnd = -1;
    int sum = 0;
    for (int i = 0; i < spans.size(); i++) {
      int[] span = spans.get(i);
      if (wordTokens[i] > budget) {
        if (pieceStart >= 0) {
          out.add(u.piece(pieceStart, pieceEnd, sum));
          pieceStart = -1;
        }
        splitWord(u, span[0], span[1], budget, counter, out);
        continue;
      }
      if (pieceStart >= 0 && sum + wordTokens[i] > budget) {
        out.add(u.piece(pieceStart, pieceEnd, sum));
        pieceStart = -1;
      }
      if (pieceStart < 0) {
        pieceStart = span[0];
        sum = 0;
      }
      pieceEnd = span[1];
      sum += wordTokens[i];
    }
    if (pieceStart >= 0) {
      out.add(u.piece(pieceStart, pieceEnd, sum));
    }
    return out;
  }

  /** Greedy longest prefixes that fit, found by binary search over grapheme boundaries. */
  private static void splitWord(
      Unit u, int from, int to, int budget, TokenCounter counter, List<Unit> out) {
    String text = u.text;
    int[] bounds = graphemeBounds(text, from, to);
    int p = 0;
    while (p < bounds.length - 1) {
      int lo = p + 1; // always take at least one grapheme, so the loop progresses
      int hi = bounds.length - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (counter.countTokensWithoutSpecials(text.substring(bounds[p], bounds[mid])) <= budget) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      String piece = text.substring(bounds[p], bounds[lo]);
      out.add(u.piece(bounds[p], bounds[lo], counter.countTokensWithoutSpecials(piece)));
      p = lo;
    }
  }

  private static int[] graphemeBounds(String text, int from, int to) {
    BreakIterator it = BreakIterator.getCharacterInstance(Locale.ROOT);
    it.setText(text.substring(from, to));
    List<Integer> bounds = new ArrayList<>();
    for (int b = it.first(); b != BreakIterator.DONE; b = it.next()) {
      bounds.add(from + b);
    }
    int[] arr = new int[bounds.size()];
    for (int i = 0; i < arr.length; i++) {
      arr[i] = bounds.get(i);
    }
    return arr;
  }

  /** [start, end) of each run of non-whitespace characters. */
  static List<int[]> wordSpans(String text) {
    List<int[]> spans = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && isSpace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        spans.add(new int[] {start, i});
      }
    }
    return spans;
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
