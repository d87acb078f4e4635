package com.gongpipeline.gong.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deal risks a customer voices, in the fixed taxonomy of {@link #CATEGORIES}, and the ground
 * truth of which customer sentences voice which risk.
 *
 * <p>Two sources of risk sentences: {@link #LINES}, written for this purpose (several phrasings per
 * category, few sharing a keyword), which {@link ConversationWriter} weaves into customer turns
 * consistently with the turn's theme and the call's mood; and the customer lines of {@link
 * PhraseBook} that already voice a risk (a price objection, a competitor named, a legal review),
 * tagged in {@link #TAGGED}. A customer sentence is labelled with a category exactly when its
 * template is one of these; lines that merely mention a topic without a risk ("the security
 * review came back clean") are not labelled.
 */
final class RiskBook {

  private RiskBook() {}

  /** The taxonomy, in its canonical order. */
  static final List<String> CATEGORIES = List.of("pricing", "competitor", "security_legal",
      "timeline", "stakeholder", "churn_risk", "product_gap");

  /** Customer-side sentences voicing one risk each. */
  static final Map<String, List<String>> LINES = Map.of(
      "pricing", List.of(
          "Honestly the number you sent over is well above what finance signed off on.",
          "We simply can't make that price work at our size.",
          "Our budget for this line item is about half of what you quoted.",
          "Finance is going to balk at an annual commitment that large.",
          "If the cost per seat doesn't come down, I don't see this getting approved.",
          "The quote is steep, especially with the implementation fee on top.",
          "We'd need a much better rate to make the business case add up.",
          "Paying for every seat up front is a non-starter for us this year.",
          "My CFO thinks we'd be overpaying compared with what we spend on similar tools.",
          "Is there any flexibility on the platform fee? It eats most of our budget."),
      "competitor", List.of(
          "{competitor} offered us a free pilot for three months, so you'd have to match that.",
          "We already have a trial running with {competitor2} in parallel.",
          "A couple of my managers are pushing for {competitor} because they used it before.",
          "The {competitor} rep told us they can have us live in half the time.",
          "Frankly {competitor} bundles with our CRM, which makes them hard to beat.",
          "The other vendor we're talking to includes forecasting at no extra cost.",
          "We got a competing proposal last week that undercuts you on several points.",
          "Leadership asked me why we shouldn't just go with {competitor}."),
      "security_legal", List.of(
          "Our CISO won't approve anything that stores call recordings outside the EU.",
          "The liability cap in your MSA is going to be a sticking point with our lawyers.",
          "We'll need a signed BAA before any patient data goes anywhere near your system.",
          "Our infosec questionnaire is about three hundred questions, and they won't skip any of it.",
          "Legal flagged the indemnification clause, they want it rewritten.",
          "We had a vendor breach last year, so every sub-processor of yours will be scrutinised.",
          "Recording consent laws in a few of our states are a real concern for our counsel.",
          "Until the pen test results are reviewed, compliance won't let us sign."),
      "timeline", List.of(
          "We need this live before the end of the quarter, otherwise it slips to next year.",
          "Our team is slammed until after the holidays, so realistically we can't start before February.",
          "If rollout takes longer than a month, we'll miss the sales kickoff entirely.",
          "The signature is likely to slip a few weeks because of the year-end freeze.",
          "I'm worried the integration work will push our go-live back.",
          "We can't afford a long onboarding, our busy season starts in eight weeks.",
          "Realistically a decision won't happen before next quarter.",
          "Our deadline is fixed, the board expects this in place by the spring."),
      "stakeholder", List.of(
          "I'll need to get our CRO on board, and she hasn't seen any of this yet.",
          "Our new VP just started and wants to review every vendor decision herself.",
          "The person who championed this internally left the company last month.",
          "IT has veto power here, and they're not in this conversation yet.",
          "Honestly the final call sits with our CFO, and I have little visibility into his thinking.",
          "There's a steering committee that meets once a month, so everything has to go through them.",
          "My boss is skeptical, so I'll need ammunition to convince him.",
          "Procurement will insist on a formal RFP before anyone can sign."),
      "churn_risk", List.of(
          "If things don't improve, we'll be looking at alternatives when the contract is up.",
          "Half the team has stopped logging in, and leadership has noticed.",
          "We're reviewing every tool in the stack ahead of renewal, and this one is under scrutiny.",
          "I'm not sure I can make the case to keep this after our renewal date.",
          "Our usage has dropped off a cliff since the last release.",
          "Leadership asked me to prepare a plan to replace this platform.",
          "Unless adoption picks up soon, we'll cut the seat count sharply at renewal.",
          "We've been burned by this product one too many times."),
      "product_gap", List.of(
          "The one thing missing for us is a native integration with our dialer.",
          "Without Spanish transcription this won't work for half of our reps.",
          "We need custom fields in the reporting, and right now that isn't possible.",
          "Does it work offline on mobile? Our field reps are often without signal.",
          "Our managers want scorecards they can customise, and the current ones are too rigid.",
          "We really need an API to export the data into our warehouse, and I didn't see one.",
          "The lack of role-based permissions is a blocker for our compliance team.",
          "Forecasting by product line is something we can't do without."));

  /** Existing customer lines of {@link PhraseBook} that voice a risk, with their categories. */
  static final Map<String, List<String>> TAGGED = tagged();

  private static Map<String, List<String>> tagged() {
    Map<String, List<String>> t = new LinkedHashMap<>();
    t.put("Our VP of Sales is the economic buyer, and IT has to sign off on anything new.",
        List.of("stakeholder"));
    t.put("The budget is approved for this fiscal year, but it's tight.", List.of("pricing"));
    PhraseBook.BUYER.get(Theme.PRICING).forEach(l -> t.put(l, List.of("pricing")));
    PhraseBook.BUYER.get(Theme.COMPETITION).forEach(l -> t.put(l, List.of("competitor")));
    t.put("Honestly, if {competitor} comes in cheaper we'll have a hard time justifying the difference.",
        List.of("competitor", "pricing"));
    PhraseBook.BUYER.get(Theme.SECURITY).forEach(l -> t.put(l, List.of("security_legal")));
    t.put("The last tool we rolled out took six months, so we're a bit gun-shy.",
        List.of("timeline"));
    t.put("I need to run this by procurement first, then we can talk about the contract.",
        List.of("stakeholder"));
    t.put("Legal review will probably take two weeks once we have the paper.",
        List.of("security_legal", "timeline"));
    t.put(PhraseBook.ANCHOR.get(Theme.PRICING), List.of("pricing"));
    t.put(PhraseBook.ANCHOR.get(Theme.COMPETITION), List.of("competitor"));
    t.put(PhraseBook.ANCHOR.get(Theme.SECURITY), List.of("security_legal"));
    t.put(PhraseBook.ANCHOR.get(Theme.IMPLEMENTATION), List.of("timeline"));
    PhraseBook.MOOD_BUYER.get(CallMood.ESCALATION).forEach(l -> t.put(l, List.of("churn_risk")));
    PhraseBook.MOOD_BUYER.get(CallMood.CHURN_THREAT).forEach(l -> t.put(l, List.of("churn_risk")));
    t.put("Your renewal quote went up again, which is hard to swallow given how little we use it.",
        List.of("churn_risk", "pricing"));
    t.put("The reporting still doesn't match what's in {integration}, so nobody uses it.",
        List.of("churn_risk", "product_gap"));
    for (String l : PhraseBook.MOOD_BUYER.get(CallMood.LOST_TO_COMPETITOR)) {
      if (l.contains("{competitor}")) {
        t.put(l, List.of("competitor"));
      }
    }
    t.put("It was a close call, but {competitor} came in well under your price.",
        List.of("competitor", "pricing"));
    t.put("Your proposal was simply too expensive compared to what {competitor} offered.",
        List.of("competitor", "pricing"));
    t.put("To be honest, your security review dragged on and {competitor} was already approved.",
        List.of("competitor", "security_legal"));
    t.put("I pushed for you internally, but I lost that argument.", List.of("stakeholder"));
    t.put("Honestly, I don't have good news, the project has been put on hold.",
        List.of("timeline"));
    t.put("We're in a hiring freeze and every new purchase is frozen until further notice.",
        List.of("timeline", "pricing"));
    t.put("I haven't been able to get time with our VP for weeks, it's stuck on her desk.",
        List.of("stakeholder"));
    t.put("Procurement has gone quiet and I can't get a straight answer on when they'll review it.",
        List.of("stakeholder"));
    t.put("The budget we were counting on got pulled into another initiative.",
        List.of("pricing"));
    t.put("The reorg has made everything slower, nobody wants to own the decision.",
        List.of("stakeholder"));
    t.put("I can't commit to a timeline, it could be next quarter or it could be never.",
        List.of("timeline"));
    t.put("Legal keeps pushing it down the list and there's nothing I can do to speed it up.",
        List.of("timeline"));
    t.put("It's difficult to keep momentum when leadership keeps changing priorities.",
        List.of("stakeholder"));
    t.put("I'm not optimistic we'll get a decision this year.", List.of("timeline"));
    return t;
  }

  /**
   * The risk categories a customer turn of this theme can voice in a call of this mood, in the
   * order they are tried; empty when the turn voices none (small talk, a call that goes well
   * only voices mild, practical risks).
   */
  static List<String> candidates(Theme theme, CallMood mood) {
    List<String> out = new ArrayList<>(switch (theme) {
      case SMALL_TALK -> List.<String>of();
      case DISCOVERY -> List.of("stakeholder", "product_gap");
      case PRICING -> List.of("pricing");
      case COMPETITION -> List.of("competitor");
      case SECURITY -> List.of("security_legal");
      case IMPLEMENTATION -> List.of("timeline", "product_gap");
      case NEXT_STEPS -> List.of("stakeholder", "timeline");
    });
    if (theme == Theme.SMALL_TALK) {
      return out;
    }
    switch (mood) {
      case ESCALATION, CHURN_THREAT -> out.add("churn_risk");
      case LOST_TO_COMPETITOR -> out.add("competitor");
      case STALLED -> {
        out.add("stakeholder");
        out.add("timeline");
      }
      case DELIGHTED, READY_TO_BUY -> out.removeIf(c -> c.equals("competitor")
          || c.equals("pricing") || c.equals("stakeholder"));
      default -> { }
    }
    return List.copyOf(new LinkedHashSet<>(out));
  }

  /** Every labelled template filled with the call's facts, to its categories. */
  static Map<String, Set<String>> labelled(CallFacts facts) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    LINES.forEach((cat, lines) -> lines.forEach(
        l -> out.computeIfAbsent(facts.fill(l), k -> new LinkedHashSet<>()).add(cat)));
    TAGGED.forEach((l, cats) -> out.computeIfAbsent(facts.fill(l), k -> new LinkedHashSet<>())
        .addAll(cats));
    return out;
  }
}
