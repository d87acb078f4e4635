package com.gongpipeline.gong.sim;

import java.util.List;
import java.util.Map;

/**
 * English B2B sales conversation templates per {@link Theme}, split by side (seller = internal,
 * buyer = external). Slots in braces are filled from the call's facts ({@link CallFacts}), so a
 * call that mentions a competitor always mentions the same one, and its brief, key points and
 * ground-truth facts agree with the transcript: semantic search over the text has true answers.
 * Each theme also has an "anchor" line that states the theme's fact outright and is always used.
 */
final class PhraseBook {

  private PhraseBook() {}

  static final Map<Theme, List<String>> SELLER = Map.of(
      Theme.SMALL_TALK, List.of(
          "Hey {buyerName}, good to see you again, how was your weekend?",
          "Thanks for making the time today, I know it's a busy week for you.",
          "How's the weather over in {city}? I heard it's been {weather}.",
          "Did you end up catching the game on Sunday?",
          "I just got back from a trip to {travelCity}, still a little jet-lagged to be honest.",
          "Before we dive in, how's the team doing after the reorg?",
          "Can everyone hear me okay? My connection has been a bit flaky today.",
          "I promise we'll keep this to the thirty minutes we booked."),
      Theme.DISCOVERY, List.of(
          "So to make sure I understand, what's driving the evaluation right now?",
          "How is your team handling call reviews and coaching today?",
          "Who else is involved in the decision on your side?",
          "What would success look like six months after rollout?",
          "Roughly how many people would be using {product} day to day?",
          "Walk me through what happens today when a rep finishes a customer call.",
          "Is there a budget already allocated for this, or is that still being worked out?"),
      Theme.PRICING, List.of(
          "On pricing, the list price is {listPrice} per seat per month on the annual plan.",
          "For {seats} seats that comes to roughly {annualCost} a year before any discount, that's quote {quoteId}.",
          "If you can commit to a three-year term, I can bring that down meaningfully.",
          "We usually don't discount the platform fee, but we have flexibility on seats.",
          "Let me put together a proposal with a couple of pricing options.",
          "The multi-year option also locks your price, so there's no uplift at renewal."),
      Theme.COMPETITION, List.of(
          "Are you looking at any other vendors as part of this evaluation?",
          "We hear about {competitor} a lot, and the main difference is how we handle {differentiator}.",
          "A few customers switched to us from {competitor} last year because of reporting.",
          "Happy to set up a reference call with a customer who migrated off {competitor}.",
          "What did you like about the {competitor} demo?"),
      Theme.SECURITY, List.of(
          "On the security side, we're SOC 2 Type II certified and I can share the report under NDA.",
          "We support SSO through SAML with Okta, Azure AD and OneLogin.",
          "We'll sign your DPA, or you can use our standard one which already covers GDPR.",
          "All data is encrypted at rest with AES-256 and in transit with TLS 1.2 or higher.",
          "I'll send over our completed security questionnaire so your team can get a head start.",
          "Our last penetration test was in the spring and there were no critical findings."),
      Theme.IMPLEMENTATION, List.of(
          "You'd get a dedicated onboarding manager for the first ninety days.",
          "The {integration} integration is native, it usually takes less than a day to connect.",
          "We'd start with a pilot team, then roll out to the rest of the org in waves.",
          "Training is a couple of live sessions plus on-demand videos for new hires.",
          "Most of the configuration is done by our team, your admin just approves the connection."),
      Theme.NEXT_STEPS, List.of(
          "I'll loop in our solutions engineer for the technical deep dive.",
          "Can you introduce me to someone in legal so we can start the review in parallel?",
          "I'll send a recap email with everything we covered today.",
          "Let me know if anything changes on your side before then."));

  static final Map<Theme, List<String>> BUYER = Map.of(
      Theme.SMALL_TALK, List.of(
          "Pretty good, we finally had a quiet weekend, took the kids hiking.",
          "It's been {weather} here all week, so I'm glad to be inside on calls.",
          "Yeah, I can hear you fine, you're a little quiet but it's okay.",
          "I was traveling last week for our offsite in {travelCity}, so I'm catching up.",
          "No worries, we have a hard stop at the top of the hour.",
          "Ha, don't get me started on the game, it was painful to watch.",
          "All good here, just the usual end-of-quarter chaos."),
      Theme.DISCOVERY, List.of(
          "Honestly the main problem is that our reps spend hours every week on manual notes.",
          "Right now it's a mix of spreadsheets and a homegrown dashboard that nobody trusts.",
          "We're looking at roughly {seats} seats across sales and customer success.",
          "Our VP of Sales is the economic buyer, and IT has to sign off on anything new.",
          "Success for us would be cutting ramp time for new reps by about a third.",
          "We tried building something internally last year and it never got past the pilot.",
          "The budget is approved for this fiscal year, but it's tight."),
      Theme.PRICING, List.of(
          "To be honest, that's higher than we budgeted, we were expecting something closer to {targetPrice}.",
          "Our procurement team will push hard on the per-seat price, they already opened {poNumber} for it.",
          "Can we start with a smaller pilot and ramp the seat count later?",
          "We'd prefer annual payments rather than paying the whole multi-year term up front.",
          "The price is a concern but the value is there if we can get the ramp right."),
      Theme.COMPETITION, List.of(
          "{competitor} showed us a pretty slick demo of their forecasting module last week.",
          "Our team used {competitor} at a previous company and had mixed feelings about it.",
          "The thing {competitor} does well is the mobile app, so that's the bar for us.",
          "We're comparing you against {competitor} and {competitor2} right now.",
          "Honestly, if {competitor} comes in cheaper we'll have a hard time justifying the difference."),
      Theme.SECURITY, List.of(
          "Our security team will need to do a full vendor review before we can sign.",
          "Do you have a current SOC 2 Type II report, and when was the last penetration test?",
          "SSO with SAML is a hard requirement for us, we can't roll out anything without it.",
          "Legal will want to redline the DPA, that usually takes a couple of weeks.",
          "How do you handle data retention and deletion when a customer churns?"),
      Theme.IMPLEMENTATION, List.of(
          "Who on our side needs to be involved in the implementation?",
          "We don't have a lot of admin bandwidth, so onboarding support is important.",
          "Does the {integration} integration sync both ways, or is it read-only?",
          "The last tool we rolled out took six months, so we're a bit gun-shy."),
      Theme.NEXT_STEPS, List.of(
          "Sounds good, I'll share it with our CFO once it comes in.",
          "I need to run this by procurement first, then we can talk about the contract.",
          "Legal review will probably take two weeks once we have the paper.",
          "Great, thanks for the time today, talk soon."));

  /**
   * What the customer side says in a call that goes badly or well ({@link CallMood}), mixed into
   * the theme lines after the small talk. Written as people talk: complaints with and without
   * sentiment words ("we've decided to go with {competitor}"), negations ("not what we were
   * promised"), hedged praise; no line is said twice in a call.
   */
  static final Map<CallMood, List<String>> MOOD_BUYER = Map.of(
      CallMood.ESCALATION, List.of(
          "I'll be blunt, the last three weeks have been a disaster for my team.",
          "Your {integration} sync has been down since Tuesday and nobody on your side has called us back.",
          "We opened priority ticket {ticketId} eight days ago and we're still waiting on a real answer.",
          "I'm honestly furious, my reps lost a whole week of call notes.",
          "This is not what we were promised when we signed, not even close.",
          "I had to explain to my VP why the dashboards are wrong again, and frankly it's embarrassing.",
          "Every time we escalate we get a canned response and a link to the help center.",
          "If this isn't fixed by Friday I'm going over your head to your CEO.",
          "My team has stopped trusting the data, and I can't blame them.",
          "We're paying for premium support and getting worse service than the free tier.",
          "I'm tired of hearing that engineering is looking into it.",
          "Three outages in one month is simply unacceptable for a tool we depend on.",
          "Nobody on my side wants to log in anymore, the whole thing feels broken.",
          "I don't want another apology, I want a date when this will actually work.",
          "Frankly, I regret pushing for this purchase internally."),
      CallMood.CHURN_THREAT, List.of(
          "I'll be straight with you, we're seriously considering not renewing in {quarter}.",
          "Adoption has been poor, fewer than a third of the seats are actually used.",
          "My CFO looked at the invoice and asked me why we're still paying for this.",
          "We haven't seen the value we were sold, ramp time hasn't improved at all.",
          "If nothing changes before the renewal date, we'll cancel the contract.",
          "Honestly, the team finds it clunky and most of them went back to their spreadsheets.",
          "I'm under pressure to cut tools that aren't pulling their weight, and this one is at the top of the list.",
          "We were told onboarding would take {weeks} weeks and we're still not fully live after six months.",
          "Your renewal quote went up again, which is hard to swallow given how little we use it.",
          "I can't justify the spend to leadership anymore.",
          "Several of our managers have asked to switch to something simpler.",
          "I'm disappointed, because I really wanted this to work.",
          "Unless you can show me a real plan, I'm going to recommend we walk away.",
          "The reporting still doesn't match what's in {integration}, so nobody uses it."),
      CallMood.LOST_TO_COMPETITOR, List.of(
          "I wanted to tell you directly that we've decided to go with {competitor}.",
          "It was a close call, but {competitor} came in well under your price.",
          "Our team felt {competitor} was easier to use, and that ended up being the deciding factor.",
          "Unfortunately the committee voted against moving forward with {seller}.",
          "I'm sorry to be the bearer of bad news after all the work you put in.",
          "Your proposal was simply too expensive compared to what {competitor} offered.",
          "To be honest, your security review dragged on and {competitor} was already approved.",
          "We won't be moving forward, the contract with {competitor} was signed yesterday.",
          "I pushed for you internally, but I lost that argument.",
          "The feedback from the pilot group was that your product felt clunky next to {competitor}.",
          "There's no point in another demo at this stage, the decision is final.",
          "Maybe we can revisit in a year or two, but for now it's a no.",
          "I know this is disappointing to hear."),
      CallMood.STALLED, List.of(
          "Honestly, I don't have good news, the project has been put on hold.",
          "We're in a hiring freeze and every new purchase is frozen until further notice.",
          "I haven't been able to get time with our VP for weeks, it's stuck on her desk.",
          "Procurement has gone quiet and I can't get a straight answer on when they'll review it.",
          "The budget we were counting on got pulled into another initiative.",
          "I'm frustrated too, I really thought we'd have signed by now.",
          "The reorg has made everything slower, nobody wants to own the decision.",
          "I can't commit to a timeline, it could be next quarter or it could be never.",
          "Legal keeps pushing it down the list and there's nothing I can do to speed it up.",
          "It's difficult to keep momentum when leadership keeps changing priorities.",
          "I'd hold off on sending anything new, nobody will look at it right now.",
          "I'm not optimistic we'll get a decision this year.",
          "Sorry, I know that's not what you wanted to hear."),
      CallMood.DELIGHTED, List.of(
          "I have to say, the pilot went better than any of us expected.",
          "My reps love it, a few of them told me it's the best tool we've rolled out in years.",
          "Our new hires ramped noticeably faster, the coaching workflows are a real win.",
          "The {integration} integration just works, our admin set it up in an afternoon.",
          "Your support team has been fantastic, every question got an answer the same day.",
          "Leadership is thrilled with the forecast accuracy so far.",
          "It's been a pleasure working with your team on this.",
          "We're excited to expand to the customer success team next quarter.",
          "The dashboards are clear and people actually trust the numbers now.",
          "I've already recommended {product} to two friends at other companies.",
          "Everything you promised during the evaluation has held up, which is refreshing.",
          "I'm genuinely impressed with how smooth the rollout was.",
          "Thanks again, this has made my job a lot easier."),
      CallMood.READY_TO_BUY, List.of(
          "Good news, our VP signed off on the budget yesterday.",
          "We're ready to move forward, the team is really excited about this.",
          "The security review came back clean, so we're clear to proceed.",
          "Your proposal looks great, and the pricing works for us.",
          "We'd love to get started as soon as possible, ideally before the {quarter} kickoff.",
          "Everyone who saw the demo was enthusiastic, it's an easy decision for us.",
          "Compared with {competitor}, your product is clearly the stronger fit.",
          "I'm confident we'll have the signed contract back to you this week.",
          "This is exactly what we've been looking for, thank you for your patience.",
          "Our CFO was happy with the multi-year option, it gives us the certainty we wanted.",
          "I really appreciate how responsive you've been throughout.",
          "Let's make this happen, I'm looking forward to the kickoff."));

  /** What the seller side says in a call that goes badly ({@code negative}) or well. */
  static final Map<String, List<String>> MOOD_SELLER = Map.of(
      "negative", List.of(
          "I'm really sorry, that's not the experience we want you to have.",
          "I completely understand your frustration, and you're right to raise it.",
          "I hear you, and I'm not going to make excuses.",
          "That's disappointing to hear, but I appreciate you telling me directly.",
          "Let me get our head of support on a call with you tomorrow.",
          "Is there anything at all that would change the decision?",
          "I'm sorry we let you down on this.",
          "I'll follow up with engineering today and send you a status every morning.",
          "That's fair feedback, and it's painful to hear.",
          "If it helps, I can bring in our VP of customer success."),
      "positive", List.of(
          "That's wonderful to hear, thank you for sharing it.",
          "Fantastic, the team will be thrilled.",
          "I'm glad the pilot went so well, your team did a great job driving adoption.",
          "Great, I'll get the paperwork ready today.",
          "We're excited to partner with you on this.",
          "Love it, that's exactly the outcome we were hoping for.",
          "Thanks, that means a lot coming from you.",
          "Perfect, let's keep the momentum going."));

  /** The lines of a mood for one side, or null when the mood says nothing special (neutral). */
  static List<String> moodLines(CallMood mood, boolean seller) {
    if (mood == CallMood.NEUTRAL) {
      return null;
    }
    return seller ? MOOD_SELLER.get(mood.label()) : MOOD_BUYER.get(mood);
  }

  /** Lines that state a theme's fact outright; the first monologue of the theme always uses one. */
  static final Map<Theme, String> ANCHOR = Map.of(
      Theme.SMALL_TALK, "Good morning {buyerName}, how are things in {city}?",
      Theme.DISCOVERY, "We're looking at roughly {seats} seats across sales and customer success.",
      Theme.PRICING, "Is there any room for a discount? Procurement will want at least {discount} percent off list before we sign.",
      Theme.COMPETITION, "Full transparency, we're also evaluating {competitor}, and they're further along in the process.",
      Theme.SECURITY, "Some of our customers are regulated, so data residency in {region} is a must, and we need SSO with SAML.",
      Theme.IMPLEMENTATION, "Our main concern is the timeline: your team said implementation takes about {weeks} weeks, and we need to be live before the {quarter} kickoff.",
      Theme.NEXT_STEPS, "So for next steps, {nextStepLine}");

  /** Which side speaks the anchor line (true = seller/internal). */
  static boolean anchorBySeller(Theme theme) {
    return theme == Theme.SMALL_TALK || theme == Theme.NEXT_STEPS;
  }

  /** The summary sentence a theme contributes to the call's {@code brief}. */
  static final Map<Theme, String> BRIEF = Map.of(
      Theme.SMALL_TALK, "The call opened with some small talk about {city}.",
      Theme.DISCOVERY, "{buyer} described their current process and a rollout of about {seats} seats.",
      Theme.PRICING, "{buyer} pushed back on the {listPrice} list price and asked for a {discount}% discount.",
      Theme.COMPETITION, "{competitor} is the main competitor in the evaluation.",
      Theme.SECURITY, "Security review items included SOC 2 Type II, SSO/SAML, a DPA and data residency in {region}.",
      Theme.IMPLEMENTATION, "The team discussed an implementation and onboarding plan of about {weeks} weeks, including the {integration} integration.",
      Theme.NEXT_STEPS, "Next step: {nextStep}.");

  /** The key point a theme contributes to {@code keyPoints}. */
  static final Map<Theme, String> KEY_POINT = Map.of(
      Theme.DISCOVERY, "{buyer} is evaluating {product} for about {seats} seats.",
      Theme.PRICING, "Buyer asked for a {discount}% discount off the {listPrice} list price.",
      Theme.COMPETITION, "Competing against {competitor}.",
      Theme.SECURITY, "Security review required: SOC 2 Type II, SAML SSO, DPA, data residency in {region}.",
      Theme.IMPLEMENTATION, "Implementation estimated at {weeks} weeks.",
      Theme.NEXT_STEPS, "Agreed next step: {nextStep} by {followDay}.");

  /** Short acknowledgements used once a theme's lines are used up, as real turns often are. */
  static final List<String> BACKCHANNEL = List.of("Right.", "Got it.", "Okay, that makes sense.",
      "Mm-hmm.", "Yeah, exactly.", "Sure, go ahead.", "Understood.", "That's fair.",
      "Interesting, tell me more.", "Okay, noted.", "Yes.", "Sorry, go on.");

  static final List<String> PII = List.of(
      "You can reach me at {email} or {phone}.",
      "If email is easier it's {spokenEmail}, all lower case.",
      "My direct line is {phone2}, the office number goes to a switchboard.",
      "HR asked for the contractor's social security number for the badge, it's {ssn}, please don't write that down.");

  static final List<String> SQL = List.of(
      "One of our testers named his account Robert'); DROP TABLE STG_GONG_CALLS; -- as a joke, so please make sure your system escapes input.",
      "Our analyst literally runs SELECT * FROM users WHERE 1=1 against the replica every morning.");

  static final List<String> UNICODE = List.of(
      "Great to meet the team from Zoë's office in Zürich 🇨🇭, the café there is amazing ☕.",
      "Our Tokyo colleagues wrote the requirements in Japanese: 東京の営業チームが担当します。",
      "The Hebrew greeting is שלום עולם and the Arabic one is مرحبا بالعالم, so right-to-left text matters.",
      "Our developer lead 👩‍💻 wants family emoji like 👨‍👩‍👧 to survive the export intact.",
      "The contact's name is spelled Jose\u0301 with a combining accent, not the precomposed José.",
      "Pricing in euros is €12.50 and in yen ¥1,800, so naïve currency handling will break 🚀👍.");
}
