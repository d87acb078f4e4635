package com.gongpipeline.gong.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Builds a {@link CallBody} from a {@link CallHeader}: the parties (1–3 internal Gong users of
 * the primary user's workspace, 1–4 prospects at the account's domain, sometimes an Unknown
 * dial-in), the call's facts, the transcript (via {@link ConversationWriter}) and the brief and
 * key points that summarise it. Everything is drawn from {@code header.bodySeed()}.
 */
final class CallBodyFactory {

  private static final String[] PROSPECT_FIRST = {"Jane", "Lee", "Carlos", "Anika", "Mohammed",
      "Sarah", "Pierre", "Yuki", "Olga", "David", "Lucía", "Ahmed", "Emma", "Raj", "Björn",
      "Chiara", "Kwame", "Isabelle", "Tom", "Mariana"};
  private static final String[] PROSPECT_LAST = {"Doe", "Buyer", "Hernández", "Johansson",
      "Al-Farsi", "Thompson", "Lefèvre", "Yamamoto", "Petrova", "Cohen", "Fernández", "Hassan",
      "Clarke", "Mehta", "Nilsson", "Bianchi", "Mensah", "Laurent", "Baker", "Souza"};
  private static final String[] PROSPECT_TITLES = {"VP of Revenue Operations",
      "Director of Sales", "CFO", "IT Security Lead", "Procurement Manager",
      "Head of Sales Enablement", "Chief Revenue Officer", "Sales Operations Analyst"};

  private final Directory directory;

  CallBodyFactory(Directory directory) {
    this.directory = directory;
  }

  CallBody create(CallHeader h) {
    Random r = new Random(h.bodySeed());
    List<SimParty> parties = h.has(HardCase.NO_PARTIES) ? List.of() : parties(h, r);
    String buyerName = parties.stream().filter(p -> "External".equals(p.affiliation()))
        .map(p -> p.name().split(" ")[0]).findFirst().orElse("there");
    CallFacts facts = new CallFacts(r, h.account(), buyerName, h.primaryUser().firstName());
    facts.putCodes(new Random(h.bodySeed() ^ CallFacts.CODES_SEED));
    if (h.has(HardCase.PII)) {
      addPii(r, facts, parties, h.account());
    }
    List<SimMonologue> transcript = new ConversationWriter(r, facts).write(h, parties);
    long lastEnd = transcript.isEmpty() ? 0 : transcript.get(transcript.size() - 1).endMs();
    long duration = transcript.isEmpty() ? 10 + r.nextInt(40)
        : (lastEnd + 999) / 1000 + 3 + r.nextInt(40);
    String brief = null;
    List<String> keyPoints = List.of();
    if (!h.themes().isEmpty()) {
      String summary = h.themes().stream()
          .map(t -> facts.fill(PhraseBook.BRIEF.get(t))).collect(Collectors.joining(" "));
      brief = h.gongAiSilent() ? null
          : facts.fill("{buyer} met with {seller} to discuss {product}. ") + summary
          + (h.language().equals("eng") ? "" : " The call was held in " + languageName(h.language()) + ".");
      keyPoints = h.themes().stream().filter(PhraseBook.KEY_POINT::containsKey)
          .map(t -> facts.fill(PhraseBook.KEY_POINT.get(t))).toList();
    }
    return new CallBody(parties, transcript, duration, facts, brief, keyPoints);
  }

  private List<SimParty> parties(CallHeader h, Random r) {
    List<SimParty> out = new ArrayList<>();
    List<SimUser> colleagues = directory.users().stream()
        .filter(u -> u.workspaceId().equals(h.workspaceId()) && !u.id().equals(h.primaryUser().id()))
        .toList();
    List<SimUser> internal = new ArrayList<>(List.of(h.primaryUser()));
    int extraInternal = Math.min(r.nextInt(3), colleagues.size());
    while (internal.size() < 1 + extraInternal) {
      SimUser u = colleagues.get(r.nextInt(colleagues.size()));
      if (!internal.contains(u)) {
        internal.add(u);
      }
    }
    for (SimUser u : internal) {
      out.add(new SimParty(Ids.digits(r, 15, 19), u.fullName(), u.email(), u.title(), u.id(),
          Ids.digits(r, 15, 19), "Internal", null, true, null));
    }
    int externals = 1 + r.nextInt(4);
    CrmAccount account = h.account();
    for (int e = 0; e < externals; e++) {
      String first = PROSPECT_FIRST[r.nextInt(PROSPECT_FIRST.length)];
      String last = PROSPECT_LAST[r.nextInt(PROSPECT_LAST.length)];
      String email = Directory.slug(first) + "." + Directory.slug(last) + "@" + account.domain();
      String phone = r.nextBoolean() ? null : "+1 " + (200 + r.nextInt(700)) + "-555-01" + (10 + r.nextInt(90));
      String contactId = account.salesforce() ? "0035g" + Directory.alnum(r, 13) : Ids.digits(r, 9, 9);
      out.add(new SimParty(Ids.digits(r, 15, 19), first + " " + last, email,
          PROSPECT_TITLES[r.nextInt(PROSPECT_TITLES.length)], null, Ids.digits(r, 15, 19),
          "External", phone, r.nextInt(4) != 0, contactId));
    }
    if (h.has(HardCase.UNKNOWN_PARTY)) {
      out.add(new SimParty(Ids.digits(r, 15, 19), "Unknown caller", null, null, null, null,
          "Unknown", "+1 (415) 555-01" + (10 + r.nextInt(90)), false, null));
    }
    return out;
  }

  private static void addPii(Random r, CallFacts facts, List<SimParty> parties, CrmAccount account) {
    SimParty prospect = parties.stream().filter(p -> "External".equals(p.affiliation()))
        .findFirst().orElseThrow();
    String email = prospect.email();
    String[] at = email.split("@");
    facts.put("piiEmail", email);
    facts.put("email", email);
    facts.put("spokenEmail", at[0].replace(".", " dot ") + " at " + at[1].replace(".", " dot "));
    String phone = "+1 (415) 555-01" + (10 + r.nextInt(90));
    facts.put("piiPhone", phone);
    facts.put("phone", phone);
    facts.put("phone2", "+44 20 7946 0" + (100 + r.nextInt(900)));
    String ssn = (100 + r.nextInt(565)) + "-" + (10 + r.nextInt(90)) + "-" + (1000 + r.nextInt(9000));
    facts.put("piiSsn", ssn);
    facts.put("ssn", ssn);
    facts.put("piiDomain", account.domain());
  }

  static String languageName(String iso6392b) {
    return switch (iso6392b) {
      case "spa" -> "Spanish";
      case "fre" -> "French";
      case "ger" -> "German";
      default -> iso6392b;
    };
  }
}
