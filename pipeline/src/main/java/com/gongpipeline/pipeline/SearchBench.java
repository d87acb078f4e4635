package com.gongpipeline.pipeline;

import com.gongpipeline.enrich.LocalEnrichmentProvider;
import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.serving.HybridIndex;
import com.gongpipeline.serving.IndexRefresher;
import com.gongpipeline.serving.MemoryDoc;
import com.gongpipeline.serving.MemoryHit;
import com.gongpipeline.serving.SearchMode;
import com.gongpipeline.serving.SearchRequest;
import com.gongpipeline.warehouse.Warehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code bench --search [--searchSizes=10000,100000] [--searchQueries=50] [--searchCalls=20]}:
 * the serving index against the brute-force DuckDB scan. For each synthetic corpus (384-d vectors
 * clustered around {@value #TOPICS} topic centres, made in DuckDB so both sides hold the same
 * data, and Zipf-distributed text, {@link SyntheticWords}), the index's build time, heap and
 * on-disk size, then warm p50/p95 per query of hybrid, semantic and keyword search including the
 * e5-small-v2 query embedding, next to DuckDB's {@code array_cosine_similarity} top-5 scan with the
 * same embedding. Then precision@5 of each mode on a
 * simulator corpus backfilled with the real model: names (competitor, product, region names: a
 * hit is relevant when its text names the term), codes and numbers the chunks say (purchase
 * orders, tickets, quotes, prices, seat counts; relevant when it says the value) and paraphrases
 * (relevant when it names any term of the family the question is about), each with the best
 * precision@5 the corpus allows.
 */
final class SearchBench {
  static final int DIM = 384;
  static final int WARMUP = 10;
  /** Topic centres of the synthetic vectors, and each chunk's noise around its centre. */
  static final int TOPICS = 500;
  static final double NOISE = 0.8;
  private static final String[] WORDS = ("pricing discount renewal contract security review "
      + "integration rollout timeline budget approval procurement legal seats license onboarding "
      + "dashboard forecast pipeline coaching champion stakeholder migration region support "
      + "invoice quarter expansion pilot trial demo competitor objection risk").split(" ");
  private static final String[] QUERIES = {"pricing objections from the customer",
      "security review timeline", "who is the champion for the renewal",
      "concerns about onboarding and migration", "budget approval next quarter",
      "competitor comparison during the pilot", "legal review of the contract",
      "expansion to more seats", "forecast accuracy in the dashboard", "procurement process"};

  private SearchBench() {}

  static void run(CliArgs a, PrintStream out) throws Exception {
    int queries = a.getInt("searchQueries", 50);
    List<Integer> sizes = Arrays.stream(a.get("searchSizes", "10000,100000").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
    TextEmbedder embedder = new LocalEnrichmentProvider().embedder();
    embedder.embedQuery("warm up the model");
    for (int n : sizes) {
      synthetic(n, queries, embedder, out);
    }
    if (a.getInt("searchCalls", 20) > 0) {
      precision(a.getInt("searchCalls", 20), embedder, out);
    }
  }

  /** One synthetic corpus: build, memory, latencies of the index and of the DuckDB scan. */
  static void synthetic(int n, int queries, TextEmbedder embedder, PrintStream out)
      throws Exception {
    Path dir = Files.createTempDirectory("gong-search-bench");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = duck.createStatement()) {
        st.execute("SELECT setseed(0.42)");
        // Clustered like real embeddings (uniform random vectors are HNSW's worst case): each
        // chunk is its topic's centre plus noise.
        st.execute("CREATE TABLE c AS SELECT t, list_transform(range(" + DIM
            + "), lambda x: (random() * 2 - 1)::FLOAT) AS e FROM range(" + TOPICS + ") r(t)");
        st.execute("CREATE TABLE v AS SELECT i AS id, c.t AS topic, list_transform(range(" + DIM
            + "), lambda k: (c.e[k + 1] + " + NOISE + " * (random() * 2 - 1))::FLOAT)::FLOAT["
            + DIM + "] AS e FROM range(" + n + ") r(i) JOIN c ON c.t = (i * 7919) % " + TOPICS);
      }
      System.gc();
      long heapBefore = usedHeap();
      long t0 = System.nanoTime();
      HybridIndex index = HybridIndex.inDirectory(dir, DIM);
      Random rnd = new Random(n);
      SyntheticWords words = new SyntheticWords(new Random(7));
      List<MemoryDoc> batch = new ArrayList<>();
      List<String> calls = new ArrayList<>();
      try (Statement st = duck.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, topic, e FROM v ORDER BY id")) {
        while (rs.next()) {
          int id = rs.getInt(1);
          int topic = rs.getInt(2);
          Array arr = rs.getArray(3);
          Object[] values = (Object[]) arr.getArray();
          float[] v = new float[DIM];
          for (int i = 0; i < DIM; i++) {
            v[i] = ((Number) values[i]).floatValue();
          }
          String call = "c" + (id / 40);
          if (calls.isEmpty() || !calls.get(calls.size() - 1).equals(call)) {
            calls.add(call);
          }
          batch.add(new MemoryDoc("gong:" + call + ":" + (id % 40), call, id % 40,
              words.text(rnd, topic), v,
              "Call " + call, null, "Account " + (id % 50), 1_700_000_000_000L + id * 60_000L,
              "Speaker", id % 2 == 0 ? "Internal" : "External", 0L, 1000L, 1L));
          if (batch.size() == 4000) {
            index.replaceCalls(calls, batch);
            batch = new ArrayList<>();
            calls = new ArrayList<>();
          }
        }
      }
      if (!batch.isEmpty()) {
        index.replaceCalls(calls, batch);
      }
      double buildSecs = (System.nanoTime() - t0) / 1e9;
      System.gc();
      long heap = usedHeap() - heapBefore;
      long disk = size(dir);
      out.printf(Locale.ROOT, "%nsearch bench, %,d chunks x %d-d: index build %.1f s, heap +%d MB,"
          + " on disk %d MB (memory-mapped), %d segments%n", n, DIM, buildSecs, heap >> 20,
          disk >> 20, index.segments());
      timings(index, duck, n, queries, embedder, out);
      long t1 = System.nanoTime();
      index.compact();
      out.printf(Locale.ROOT, "compacted to %d segment in %.1f s, on disk %d MB%n",
          index.segments(), (System.nanoTime() - t1) / 1e9, size(dir) >> 20);
      timings(index, duck, n, queries, embedder, out);
      index.close();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Warm p50/p95 of each way to search, on the index as it is and on DuckDB. */
  private static void timings(HybridIndex index, Connection duck, int n, int queries,
      TextEmbedder embedder, PrintStream out) throws Exception {
    out.printf("%-26s %10s %10s%n", "warm, per query (k=5)", "p50 ms", "p95 ms");
    // The query's e5 embedding is computed (and timed) in the "+ embed" rows, but the vector
    // searched is in the corpus's own distribution (a chunk's vector): an e5 query vector
    // against synthetic vectors would land between all clusters, which no real query does.
    float[][] vectors = chunkVectors(duck, QUERIES.length, n);
    for (SearchMode mode : SearchMode.values()) {
      double[] ms = time(queries, i -> {
        String q = QUERIES[i % QUERIES.length];
        if (mode.usesVectors()) {
          embedder.embedQuery(q);
        }
        index.search(new SearchRequest(q, 5, mode, null, null, null, null),
            mode.usesVectors() ? vectors[i % QUERIES.length] : null);
      });
      row(out, "index " + mode.name().toLowerCase(Locale.ROOT)
          + (mode.usesVectors() ? " + embed" : " (no embed)"), ms);
    }
    row(out, "index hybrid, search only", time(queries, i -> index.search(new SearchRequest(
        QUERIES[i % QUERIES.length], 5, SearchMode.HYBRID, null, null, null, null),
        vectors[i % QUERIES.length])));
    row(out, "index hybrid, filtered", time(queries, i -> {
      String q = QUERIES[i % QUERIES.length];
      embedder.embedQuery(q);
      index.search(new SearchRequest(q, 5, SearchMode.HYBRID, "Account 7", null, null,
          "external"), vectors[i % QUERIES.length]);
    }));
    row(out, "  (query embedding alone)",
        time(queries, i -> embedder.embedQuery(QUERIES[i % QUERIES.length])));
    try (PreparedStatement ps = duck.prepareStatement("SELECT id, array_cosine_similarity(e, "
        + "?::FLOAT[" + DIM + "]) AS s FROM v ORDER BY s DESC LIMIT 5")) {
      row(out, "DuckDB brute-force only",
          time(queries, i -> scan(ps, vectors[i % QUERIES.length])));
      row(out, "DuckDB brute-force + embed", time(queries, i -> {
        embedder.embedQuery(QUERIES[i % QUERIES.length]);
        scan(ps, vectors[i % QUERIES.length]);
      }));
    }
  }

  /** Precision@5 per mode on a simulator corpus embedded with the real model. */
  static void precision(int calls, TextEmbedder embedder, PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("gong-search-quality");
    String url = "jdbc:duckdb:" + dir.resolve("quality.duckdb");
    CliArgs sa = CliArgs.parse(new String[] {"--calls=" + calls, "--seed=42", "--days=10"});
    SimulatorConfig config = SimulateCommand.config(sa, SimulatorConfig.builder());
    try (GongSimulator sim = GongSimulator.start(config)) {
      GongPipelineOptions o = PipelineOptionsFactory.fromArgs().as(GongPipelineOptions.class);
      o.setGongBaseUrl(sim.baseUrl());
      o.setGongRequestsPerSecond(1000.0);
      o.setWarehouse(url);
      o.setFrom(config.callsFrom().toString());
      o.setTo(Instant.now().toString());
      o.setProgressSeconds(0);
      BackfillCommand.run(o, GongCredentials.of(config.accessKey(), config.accessKeySecret()),
          new PrintStream(java.io.OutputStream.nullOutputStream()));
    }
    try (HybridIndex index = HybridIndex.inMemory(embedder.dimension())) {
      new IndexRefresher(() -> Warehouse.open(url), index, embedder.modelName(),
          Clock.systemUTC()).refresh();
      out.printf(Locale.ROOT, "%nprecision@5 on the simulator corpus (%d calls, %,d chunks)%n",
          calls, index.size());
      out.printf("%-34s %8s %8s %8s %8s%n", "queries", "hybrid", "semantic", "keyword", "max");
      List<String> texts = new ArrayList<>();
      try (Warehouse wh = Warehouse.open(url)) {
        wh.query("SELECT CONTENT FROM AI_MEMORY.MEMORY_RECORDS ORDER BY MEMORY_ID")
            .forEach(row -> texts.add(String.valueOf(row.get("CONTENT"))));
      }
      String[][] names = {{"Quillstack"}, {"Vantora"}, {"Brightlane"}, {"Ostrava Data"},
          {"Kestrel Analytics"}, {"Nimbalyst"}, {"Frankfurt"}, {"HubSpot"}, {"Microsoft Teams"},
          {"Singapore"}};
      String[][] paraphrases = {
          {"is the price too expensive for them", "price", "pricing", "discount", "budget",
              "expensive", "cost"},
          {"which other vendors are they evaluating", "Quillstack", "Vantora", "Brightlane",
              "Ostrava", "Kestrel", "Nimbalyst", "competitor"},
          {"where must their data be hosted", "residency", "region", "Frankfurt", "Ireland", "EU",
              "Canada", "Australia", "UK", "hosted"},
          {"how long until they are live", "week", "implementation", "rollout", "onboarding",
              "go live", "go-live"}};
      precisionRow("names (" + names.length + ")", names, true, index, embedder, texts, out);
      String[][] codes = codeQueries(texts);
      precisionRow("codes/numbers (" + codes.length + ")", codes, true, index, embedder, texts,
          out);
      precisionRow("paraphrases (" + paraphrases.length + ")", paraphrases, false, index,
          embedder, texts, out);
      out.println("(max: the best precision@5 possible, as few chunks say a code)");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Codes and numbers the corpus's chunks say, and how many of each kind a query family takes. */
  static final Pattern[] CODE_KINDS = {Pattern.compile("\\bPO-\\d{5}\\b"),
      Pattern.compile("\\bINC-\\d{5}\\b"), Pattern.compile("\\bQ-\\d{5}\\b"),
      Pattern.compile("\\$\\d{1,3}(?:,\\d{3})+"), Pattern.compile("\\b\\d{2,4} seats\\b")};
  static final int PER_KIND = 4;

  /**
   * The codes/numbers family: for each kind (purchase orders, support tickets, quotes, prices,
   * seat counts) up to {@value #PER_KIND} of the distinct values the chunks say, evenly spaced in
   * sorted order (not picked by how they rank).
   */
  static String[][] codeQueries(List<String> texts) {
    List<String[]> out = new ArrayList<>();
    for (Pattern kind : CODE_KINDS) {
      java.util.TreeSet<String> values = new java.util.TreeSet<>();
      for (String t : texts) {
        Matcher m = kind.matcher(t);
        while (m.find()) {
          values.add(m.group());
        }
      }
      List<String> sorted = new ArrayList<>(values);
      int n = Math.min(PER_KIND, sorted.size());
      for (int i = 0; i < n; i++) {
        out.add(new String[] {sorted.get(i * sorted.size() / n)});
      }
    }
    return out.toArray(String[][]::new);
  }

  private static void precisionRow(String label, String[][] cases, boolean exact,
      HybridIndex index, TextEmbedder embedder, List<String> texts, PrintStream out) {
    if (cases.length == 0) {
      out.printf(Locale.ROOT, "%-34s %8s %8s %8s%n", label, "-", "-", "-");
      return;
    }
    double[] sum = new double[3];
    double max = 0;
    for (String[] c : cases) {
      String q = exact ? "what did they say about " + c[0] : c[0];
      List<String> terms = exact ? List.of(c[0]) : Arrays.asList(c).subList(1, c.length);
      java.util.function.Predicate<String> relevant = text -> terms.stream().anyMatch(t ->
          text.toLowerCase(Locale.ROOT).contains(t.toLowerCase(Locale.ROOT)));
      max += Math.min(5, texts.stream().filter(relevant).count()) / 5.0;
      float[] v = embedder.embedQuery(q);
      for (SearchMode m : SearchMode.values()) {
        List<MemoryHit> hits = index.search(new SearchRequest(q, 5, m, null, null, null, null), v);
        sum[m.ordinal()] += hits.stream().filter(h -> relevant.test(h.doc().text())).count() / 5.0;
      }
    }
    out.printf(Locale.ROOT, "%-34s %8.2f %8.2f %8.2f %8.2f%n", label, sum[0] / cases.length,
        sum[1] / cases.length, sum[2] / cases.length, max / cases.length);
  }

  @FunctionalInterface
  interface Query {
    void run(int i) throws Exception;
  }

  /** Milliseconds per query after {@value #WARMUP} warm-up queries. */
  static double[] time(int n, Query q) throws Exception {
    for (int i = 0; i < WARMUP; i++) {
      q.run(i);
    }
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      q.run(i);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static void row(PrintStream out, String label, double[] sortedMs) {
    out.printf(Locale.ROOT, "%-26s %10.1f %10.1f%n", label, pct(sortedMs, 50),
        pct(sortedMs, 95));
  }

  /** The vectors of {@code count} chunks spread over the corpus, as in-distribution queries. */
  private static float[][] chunkVectors(Connection duck, int count, int n) throws Exception {
    float[][] out = new float[count][];
    try (PreparedStatement ps = duck.prepareStatement("SELECT e FROM v WHERE id = ?")) {
      for (int i = 0; i < count; i++) {
        ps.setInt(1, (int) ((i * 7_919L + 13) % n));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          Object[] values = (Object[]) rs.getArray(1).getArray();
          out[i] = new float[values.length];
          for (int j = 0; j < values.length; j++) {
            out[i][j] = ((Number) values[j]).floatValue();
          }
        }
      }
    }
    return out;
  }

  /** DuckDB's brute-force top 5 by cosine to {@code q}. */
  private static void scan(PreparedStatement ps, float[] q) throws Exception {
    StringBuilder lit = new StringBuilder("[");
    for (int j = 0; j < q.length; j++) {
      lit.append(j == 0 ? "" : ",").append(q[j]);
    }
    ps.setString(1, lit.append(']').toString());
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rs.getInt(1);
      }
    }
  }

  /**
   * Chunk text with the shape of real speech for BM25: a Zipf-distributed vocabulary of {@value
   * #VOCABULARY} words (the sales terms of the queries among them, at middling ranks) and, per
   * topic, a handful of words its chunks repeat. A tiny vocabulary would make every chunk match
   * every query term, which real text never does.
   */
  static final class SyntheticWords {
    static final int VOCABULARY = 5000;
    static final int PER_TOPIC = 8;
    private final String[] vocabulary = new String[VOCABULARY];
    private final double[] cumulative = new double[VOCABULARY];
    private final int[][] topicWords = new int[TOPICS][PER_TOPIC];

    SyntheticWords(Random rnd) {
      String[] syllables = {"ka", "lo", "mi", "ren", "sa", "to", "vel", "dor", "en", "qui", "bra",
          "nu", "tal", "ges", "pho", "ri", "an", "mon", "ce", "lu"};
      java.util.Set<String> used = new java.util.HashSet<>(Arrays.asList(WORDS));
      for (int i = 0; i < VOCABULARY; i++) {
        String w;
        do {
          StringBuilder b = new StringBuilder();
          for (int k = 0, n = 2 + rnd.nextInt(2); k < n; k++) {
            b.append(syllables[rnd.nextInt(syllables.length)]);
          }
          w = b.toString();
        } while (!used.add(w));
        vocabulary[i] = w;
      }
      for (int i = 0; i < WORDS.length; i++) {
        vocabulary[40 + i * 25] = WORDS[i]; // ranks 40 .. 915: common, never ubiquitous
      }
      double sum = 0;
      for (int i = 0; i < VOCABULARY; i++) {
        sum += 1.0 / (i + 1);
        cumulative[i] = sum;
      }
      for (int i = 0; i < VOCABULARY; i++) {
        cumulative[i] /= sum;
      }
      for (int[] words : topicWords) {
        for (int k = 0; k < PER_TOPIC; k++) {
          words[k] = 20 + rnd.nextInt(2000);
        }
      }
    }

    String text(Random rnd, int topic) {
      StringBuilder sb = new StringBuilder();
      int n = 20 + rnd.nextInt(40);
      for (int i = 0; i < n; i++) {
        int w = rnd.nextDouble() < 0.15 ? topicWords[topic][rnd.nextInt(PER_TOPIC)]
            : zipf(rnd.nextDouble());
        sb.append(i == 0 ? "" : " ").append(vocabulary[w]);
      }
      return sb.toString();
    }

    private int zipf(double u) {
      int i = Arrays.binarySearch(cumulative, u);
      return Math.min(VOCABULARY - 1, i >= 0 ? i : -i - 1);
    }
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
