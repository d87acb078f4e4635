package com.gongpipeline.pipeline;

import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.enrich.E5OnnxEncoder;
import com.gongpipeline.enrich.LangChain4jE5;
import com.gongpipeline.enrich.LocalE5Embedder;
import com.gongpipeline.enrich.LocalE5Model;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.sim.GongSimulator;
import com.gongpipeline.gong.sim.SimulatorConfig;
import com.gongpipeline.gong.sim.SimulatorStats;
import com.gongpipeline.pipeline.options.EnrichmentOptions;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code bench [--calls=300] [--embedSample=400] [--evalCalls=60]}: measures the backfill end to
 * end against the simulator (rate limits lifted, so the pipeline, not Gong's budget, is measured),
 * the Gong requests against their minimum ({@link #minimumRequests}), on the same chunk texts
 * langchain4j's one-text-per-run {@code embedAll} against the local models, with ratios and each
 * model's search precision@5 ({@link #embeddingReport}), then the sentiment ranking ({@link
 * SentimentBench}) and the risk classifier ({@link RiskBench}). {@code bench --projection}:
 * projected Gong requests per day of {@code stream} and a 30-minute {@code incremental} cron ({@link
 * RequestProjection}).
 */
public final class BenchCommand {
  private BenchCommand() {}

  public static void run(String[] args, PrintStream out) throws Exception {
    CliArgs a = CliArgs.parse(args);
    if (a.has("freshness")) {
      freshness(a, out);
      return;
    }
    if (a.flags.containsKey("scale")) {
      ScaleBench.run(a, out);
      return;
    }
    if (a.has("search")) {
      SearchBench.run(a, out);
      return;
    }
    if (a.has("projection")) {
      RequestProjection.run(a, out);
      return;
    }
    a.flags.putIfAbsent("requestsPerSecond", "1000");
    Path dir = Files.createTempDirectory("gong-bench");
    String warehouse = "jdbc:duckdb:" + dir.resolve("bench.duckdb");
    SimulatorConfig config = SimulateCommand.config(a, SimulatorConfig.builder());
    JobRun.Summary s;
    SimulatorStats served;
    EmbeddingSearchEval eval;
    String localModel;
    try (GongSimulator sim = GongSimulator.start(config)) {
      eval = EmbeddingSearchEval.of(sim.groundTruth(config.callsFrom(), config.callsTo()),
          a.getInt("evalCalls", 60));
      GongPipelineOptions o = PipelineOptionsFactory.fromArgs(a.rest("calls", "seed", "days",
              "requestsPerSecond", "embedSample", "evalCalls", "port", "serverErrorRate", "connectionResetRate",
              "cursorExpiryRate", "malformedPageRate", "slowResponseRate"))
          .as(GongPipelineOptions.class);
      RunnerDefaults.apply(o, args);
      localModel = o.as(EnrichmentOptions.class).getLocalEmbeddingModel();
      o.setGongBaseUrl(sim.baseUrl());
      o.setGongRequestsPerSecond(1000.0);
      o.setWarehouse(warehouse);
      o.setFrom(config.callsFrom().toString());
      o.setTo(Instant.now().toString());
      if (!a.flags.containsKey("progressSeconds")) {
        o.setProgressSeconds(10);
      }
      s = BackfillCommand.run(o, GongCredentials.of(config.accessKey(), config.accessKeySecret()),
          out);
      served = sim.stats();
    }
    double secs = s.elapsed().toMillis() / 1000.0;
    JobMetrics m = s.metrics();
    long calls = m.get("pipeline", "calls_parsed");
    long chunks = m.get("enrich", "chunks_embedded");
    // Counted at the simulator: everything the tenant saw, the launcher's count request included.
    long requests = served.totalRequests();
    double pipelineChunksPerSec = chunks / secs;

    List<String> sample = sampleChunks(warehouse, a.getInt("embedSample", 400));

    out.println();
    out.println("Benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, "
        + "DirectRunner, in-process " + localModel
        + " + VADER, DuckDB)");
    out.printf(Locale.ROOT, "  calls                      %d in %.1f s = %.2f calls/s%n", calls,
        secs, calls / secs);
    out.printf(Locale.ROOT, "  chunks                     %d = %.1f chunks/s (%.1f chunks/call)%n",
        chunks, pipelineChunksPerSec, calls == 0 ? 0 : (double) chunks / calls);
    out.printf(Locale.ROOT,
        "  Gong API requests          %d = %.0f per 1000 calls (at the simulator)%n", requests,
        calls == 0 ? 0 : 1000.0 * requests / calls);
    long minimum = minimumRequests(served, m.get("pipeline", "calls_listed"), config);
    out.printf(Locale.ROOT, "  requests / minimum         %.2f (minimum %d: the list and directory "
        + "pages served + details and transcript pages of ceil(calls / 100) requests)%n",
        minimum == 0 ? Double.NaN : (double) requests / minimum, minimum);
    enrichmentCostReport(m, calls, out);
    long[] memo = com.gongpipeline.enrich.VaderSentimentScorer.memoLookupsAndHits();
    out.printf(Locale.ROOT, "  sentiment sentences        %d scored, %.0f %% from the memo (each "
        + "turn's sentences are scored again in its chunks; the simulator's speech also repeats "
        + "more than real calls)%n", memo[0], memo[0] == 0 ? 0.0 : 100.0 * memo[1] / memo[0]);
    long[] vectors = E5OnnxEncoder.memoLookupsAndHits(
        LocalE5Model.fromName(localModel));
    out.printf(Locale.ROOT, "  embedding memo             %d texts looked up (chunks and summary "
        + "sentences), %.0f %% answered without a model run (repeated short turns: \"Yes.\", "
        + "\"Sounds good.\"; the simulator repeats more than real calls; -Dgong.e5.memoEntries=0 "
        + "turns it off)%n", vectors[0],
        vectors[0] == 0 ? 0.0 : 100.0 * vectors[1] / vectors[0]);
    embeddingReport(sample, pipelineChunksPerSec, eval, out);
    SentimentBench.print(config, warehouse, out);
    RiskBench.print(config, warehouse, LocalE5Model.fromName(localModel), out);
  }

  /**
   * The enrichment cost per call as one figure: milliseconds spent in the models (chunk
   * embeddings, sentiment, summaries) over this run's parsed calls, from the job's own timing
   * distributions. Risk classification adds no model call (it reads the chunk vectors).
   */
  static void enrichmentCostReport(JobMetrics m, long calls, PrintStream out) {
    long embed = m.get(MetricNames.sumOf(MetricNames.EMBEDDING_BATCH_MS));
    long sentiment = m.get(MetricNames.sumOf(MetricNames.SENTIMENT_BATCH_MS));
    long summaries = m.get(MetricNames.sumOf(MetricNames.SUMMARY_MS));
    long made = m.get(MetricNames.SUMMARIES_MADE);
    out.printf(Locale.ROOT, "  enrichment per call        %.0f ms of model time (embeddings %.0f"
        + " + sentiment %.0f + summaries %.0f, %d summaries made; risk classification reads the"
        + " chunk vectors)%n", perCall(embed + sentiment + summaries, calls),
        perCall(embed, calls), perCall(sentiment, calls), perCall(summaries, calls), made);
  }

  private static double perCall(long millis, long calls) {
    return calls == 0 ? Double.NaN : (double) millis / calls;
  }

  /**
   * The embedding models on the same chunk texts, one after another in this JVM: langchain4j's
   * {@code embedAll} (fp32, one text per ONNX run: the baseline), the batched path for each local
   * model, their ratios to the baseline (and the whole pipeline's), then the search eval's
   * precision@5 per model ({@link EmbeddingSearchEval}).
   */
  static void embeddingReport(List<String> sample, double pipelineChunksPerSec,
      EmbeddingSearchEval eval, PrintStream out) {
    if (sample.isEmpty()) {
      out.println("  (no chunks to time the embedding models on)");
      return;
    }
    List<String> prefixed = sample.stream().map(t -> LocalE5Embedder.PASSAGE_PREFIX + t).toList();
    double baseline;
    double fp32PerText;
    try (LangChain4jE5 lc4j = new LangChain4jE5(LocalE5Model.E5_SMALL_V2)) {
      baseline = rate(prefixed, lc4j::embedAll);
      fp32PerText = eval.precisionAt5(
          t -> lc4j.embedAll(t.stream().map(x -> LocalE5Embedder.PASSAGE_PREFIX + x).toList()),
          t -> lc4j.embedAll(t.stream().map(x -> LocalE5Embedder.QUERY_PREFIX + x).toList()));
    }
    int tokens = 0;
    LocalE5Embedder counter = new LocalE5Embedder();
    for (String t : prefixed) {
      tokens += counter.tokenCounter().countTokens(t);
    }
    out.printf(Locale.ROOT, "  embedding, the same %d chunk texts (%.0f tokens on average), "
        + "%d per call as the pipeline batches them, every text run (the models alone, no memo):%n",
        sample.size(),
        tokens / (double) sample.size(), BATCH);
    out.printf(Locale.ROOT, "    langchain4j embedAll, e5-small-v2 (fp32, one text per run) "
        + "%6.1f texts/s (baseline)%n", baseline);
    Map<LocalE5Model, Double> precision = new EnumMap<>(LocalE5Model.class);
    for (LocalE5Model model : LocalE5Model.values()) {
      LocalE5Embedder e = new LocalE5Embedder(model);
      // The model itself, every text run: the memo would answer the texts the job embedded.
      double r = rate(prefixed, E5OnnxEncoder.get(model)::infer);
      out.printf(Locale.ROOT, "    batched %-14s %-32s %6.1f chunks/s = %.2f x baseline%n",
          model.modelName(), model == LocalE5Model.DEFAULT ? "(default)" : "", r, r / baseline);
      precision.put(model, eval.precisionAt5(e::embedPassages,
          q -> q.stream().map(e::embedQuery).toList()));
    }
    out.printf(Locale.ROOT, "    pipeline (whole backfill above)                          "
        + "%6.1f chunks/s = %.2f x baseline%n", pipelineChunksPerSec,
        pipelineChunksPerSec / baseline);
    int queries = EmbeddingSearchEval.QUERIES.values().stream().mapToInt(List::size).sum();
    out.printf(Locale.ROOT, "  search eval (simulator: %d distinct turns, %d paraphrased "
        + "questions over %d themes), precision@%d:%n", eval.size(), queries,
        EmbeddingSearchEval.QUERIES.size(), EmbeddingSearchEval.K);
    out.printf(Locale.ROOT, "    e5-small-v2 per text (langchain4j)   %.3f (reference)%n",
        fp32PerText);
    precision.forEach((model, p) -> out.printf(Locale.ROOT,
        "    %-14s batched           %.3f (%+.3f; must be >= -0.020 to be the default)%n",
        model.modelName(), p, p - fp32PerText));
  }

  private static final int BATCH = 32;

  /** Texts per second of {@code embed} over {@code texts} in calls of {@link #BATCH}. */
  private static double rate(List<String> texts, Function<List<String>, List<float[]>> embed) {
    embed.apply(texts.subList(0, Math.min(8, texts.size()))); // warm-up (and model load)
    long start = System.nanoTime();
    for (int i = 0; i < texts.size(); i += BATCH) {
      embed.apply(texts.subList(i, Math.min(texts.size(), i + BATCH)));
    }
    return texts.size() / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * The fewest Gong requests that read this tenant: every list page the server served ({@code GET
   * /v2/calls} 200s; the server picks the page size), the details and transcript pages of the
   * listed calls in requests of 100 ids (one page each unless the server's page is smaller), and
   * the directory's pages (users and workspaces).
   */
  static long minimumRequests(SimulatorStats served, long callsListed, SimulatorConfig config) {
    return served.requests("GET /v2/calls", 200)
        + pagesOf100IdRequests(callsListed, config.extensivePageSize())
        + pagesOf100IdRequests(callsListed, config.transcriptsPageSize())
        + served.requests("GET /v2/users", 200) + served.requests("GET /v2/workspaces", 200);
  }

  private static long pagesOf100IdRequests(long ids, int pageSize) {
    long full = ids / 100;
    long rest = ids % 100;
    return full * ((100 + pageSize - 1) / pageSize) + (rest + pageSize - 1) / pageSize;
  }

  /**
   * {@code bench --freshness [--calls=16] [--pollInterval=PT5S]}: a stream against a simulated
   * tenant that keeps publishing calls (each visible 2-10 s after it starts); reports, per call,
   * the time from "visible on the API" to "first chunk in AI_MEMORY".
   */
  static void freshness(CliArgs a, PrintStream out) throws Exception {
    Path dir = Files.createTempDirectory("gong-fresh");
    String warehouse = "jdbc:duckdb:" + dir.resolve("fresh.duckdb");
    Instant now = Instant.now();
    int calls = a.getInt("calls", 16);
    SimulatorConfig config = SimulatorConfig.builder().seed(a.getInt("seed", 5)).calls(calls)
        .callsFrom(now.minus(java.time.Duration.ofSeconds(60)))
        .callsTo(now.plus(java.time.Duration.ofSeconds(90)))
        .minProcessingLag(java.time.Duration.ofSeconds(2))
        .maxProcessingLag(java.time.Duration.ofSeconds(10))
        .requestsPerSecond(50).build();
    String poll = a.get("pollInterval", "PT5S");
    try (GongSimulator sim = GongSimulator.start(config)) {
      GongPipelineOptions o = PipelineOptionsFactory.fromArgs("--gongBaseUrl=" + sim.baseUrl(),
          "--warehouse=" + warehouse, "--from=" + config.callsFrom(), "--pollInterval=" + poll,
          "--lookback=PT10M", "--runFor=PT150S", "--earlyFiringDelay=PT2S", "--listWindow=PT1H",
          "--gongRequestsPerSecond=40", "--progressSeconds=15", "--writeMaxBufferingSeconds=1")
          .as(GongPipelineOptions.class);
      RunnerDefaults.apply(o, new String[0]);
      StreamCommand.run(o, GongCredentials.of(config.accessKey(), config.accessKeySecret()), out);
      java.util.Map<String, Instant> visible = sim.visibleAt(config.callsFrom(),
          config.callsTo());
      List<Double> lags = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(warehouse);
          PreparedStatement ps = c.prepareStatement("SELECT SOURCE_ID, epoch_ms(min(LOADED_AT)) "
              + "FROM AI_MEMORY.MEMORY_RECORDS GROUP BY SOURCE_ID");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant v = visible.get(rs.getString(1));
          if (v != null) {
            lags.add((rs.getLong(2) - v.toEpochMilli()) / 1000.0);
          }
        }
      }
      java.util.Collections.sort(lags);
      out.println();
      out.printf(Locale.ROOT, "Freshness (call visible on the API -> first chunk in AI_MEMORY), "
          + "stream with --pollInterval=%s, %d calls:%n", poll, lags.size());
      if (!lags.isEmpty()) {
        out.printf(Locale.ROOT, "  min %.1f s, median %.1f s, p90 %.1f s, max %.1f s%n",
            lags.get(0), lags.get(lags.size() / 2), lags.get((int) (lags.size() * 0.9)),
            lags.get(lags.size() - 1));
      }
    }
  }

  private static List<String> sampleChunks(String warehouse, int n) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(warehouse);
        PreparedStatement ps = c.prepareStatement(
            "SELECT CONTENT FROM AI_MEMORY.MEMORY_RECORDS ORDER BY MEMORY_ID LIMIT ?")) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
