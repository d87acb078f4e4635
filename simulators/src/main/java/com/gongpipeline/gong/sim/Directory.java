package com.gongpipeline.gong.sim;

import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * The slowly-changing reference data of one simulated tenant: workspaces, Gong users (plus two
 * avatars) and the ~25 customer accounts calls are held with. It is small and built eagerly from
 * the seed; calls only refer to it by index, so nothing here grows with the number of calls.
 */
final class Directory {

  /** The simulated seller (the Gong customer whose reps make the calls). */
  static final String SELLER = "Lumenary";
  static final String SELLER_DOMAIN = "lumenary.io";
  static final String PRODUCT = "Insight Cloud";

  private static final String[] WORKSPACE_NAMES = {"North America Sales", "EMEA Sales",
      "APAC Sales", "Customer Success", "Partnerships"};
  private static final List<List<ZoneId>> ZONE_GROUPS = List.of(
      zones("America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York"),
      zones("Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid"),
      zones("Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney", "Asia/Singapore"),
      zones("America/Sao_Paulo", "America/Mexico_City", "America/Toronto"),
      zones("Europe/Dublin", "Africa/Johannesburg", "Asia/Dubai"));
  private static final String[] FIRST = {"Dana", "Marcus", "Priya", "Tomás", "Aisha", "Kenji",
      "Laura", "Owen", "Sofia", "Ravi", "Chloé", "Ben", "Mei", "Jonas", "Fatima", "Liam", "Elena",
      "Noah", "Grace", "Mateo", "Hannah", "Yusuf", "Ingrid", "Caleb", "Nadia", "Theo", "Zoë",
      "Victor", "Amara", "Felix"};
  private static final String[] LAST = {"Reyes", "Okafor", "Lindqvist", "Chen", "Patel",
      "Müller", "Novak", "Brennan", "García", "Kowalski", "Tanaka", "Haddad", "Fischer", "Moreau",
      "Silva", "O'Neill", "Schmidt", "Nguyen", "Rossi", "Andersen", "Kaur", "Dubois", "Walsh",
      "Ibrahim", "Park", "Costa", "Weber", "Hughes", "Ivanova", "Sato"};
  private static final String[] REP_TITLES = {"Account Executive", "Senior Account Executive",
      "Enterprise Account Executive", "Sales Development Representative", "Solutions Engineer",
      "Customer Success Manager"};
  private static final String[][] ACCOUNTS = {
      {"Contoso Pharmaceuticals", "contoso.com", "Life Sciences"},
      {"Brightwater Logistics", "brightwaterlogistics.com", "Logistics"},
      {"Corvid Health Systems", "corvidhealth.org", "Healthcare"},
      {"Halvorsen Foods", "halvorsenfoods.no", "Food & Beverage"},
      {"Marisol Biotech", "marisolbio.com", "Biotechnology"},
      {"Quantaloop Software", "quantaloop.io", "Software"},
      {"Tessellate Retail", "tessellate.shop", "Retail"},
      {"Northbeam Energy", "northbeam.energy", "Energy"},
      {"Oakhaven Insurance", "oakhaven-ins.com", "Insurance"},
      {"Pinecrest Credit Union", "pinecrestcu.org", "Financial Services"},
      {"Redfern Manufacturing", "redfernmfg.com", "Manufacturing"},
      {"Saltmarsh Media", "saltmarsh.media", "Media"},
      {"Talvik Shipping", "talvik.fi", "Transportation"},
      {"Umberfield Education", "umberfield.edu", "Education"},
      {"Verdant Agritech", "verdantag.com", "Agriculture"},
      {"Westgate Hotels", "westgatehotels.com", "Hospitality"},
      {"Yarrow Telecom", "yarrowtel.net", "Telecommunications"},
      {"Zephyr Aerospace", "zephyraero.com", "Aerospace"},
      {"Alderbrook Legal", "alderbrooklaw.com", "Legal Services"},
      {"Bramblecourt Realty", "bramblecourt.com", "Real Estate"},
      {"Cinderfall Games", "cinderfall.gg", "Gaming"},
      {"Driftwood Outdoor", "driftwoodoutdoor.com", "Consumer Goods"},
      {"Emberline Security", "emberline.security", "Cybersecurity"},
      {"Foxglove Fintech", "foxglove.finance", "Fintech"},
      {"Glasswing Analytics", "glasswing.ai", "Software"}};
  private static final String[] DEAL_KINDS = {"New Business", "Platform Expansion",
      "Enterprise Rollout", "Renewal + Upsell", "Pilot"};

  private final List<SimWorkspace> workspaces = new ArrayList<>();
  private final List<SimUser> users = new ArrayList<>();
  private final List<SimUser> avatars = new ArrayList<>();
  private final List<CrmAccount> accounts = new ArrayList<>();

  Directory(SimulatorConfig config) {
    Random random = new Random(Ids.mix(config.seed(), 0xD1EC7L));
    for (int w = 0; w < config.workspaces(); w++) {
      String base = WORKSPACE_NAMES[w % WORKSPACE_NAMES.length];
      String name = w < WORKSPACE_NAMES.length ? base : base + " " + (w / WORKSPACE_NAMES.length + 1);
      workspaces.add(new SimWorkspace(Ids.digits(random, 15, 19), name,
          "Calls and users of the " + name + " team", ZONE_GROUPS.get(w % ZONE_GROUPS.size())));
    }
    buildUsers(config, random);
    buildAccounts(config, random);
  }

  private void buildUsers(SimulatorConfig config, Random random) {
    int w = workspaces.size();
    Set<String> emails = new HashSet<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < config.users(); i++) {
      ids.add(Ids.digits(random, 15, 19));
    }
    for (int i = 0; i < config.users(); i++) {
      SimWorkspace ws = workspaces.get(i % w);
      String first = FIRST[random.nextInt(FIRST.length)];
      String last = LAST[random.nextInt(LAST.length)];
      String local = slug(first) + "." + slug(last);
      String email = local + "@" + SELLER_DOMAIN;
      for (int n = 2; !emails.add(email); n++) {
        email = local + n + "@" + SELLER_DOMAIN;
      }
      String title;
      String managerId;
      if (i < w) {
        title = "VP of Sales";
        managerId = null;
      } else if (i < 3 * w) {
        title = "Sales Manager";
        managerId = ids.get(i % w);
      } else {
        title = REP_TITLES[random.nextInt(REP_TITLES.length)];
        managerId = ids.get(Math.min(i % w + w * (1 + random.nextInt(2)), i - 1));
      }
      List<String> languages = new ArrayList<>();
      languages.add(ws.zones().get(0).getId().startsWith("Europe") ? "en-GB" : "en-US");
      switch (i % 5) {
        case 1 -> languages.add("es-ES");
        case 2 -> languages.add("fr-FR");
        case 3 -> languages.add("de-DE");
        default -> { }
      }
      Instant created = config.callsFrom().minus(Duration.ofDays(10 + random.nextInt(700)))
          .minusSeconds(random.nextInt(86_400)).plusNanos(random.nextInt(1_000_000) * 1_000L);
      users.add(new SimUser(ids.get(i), email, created, random.nextInt(10) != 0, first, last,
          title, "+1 " + (200 + random.nextInt(700)) + "-555-01" + (10 + random.nextInt(90)),
          managerId, List.copyOf(languages), ws.id(),
          ws.zones().get((i / w) % ws.zones().size()), false));
    }
    for (int a = 1; a <= 2; a++) {
      avatars.add(new SimUser(Ids.digits(random, 15, 19), "support-avatar-" + a + "@gong.io",
          config.callsFrom().minus(Duration.ofDays(900)), true, "Gong", "Avatar " + a,
          "Gong Support", null, null, List.of("en-US"), workspaces.get(0).id(), ZoneOffset.UTC,
          true));
    }
  }

  private void buildAccounts(SimulatorConfig config, Random random) {
    LocalDate horizon = LocalDate.ofInstant(config.callsTo(), ZoneOffset.UTC);
    for (String[] a : ACCOUNTS) {
      boolean salesforce = random.nextInt(5) < 3;
      String accountId = salesforce ? "0015g" + alnum(random, 13) : Ids.digits(random, 10, 10);
      String dealId = salesforce ? "0065g" + alnum(random, 13) : Ids.digits(random, 11, 11);
      int stages = salesforce ? CrmAccount.SALESFORCE_STAGES.size()
          : CrmAccount.HUBSPOT_STAGES.size();
      accounts.add(new CrmAccount(a[0], a[1], a[2], salesforce, accountId, dealId,
          a[0] + " - " + DEAL_KINDS[random.nextInt(DEAL_KINDS.length)],
          2 + random.nextInt(stages - 2), 500L * (24 + random.nextInt(940)),
          horizon.plusDays(10 + random.nextInt(110))));
    }
  }

  List<SimWorkspace> workspaces() {
    return workspaces;
  }

  List<SimUser> users() {
    return users;
  }

  List<SimUser> avatars() {
    return avatars;
  }

  List<CrmAccount> accounts() {
    return accounts;
  }

  SimWorkspace workspace(String id) {
    return workspaces.stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
  }

  /** ASCII, lower-case form of a name for email local parts ("Zoë O'Neill" → "zoe", "oneill"). */
  static String slug(String name) {
    String plain = Normalizer.normalize(name.replace("ø", "o").replace("ß", "ss"),
        Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    return plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
  }

  static String alnum(Random random, int len) {
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      sb.append(chars.charAt(random.nextInt(chars.length())));
    }
    return sb.toString();
  }

  private static List<ZoneId> zones(String... ids) {
    return java.util.Arrays.stream(ids).map(ZoneId::of).toList();
  }
}
