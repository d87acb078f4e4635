package com.gongpipeline.gong.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code contentSelector} of {@code POST /v2/calls/extensive}: which CRM context (None, Basic
 * links, Extended links with field values, at which timings) and which exposed fields to return.
 * Content and interaction flags are kept as the set of names that were {@code true}.
 */
record ContentSelector(
    String context,
    List<String> contextTiming,
    boolean parties,
    Set<String> content,
    Set<String> interaction,
    boolean publicComments,
    boolean media) {

  static ContentSelector parse(JsonNode selector) {
    if (selector == null || selector.isNull()) {
      return new ContentSelector("None", List.of("Now"), false, Set.of(), Set.of(), false, false);
    }
    String context = selector.path("context").asText("None");
    if (!Set.of("None", "Basic", "Extended").contains(context)) {
      throw ApiException.badRequest("contentSelector.context must be one of None, Basic, Extended");
    }
    List<String> timing = new ArrayList<>();
    for (JsonNode t : selector.path("contextTiming")) {
      if (!Set.of("Now", "TimeOfCall").contains(t.asText())) {
        throw ApiException.badRequest("contentSelector.contextTiming values must be Now or TimeOfCall");
      }
      if (!timing.contains(t.asText())) {
        timing.add(t.asText());
      }
    }
    if (timing.isEmpty()) {
      timing.add("Now");
    }
    JsonNode exposed = selector.path("exposedFields");
    return new ContentSelector(context, List.copyOf(timing), exposed.path("parties").asBoolean(false),
        trueFields(exposed.path("content")), trueFields(exposed.path("interaction")),
        exposed.path("collaboration").path("publicComments").asBoolean(false),
        exposed.path("media").asBoolean(false));
  }

  private static Set<String> trueFields(JsonNode object) {
    Set<String> out = new TreeSet<>();
    object.fields().forEachRemaining(e -> {
      if (e.getValue().asBoolean(false)) {
        out.add(e.getKey());
      }
    });
    return out;
  }

  boolean wantsContext() {
    return !"None".equals(context);
  }

  boolean extended() {
    return "Extended".equals(context);
  }
}
