package com.gongpipeline.gong.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The concrete values one call talks about (competitor, discount asked, seat count, data region,
 * next step, …), drawn once per call and used for every template slot, the brief, the key points
 * and the ground truth. Only {@link #PUBLIC_KEYS} are exposed as ground-truth facts.
 */
final class CallFacts {

  static final List<String> COMPETITORS = List.of("Quillstack", "Vantora", "Brightlane",
      "Ostrava Data", "Kestrel Analytics", "Nimbalyst");
  private static final String[] CITIES = {"Denver", "Chicago", "Austin", "Boston", "Seattle",
      "London", "Berlin", "Lisbon", "Toronto", "Singapore", "Sydney", "Dublin"};
  private static final String[] WEATHER = {"raining nonstop", "unusually warm", "freezing",
      "snowing on and off", "really windy", "sunny all week"};
  private static final String[] REGIONS = {"Frankfurt", "Ireland", "the EU", "Canada",
      "Australia", "the UK"};
  private static final String[] INTEGRATIONS = {"Salesforce", "HubSpot", "Snowflake", "Slack",
      "Zoom", "Microsoft Teams"};
  private static final String[] DIFFERENTIATORS = {"forecasting accuracy", "call search",
      "coaching workflows", "data privacy controls", "CRM sync"};
  private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
  private static final String[][] NEXT_STEPS = {
      {"send proposal", "I'll send over the proposal with both pricing options by {followDay}."},
      {"follow-up meeting", "let's get a follow-up meeting on the calendar for {followDay} with your team."},
      {"legal review", "we'll send the MSA and DPA to your legal team for review by {followDay}."},
      {"security review", "I'll share the SOC 2 report and security questionnaire by {followDay} so your security team can start."},
      {"technical deep dive", "we'll set up a technical deep dive with our solutions engineer on {followDay}."}};

  static final List<String> PUBLIC_KEYS = List.of("competitor", "discountPercent", "seats",
      "listPrice", "dataResidencyRegion", "implementationWeeks", "integration", "nextStep",
      "followUpDay", "city");

  private static final Pattern SLOT = Pattern.compile("\\{([A-Za-z0-9]+)}");

  private final Map<String, String> slots = new LinkedHashMap<>();

  CallFacts(Random random, CrmAccount account, String buyerName, String sellerName) {
    int c = random.nextInt(COMPETITORS.size());
    int seats = 25 * (2 + random.nextInt(80));
    int price = 45 + 5 * random.nextInt(20);
    int discount = 5 * (2 + random.nextInt(6));
    String day = DAYS[random.nextInt(DAYS.length)];
    String[] next = NEXT_STEPS[random.nextInt(NEXT_STEPS.length)];
    slots.put("competitor", COMPETITORS.get(c));
    slots.put("competitor2", COMPETITORS.get((c + 1 + random.nextInt(COMPETITORS.size() - 1))
        % COMPETITORS.size()));
    slots.put("discountPercent", Integer.toString(discount));
    slots.put("discount", Integer.toString(discount));
    slots.put("seats", Integer.toString(seats));
    slots.put("listPrice", "$" + price);
    slots.put("targetPrice", "$" + (price - 10) + " a seat");
    slots.put("annualCost", String.format("$%,d", 12L * price * seats));
    slots.put("dataResidencyRegion", REGIONS[random.nextInt(REGIONS.length)]);
    slots.put("region", slots.get("dataResidencyRegion"));
    slots.put("implementationWeeks", Integer.toString(4 + random.nextInt(13)));
    slots.put("weeks", slots.get("implementationWeeks"));
    slots.put("integration", INTEGRATIONS[random.nextInt(INTEGRATIONS.length)]);
    slots.put("differentiator", DIFFERENTIATORS[random.nextInt(DIFFERENTIATORS.length)]);
    slots.put("followUpDay", "next " + day);
    slots.put("followDay", "next " + day);
    slots.put("nextStep", next[0]);
    slots.put("nextStepLine", next[1]);
    slots.put("city", CITIES[random.nextInt(CITIES.length)]);
    slots.put("travelCity", CITIES[random.nextInt(CITIES.length)]);
    slots.put("weather", WEATHER[random.nextInt(WEATHER.length)]);
    slots.put("quarter", "Q" + (1 + random.nextInt(4)));
    slots.put("buyer", account.name());
    slots.put("buyerShort", account.shortName());
    slots.put("buyerName", buyerName);
    slots.put("sellerName", sellerName);
    slots.put("seller", Directory.SELLER);
    slots.put("product", Directory.PRODUCT);
  }

  /** Mixed into a call's body seed for {@link #putCodes}. */
  static final long CODES_SEED = 0x5EEDC0DEL;

  /**
   * The exact codes a call may say (quote {@code Q-48213}, purchase order {@code PO-77312},
   * support ticket {@code INC-20931}): the tokens dense models rank poorly and keyword search
   * finds. Drawn from their own {@code random} (not the call's), so adding them changed no other
   * value of a call; each is said only where a template has its slot.
   */
  void putCodes(Random random) {
    slots.put("quoteId", "Q-" + (10_000 + random.nextInt(90_000)));
    slots.put("poNumber", "PO-" + (10_000 + random.nextInt(90_000)));
    slots.put("ticketId", "INC-" + (10_000 + random.nextInt(90_000)));
  }

  /** Adds or replaces a slot value (e.g. the PII strings of a {@code pii} call). */
  void put(String key, String value) {
    slots.put(key, value);
  }

  String get(String key) {
    return slots.get(key);
  }

  /** Replaces every {slot} (recursively, so a slot value may contain slots). */
  String fill(String template) {
    String out = template;
    for (int depth = 0; depth < 3 && out.indexOf('{') >= 0; depth++) {
      Matcher m = SLOT.matcher(out);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String value = slots.getOrDefault(m.group(1), m.group(0));
        m.appendReplacement(sb, Matcher.quoteReplacement(value));
      }
      m.appendTail(sb);
      out = sb.toString();
    }
    return out;
  }

  /** The ground-truth facts: {@link #PUBLIC_KEYS} plus any PII values put in. */
  Map<String, String> publicFacts() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : PUBLIC_KEYS) {
      out.put(k, slots.get(k));
    }
    for (String k : List.of("piiEmail", "piiPhone", "piiSsn")) {
      if (slots.containsKey(k)) {
        out.put(k, slots.get(k));
      }
    }
    return out;
  }
}
