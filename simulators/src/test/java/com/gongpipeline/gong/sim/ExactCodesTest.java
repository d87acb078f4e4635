package com.gongpipeline.gong.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The exact codes a search eval asks for (purchase orders, support tickets, quotes) are spoken in
 * the simulator's transcripts, each call's codes its own and the same on every generation.
 */
class ExactCodesTest {
  private static final Pattern CODE = Pattern.compile("\\b(PO|INC|Q)-\\d{5}\\b");

  private static Map<String, Set<String>> codesByCall(GroundTruth gt) {
    Map<String, Set<String>> out = new HashMap<>();
    for (GroundTruth.Call call : gt.calls()) {
      call.monologues().stream().flatMap(m -> m.sentences().stream()).forEach(s -> {
        Matcher m = CODE.matcher(s.text());
        while (m.find()) {
          out.computeIfAbsent(call.callId(), k -> new HashSet<>()).add(m.group());
        }
      });
    }
    return out;
  }

  @Test
  void callsSayTheirOwnCodesDeterministically() {
    Map<String, Set<String>> codes = codesByCall(SentimentEval.corpus(42, 60));
    Set<String> kinds = new HashSet<>();
    codes.values().forEach(s -> s.forEach(c -> kinds.add(c.substring(0, c.indexOf('-')))));
    assertThat(kinds, equalTo(Set.of("PO", "INC", "Q")));
    assertThat(codes.size(), greaterThan(10));
    assertThat(codesByCall(SentimentEval.corpus(42, 60)), equalTo(codes));
  }
}
