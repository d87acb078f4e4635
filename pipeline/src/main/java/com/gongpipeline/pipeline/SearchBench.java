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
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code bench --search [--searchSizes=10000,100000] [--searchQueries=50] [--searchCalls=20]}:
 * the serving index against the brute-force DuckDB scan. For each synthetic corpus (random
 * 384-d vectors, made in DuckDB so both sides hold the same data, and generated text), the
 * index's build time, heap and on-disk size, then warm p50/p95 per query of hybrid, semantic and
 * keyword search including the e5-small-v2 query embedding, next to DuckDB's {@code
 * array_cosine_similarity} top-5 scan with the same embedding. Then precision@5 of each mode on a
 * simulator corpus backfilled with the real model: exact-term queries (competitor, product,
 * region names: a hit is relevant when its text names the term) and paraphrases (relevant when it
 * names any term of the family the question is about).
 */
final class SearchBench {
  static final int DIM = 384;
  static final int WARMUP = 10;
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
        st.execute("CREATE TABLE v AS SELECT i AS id, list_transform(range(" + DIM
            + "), lambda x: (random() * 2 - 1)::FLOAT)::FLOAT[" + DIM + "] AS e FROM range(" + n
            + ") t(i)");
      }
      System.gc();
      long heapBefore = usedHeap();
      long t0 = System.nanoTime();
      HybridIndex index = HybridIndex.inDirectory(dir, DIM);
      Random rnd = new Random(n);
      List<MemoryDoc> batch = new ArrayList<>();
      List<String> calls = new ArrayList<>();
      try (Statement st = duck.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, e FROM v ORDER BY id")) {
        while (rs.next()) {
          int id = rs.getInt(1);
          Array arr = rs.getArray(2);
          Object[] values = (Object[]) arr.getArray();
          float[] v = new float[DIM];
          for (int i = 0; i < DIM; i++) {
            v[i] = ((Number) values[i]).floatValue();
          }
          String call = "c" + (id / 40);
          if (calls.isEmpty() || !calls.get(calls.size() - 1).equals(call)) {
            calls.add(call);
          }
          batch.add(new MemoryDoc("gong:" + call + ":" + (id % 40), call, id % 40, text(rnd), v,
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
          + " on disk %d MB (memory-mapped)%n", n, DIM, buildSecs, heap >> 20, disk >> 20);
      out.printf("%-26s %10s %10s%n", "warm, per query (k=5)", "p50 ms", "p95 ms");
      for (SearchMode mode : SearchMode.values()) {
        double[] ms = time(queries, i -> {
          String q = QUERIES[i % QUERIES.length];
          float[] v = mode.usesVectors() ? embedder.embedQuery(q) : null;
          index.search(new SearchRequest(q, 5, mode, null, null, null, null), v);
        });
        out.printf(Locale.ROOT, "%-26s %10.1f %10.1f%n", "index " + mode.name().toLowerCase(
            Locale.ROOT) + (mode.usesVectors() ? " + embed" : " (no embed)"), pct(ms, 50),
            pct(ms, 95));
      }
      float[][] vectors = new float[QUERIES.length][];
      for (int i = 0; i < QUERIES.length; i++) {
        vectors[i] = embedder.embedQuery(QUERIES[i]);
      }
      double[] searchOnly = time(queries, i -> index.search(new SearchRequest(
          QUERIES[i % QUERIES.length], 5, SearchMode.HYBRID, null, null, null, null),
          vectors[i % QUERIES.length]));
      out.printf(Locale.ROOT, "%-26s %10.1f %10.1f%n", "index hybrid, search only",
          pct(searchOnly, 50), pct(searchOnly, 95));
      double[] filtered = time(queries, i -> {
        String q = QUERIES[i % QUERIES.length];
        index.search(new SearchRequest(q, 5, SearchMode.HYBRID, "Account 7", null, null,
            "external"), embedder.embedQuery(q));
      });
      out.printf(Locale.ROOT, "%-26s %10.1f %10.1f%n", "index hybrid, filtered", pct(filtered, 50),
          pct(filtered, 95));
      double[] embedOnly = time(queries, i -> embedder.embedQuery(QUERIES[i % QUERIES.length]));
      out.printf(Locale.ROOT, "%-26s %10.1f %10.1f%n", "  (query embedding alone)",
          pct(embedOnly, 50), pct(embedOnly, 95));
      try (PreparedStatement ps = duck.prepareStatement("SELECT id, array_cosine_similarity(e, "
          + "?::FLOAT[" + DIM + "]) AS s FROM v ORDER BY s DESC LIMIT 5")) {
        double[] scanOnly = time(queries, i -> {
          float[] q = vectors[i % QUERIES.length];
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
        });
        out.printf(Locale.ROOT, "%-26s %10.1f %10.1f%n", "DuckDB brute-force only",
            pct(scanOnly, 50), pct(scanOnly, 95));
        double[] scan = time(queries, i -> {
          float[] q = embedder.embedQuery(QUERIES[i % QUERIES.length]);
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
        });
        out.printf(Locale.ROOT, "%-26s %10.1f %10.1f%n", "DuckDB brute-force + embed",
            pct(scan, 50), pct(scan, 95));
      }
      index.close();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
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
      out.printf("%-34s %8s %8s %8s%n", "queries", "hybrid", "semantic", "keyword");
      String[][] exact = {{"Quillstack"}, {"Vantora"}, {"Brightlane"}, {"Ostrava Data"},
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
      precisionRow("exact terms (" + exact.length + ")", exact, true, index, embedder, out);
      precisionRow("paraphrases (" + paraphrases.length + ")", paraphrases, false, index,
          embedder, out);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void precisionRow(String label, String[][] cases, boolean exact,
      HybridIndex index, TextEmbedder embedder, PrintStream out) {
    double[] sum = new double[3];
    for (String[] c : cases) {
      String q = exact ? "what did they say about " + c[0] : c[0];
      List<String> terms = exact ? List.of(c[0]) : Arrays.asList(c).subList(1, c.length);
      float[] v = embedder.embedQuery(q);
      for (SearchMode m : SearchMode.values()) {
        List<MemoryHit> hits = index.search(new SearchRequest(q, 5, m, null, null, null, null), v);
        long relevant = hits.stream().filter(h -> terms.stream().anyMatch(t ->
            h.doc().text().toLowerCase(Locale.ROOT).contains(t.toLowerCase(Locale.ROOT)))).count();
        sum[m.ordinal()] += relevant / 5.0;
      }
    }
    out.printf(Locale.ROOT, "%-34s %8.2f %8.2f %8.2f%n", label, sum[0] / cases.length,
        sum[1] / cases.length, sum[2] / cases.length);
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

  private static String text(Random rnd) {
    StringBuilder sb = new StringBuilder();
    int words = 20 + rnd.nextInt(40);
    for (int i = 0; i < words; i++) {
      sb.append(i == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
    }
    return sb.toString();
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
