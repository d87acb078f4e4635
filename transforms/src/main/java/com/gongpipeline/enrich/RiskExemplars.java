package com.gongpipeline.enrich;

import java.util.List;
import java.util.Map;

/**
 * The labelled exemplar sentences of the zero-shot risk classifier ({@link RiskClassifier}): what a
 * customer says when a deal is at risk, per category of {@link RiskClassifier#CATEGORIES}, and
 * ordinary sales talk that voices no risk ({@link #NONE}, including topics mentioned without a
 * risk: "the security review came back clean"). Written by hand, in words of their own: none is a
 * line of the simulator's phrase book, so the held-out figures measure paraphrase, not recall of
 * the generator's templates.
 */
public final class RiskExemplars {
  private RiskExemplars() {}

  /** Risk exemplars per category. */
  public static final Map<String, List<String>> BY_CATEGORY = Map.of(
      "pricing", List.of(
          "That price is more than we can afford right now.",
          "The cost is too high for our budget, we need a discount.",
          "Your quote came in far above what we planned to spend.",
          "We can't justify paying that much per user.",
          "Finance won't approve the spend at this price point.",
          "We need a lower price or better payment terms to move forward.",
          "The total contract value is a problem for our budget this year.",
          "Budget is tight and the fees are too expensive for us."),
      "competitor", List.of(
          "We are also evaluating another vendor and they are cheaper.",
          "A competitor offered us a better deal and a free trial.",
          "The other company's product has features you don't have.",
          "We are leaning toward a rival solution at the moment.",
          "Another provider showed us a stronger demo last week.",
          "Some of our team prefer the competing tool they used before.",
          "We're running a side-by-side comparison with a different vendor.",
          "The alternative vendor can deploy faster than you."),
      "security_legal", List.of(
          "Our security team has to complete a vendor risk assessment first.",
          "Legal needs to review and redline the contract terms.",
          "We require SOC 2 compliance and a penetration test report.",
          "Data privacy and GDPR requirements must be met before we sign.",
          "Our lawyers have concerns about liability and indemnity clauses.",
          "Compliance requires that our data stays in our region.",
          "We need single sign-on and encryption before infosec approves.",
          "The data processing agreement has to be negotiated by counsel."),
      "timeline", List.of(
          "We have a hard deadline and can't wait months to go live.",
          "The project start will be delayed until next quarter.",
          "Rollout taking too long would make us miss our launch date.",
          "The decision keeps slipping and there's no date yet.",
          "We need to be up and running within a few weeks.",
          "Implementation time is a concern for our schedule.",
          "Everything is on hold for now, timing is uncertain.",
          "Signing will be pushed out past the end of the year."),
      "stakeholder", List.of(
          "I need approval from my boss before anything can happen.",
          "The executive sponsor hasn't been involved yet.",
          "Our champion left the company and nobody owns this now.",
          "A committee has to sign off and they meet rarely.",
          "The decision maker is someone else, and they're not convinced.",
          "Procurement and IT both have to approve this purchase.",
          "Leadership changes mean new people must review the decision.",
          "I can't get time with the VP who controls the budget."),
      "churn_risk", List.of(
          "We are thinking about canceling when our contract renews.",
          "Nobody on the team uses the product anymore.",
          "We're unhappy with the service and may switch to something else.",
          "The tool hasn't delivered the value we paid for.",
          "We might not renew the subscription next year.",
          "Our management wants to drop this product and cut costs.",
          "We are very frustrated, it keeps breaking and support is slow.",
          "We may reduce our licenses because adoption is so low.",
          "The outages and lost data have destroyed our trust in your platform.",
          "I regret recommending this purchase, it has been a headache.",
          "My people gave up on it and went back to the old way of working.",
          "Your support never answers our tickets and we're fed up.",
          "I'm going to escalate to your executives because this keeps failing.",
          "We aren't getting our money's worth and the CFO wants to cancel."),
      "product_gap", List.of(
          "Your product is missing a feature we really need.",
          "We need an integration that you don't support yet.",
          "The reporting can't do what our managers require.",
          "Without that capability the tool won't work for our team.",
          "Does it support this use case? We can't buy it otherwise.",
          "The lack of customization is a dealbreaker for us.",
          "We require language support that isn't available today.",
          "There's no way to export our data, which we must have."));

  /** Sales talk that voices no risk. */
  public static final List<String> NONE = List.of(
      "Thanks for joining, how was your weekend?",
      "Great to meet everyone on the team today.",
      "Let me share my screen and walk you through the dashboard.",
      "That sounds good, please send the recap after the call.",
      "We're really happy with the results so far.",
      "The team loves using it every day.",
      "Our reps spend a lot of time writing notes after calls.",
      "How many people would use the product?",
      "We currently track our calls in a spreadsheet.",
      "The security review came back clean and we're good to go.",
      "Your product is a much better fit than the other option we saw.",
      "We'd like to get started with onboarding next week.",
      "Okay, that makes sense, thank you.",
      "Can you tell me more about how coaching works?",
      "I'll forward the proposal to my colleague.",
      "We're excited to roll this out to more teams.",
      "Who from our team should join the onboarding sessions?",
      "Does the connector update records in both directions?",
      "We don't have many admins, so help with setup matters to us.",
      "Sorry, go ahead, I didn't mean to interrupt.",
      "The match last night was rough to watch, we lost again.",
      "We built a small tool ourselves once but it didn't go anywhere.",
      "Right now our managers review a few recordings each week.",
      "I'll be traveling next week, so let's keep it short.");
}
