package com.gongpipeline.gong.sim;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * All calls of the simulated tenant, generated lazily and deterministically from the seed.
 *
 * <p>Call {@code i}'s start lies inside slot {@code i} of {@code [callsFrom, callsTo)} cut into
 * {@code calls} equal slots (with jitter inside the slot), so start times increase with the index
 * and the calls of a time window are found by arithmetic, not by scanning. Its header comes from
 * {@code new Random(seed * 1_000_003 + i)}; its body (parties, transcript) from a seed drawn there
 * and is cached in a small bounded cache. Memory therefore does not grow with the number of calls.
 */
final class CallCatalog {

  private static final List<Theme> MIDDLE_THEMES =
      List.of(Theme.PRICING, Theme.COMPETITION, Theme.SECURITY, Theme.IMPLEMENTATION);
  private static final Map<Theme, String> TITLE_LABELS = Map.of(Theme.PRICING, "Pricing review",
      Theme.COMPETITION, "Competitive evaluation", Theme.SECURITY, "Security review",
      Theme.IMPLEMENTATION, "Implementation planning");
  private static final String[] CONFERENCE_SYSTEMS = {"Zoom", "Google Meet", "Microsoft Teams",
      "WebEx"};
  private static final String[] TELEPHONY_SYSTEMS = {"Outreach", "Aircall", "RingCentral"};

  private final SimulatorConfig config;
  private final Directory directory;
  private final Ids ids;
  private final long fromMs;
  private final double slotMs;
  private final Map<String, List<SimUser>> speakersOf;
  private final LoadingCache<Integer, CallBody> bodies;
  /** Calls made private at runtime ({@code POST /sim/calls/{id}/private}). */
  private final Set<String> madePrivate = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Calls deleted at runtime ({@code POST /sim/calls/{id}/delete}): gone from every endpoint. */
  private final Set<String> deleted = java.util.concurrent.ConcurrentHashMap.newKeySet();

  CallCatalog(SimulatorConfig config, Directory directory) {
    this.config = config;
    this.directory = directory;
    this.ids = new Ids(config.seed());
    this.fromMs = config.callsFrom().toEpochMilli();
    long spanMs = config.callsTo().toEpochMilli() - fromMs;
    this.slotMs = config.calls() == 0 ? spanMs : (double) spanMs / config.calls();
    this.speakersOf = Map.of(
        "eng", directory.users(),
        "zxx", directory.users(),
        "spa", speakersOrAll("es"),
        "fre", speakersOrAll("fr"),
        "ger", speakersOrAll("de"));
    CallBodyFactory factory = new CallBodyFactory(directory);
    this.bodies = CacheBuilder.newBuilder().maximumSize(256)
        .build(CacheLoader.from(i -> factory.create(header(i))));
  }

  int size() {
    return config.calls();
  }

  Directory directory() {
    return directory;
  }

  /** The call with this id, or -1 (unknown, malformed, not from this seed, or deleted). */
  int indexOf(String id) {
    int index = ids.candidateIndex(id);
    if (index < 0 || index >= config.calls() || deleted.contains(id)) {
      return -1;
    }
    return header(index).id().equals(id) ? index : -1;
  }

  /**
   * Marks a call private from now on (Gong lists it with {@code isPrivate: true}); false if no
   * such call.
   */
  boolean makePrivate(String id) {
    if (indexOf(id) < 0) {
      return false;
    }
    madePrivate.add(id);
    return true;
  }

  /** Deletes a call from now on: no endpoint returns it again; false if no such call. */
  boolean delete(String id) {
    if (indexOf(id) < 0) {
      return false;
    }
    deleted.add(id);
    return true;
  }

  /** True once {@link #delete} removed the call. */
  boolean isDeleted(String id) {
    return deleted.contains(id);
  }

  /** Indices of calls started in {@code [from, to)} (null bound = open), ascending by start. */
  List<Integer> startedIn(Instant from, Instant to) {
    int n = config.calls();
    int lo = from == null ? 0 : (int) Math.max(0, Math.min(n,
        Math.floor((from.toEpochMilli() - fromMs) / slotMs) - 1));
    int hi = to == null ? n - 1 : (int) Math.min(n - 1,
        Math.floor((to.toEpochMilli() - fromMs) / slotMs) + 1);
    List<Integer> out = new ArrayList<>();
    for (int i = lo; i <= hi; i++) {
      Instant started = header(i).started();
      if ((from == null || !started.isBefore(from)) && (to == null || started.isBefore(to))) {
        out.add(i);
      }
    }
    return out;
  }

  CallBody body(int index) {
    return bodies.getUnchecked(index);
  }

  /** Generates call {@code index}'s header; the draw order is part of the determinism contract. */
  CallHeader header(int index) {
    long seed = config.seed();
    Random r = new Random(seed * 1_000_003L + index);
    double jitter = 0.1 + 0.8 * r.nextDouble();
    boolean keepMillis = r.nextInt(3) == 0;
    double lagFraction = r.nextDouble();
    Instant started = Instant.ofEpochMilli(fromMs + (long) Math.floor((index + jitter) * slotMs));
    if (slotMs >= 10_000 && !keepMillis) {
      started = started.truncatedTo(ChronoUnit.SECONDS);
    }
    Set<HardCase> cases = EnumSet.copyOf(HardCase.fixedFor(seed, index));
    boolean ordinary = cases.isEmpty();
    if (ordinary && r.nextDouble() < config.privateCallRate()) {
      cases.add(HardCase.PRIVATE);
    }
    if (ordinary && r.nextInt(12) == 0) {
      cases.add(HardCase.UNKNOWN_PARTY);
    }
    if (r.nextInt(6) == 0) {
      cases.add(HardCase.ID_ABOVE_LONG_MAX);
    }
    String language = cases.contains(HardCase.NON_ENGLISH) ? HardCase.foreignLanguage(seed, index)
        : cases.contains(HardCase.EMPTY_TRANSCRIPT) ? "zxx" : "eng";
    List<SimUser> candidates = speakersOf.get(language);
    SimUser primary = candidates.get(r.nextInt(candidates.size()));
    CrmAccount account = directory.accounts().get(r.nextInt(directory.accounts().size()));

    boolean upload = cases.contains(HardCase.NO_PARTIES);
    boolean conference = !upload && r.nextInt(4) != 0;
    String system = upload ? "Upload API" : conference
        ? CONFERENCE_SYSTEMS[r.nextInt(CONFERENCE_SYSTEMS.length)]
        : TELEPHONY_SYSTEMS[r.nextInt(TELEPHONY_SYSTEMS.length)];
    String direction = upload ? "Unknown" : conference ? "Conference"
        : (r.nextInt(3) == 0 ? "Inbound" : "Outbound");
    String media = conference && r.nextInt(5) != 0 ? "Video" : "Audio";
    Instant scheduled = upload ? null : conference
        ? Instant.ofEpochSecond(Math.floorDiv(started.getEpochSecond(), 900) * 900) : started;

    List<Theme> middle = new ArrayList<>(MIDDLE_THEMES);
    java.util.Collections.shuffle(middle, r);
    List<Theme> themes = new ArrayList<>();
    if (!cases.contains(HardCase.EMPTY_TRANSCRIPT)) {
      themes.add(Theme.SMALL_TALK);
      themes.add(Theme.DISCOVERY);
      themes.addAll(middle.subList(0, 1 + r.nextInt(middle.size())));
      themes.add(Theme.NEXT_STEPS);
    }
    String title = title(cases, language, account, themes, upload, conference);
    Duration lag = config.processingLag(lagFraction);
    String id = ids.callId(index, cases.contains(HardCase.ID_ABOVE_LONG_MAX));
    if (madePrivate.contains(id)) {
      cases.add(HardCase.PRIVATE);
    }
    return new CallHeader(index, id, started, scheduled, lag, primary, account, cases, language,
        system, direction, upload ? "Unknown" : "External", media, title, List.copyOf(themes),
        r.nextLong());
  }

  private static String title(Set<HardCase> cases, String language, CrmAccount account,
      List<Theme> themes, boolean upload, boolean conference) {
    String buyer = account.name();
    if (cases.contains(HardCase.NON_ENGLISH)) {
      return ForeignPhrases.title(language, buyer);
    }
    if (cases.contains(HardCase.UNICODE)) {
      return "Café ☕ roadmap sync — 東京 team 🚀 | " + buyer;
    }
    if (upload) {
      return "Imported recording - " + buyer;
    }
    if (themes.isEmpty()) {
      return buyer + " <> " + Directory.SELLER + " | Quick check-in";
    }
    if (!conference) {
      return "Call with " + buyer;
    }
    return buyer + " <> " + Directory.SELLER + " | " + TITLE_LABELS.get(themes.get(2));
  }

  private List<SimUser> speakersOrAll(String languagePrefix) {
    List<SimUser> speakers = directory.users().stream().filter(u -> u.speaks(languagePrefix))
        .toList();
    return speakers.isEmpty() ? directory.users() : speakers;
  }
}
