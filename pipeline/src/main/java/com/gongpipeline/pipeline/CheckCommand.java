package com.gongpipeline.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.gongpipeline.enrich.EnrichmentProvider;
import com.gongpipeline.enrich.SentimentScorer;
import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.gong.GongApiException;
import com.gongpipeline.gong.GongClientConfig;
import com.gongpipeline.gong.GongCredentials;
import com.gongpipeline.gong.GongEndpoint;
import com.gongpipeline.gong.GongJson;
import com.gongpipeline.gong.HttpGongClient;
import com.gongpipeline.pipeline.options.GongPipelineOptions;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import com.gongpipeline.warehouse.SchemaCheck;
import com.gongpipeline.warehouse.Warehouse;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code check}: verifies in a few seconds, with one request per thing, that a job with the same
 * flags would work, the way connectors' {@code check} does in other tools. One line per check
 * ({@code ok} or {@code FAIL}, with a fix hint), exit 0 only when all pass, 1 otherwise, 2 for bad
 * flags. Never prints a secret: Gong errors carry status, endpoint and request id only; a JDBC
 * URL is printed without its query string.
 *
 * <ul>
 *   <li>Gong: the key and base URL work and can read calls ({@code GET /v2/calls}, first page of
 *       the last {@value #LIST_DAYS} days), details ({@code POST /v2/calls/extensive}) and
 *       transcripts ({@code POST /v2/calls/transcript}) for one listed call, naming the scope a
 *       403 means. The requests are added to the warehouse's daily Gong request ledger.
 *   <li>Warehouse: reachable; the tables and columns of this version's DDL exist (or none yet: the
 *       first job creates them); the role can create a staging table and MERGE into every table.
 *   <li>Enrichment: the chosen embedding model answers one text with its expected dimension, and
 *       the sentiment scorer scores one text within [-1, 1].
 * </ul>
 */
final class CheckCommand {
  static final int LIST_DAYS = 30;
  private static final String PROBE_ID = "0";

  /** Scopes Gong requires per endpoint (reference: Gong's API spec, "Required authorization scope"). */
  private static final Map<GongEndpoint, String> SCOPES = new EnumMap<>(Map.of(
      GongEndpoint.CALLS, "api:calls:read:basic",
      GongEndpoint.CALLS_EXTENSIVE, "api:calls:read:extensive",
      GongEndpoint.CALLS_TRANSCRIPT, "api:calls:read:transcript",
      GongEndpoint.USERS, "api:users:read",
      GongEndpoint.WORKSPACES, "api:workspaces:read"));

  private final PrintStream out;
  private int failures;
  private final Map<String, Long> gongRequests = new java.util.LinkedHashMap<>();

  private final SnowflakeCredentials snowflake;

  private CheckCommand(PrintStream out, SnowflakeCredentials snowflake) {
    this.out = out;
    this.snowflake = snowflake;
  }

  /** Runs every check for these flags; returns the exit code. */
  static int run(String[] args, PrintStream out) {
    return run(args, out, SnowflakeCredentials.fromEnv());
  }

  static int run(String[] args, PrintStream out, SnowflakeCredentials snowflake) {
    PipelineOptionsFactory.register(GongPipelineOptions.class);
    GongPipelineOptions o = PipelineOptionsFactory.fromArgs(args).as(GongPipelineOptions.class);
    CheckCommand check = new CheckCommand(out, snowflake);
    check.gong(o);
    check.warehouse(o);
    check.enrichment(o);
    out.println(check.failures == 0 ? "all checks passed"
        : check.failures + " check(s) failed");
    return (check.failures == 0 ? ExitCode.SUCCEEDED : ExitCode.FAILED).code();
  }

  private void ok(String what, String detail) {
    out.printf("ok    %-22s %s%n", what, detail);
  }

  private void fail(String what, String detail, String fix) {
    failures++;
    out.printf("FAIL  %-22s %s%n      fix: %s%n", what, detail, fix);
  }

  // ---- Gong ----

  private void gong(GongPipelineOptions o) {
    String baseUrl = o.getGongBaseUrl();
    if (baseUrl == null || baseUrl.isBlank()) {
      fail("gong", "no --gongBaseUrl", "pass your tenant's API host, e.g. "
          + "--gongBaseUrl=https://us-12345.api.gong.io (Gong shows it next to the API key)");
      return;
    }
    GongCredentials credentials;
    GongClientConfig config;
    try {
      credentials = GongBackfill.credentials(o);
      config = GongBackfill.gongConfig(o, credentials).toBuilder().maxAttempts(2).build();
    } catch (RuntimeException e) {
      fail("gong credentials", e.getMessage(), "export GONG_ACCESS_KEY and "
          + "GONG_ACCESS_KEY_SECRET, or pass --gongCredentialsFile=FILE");
      return;
    }
    try (HttpGongClient client = new HttpGongClient(config)) {
      Instant now = Instant.now();
      List<JsonNode> calls;
      try {
        calls = client.firstCallsPage(now.minus(Duration.ofDays(LIST_DAYS)), now);
        count(GongEndpoint.CALLS);
        ok("gong calls", "GET /v2/calls at " + baseUrl + ": key accepted, " + calls.size()
            + " call(s) on the first page of the last " + LIST_DAYS + " days");
      } catch (GongApiException e) {
        count(GongEndpoint.CALLS);
        gongFailure("gong calls", GongEndpoint.CALLS, e);
        return; // the other endpoints would fail the same way
      }
      // One listed call (or an id no call has: Gong still checks the scope before the filter).
      String id = calls.isEmpty() ? PROBE_ID : GongJson.text(calls.get(0), "id");
      List<String> ids = List.of(id == null ? PROBE_ID : id);
      try {
        List<JsonNode> details = client.callsExtensive(ids);
        count(GongEndpoint.CALLS_EXTENSIVE);
        ok("gong call details", "POST /v2/calls/extensive: " + details.size() + " call(s) for "
            + describe(ids, calls));
      } catch (GongApiException e) {
        count(GongEndpoint.CALLS_EXTENSIVE);
        gongFailure("gong call details", GongEndpoint.CALLS_EXTENSIVE, e);
      }
      try {
        List<JsonNode> transcripts = client.transcripts(ids);
        count(GongEndpoint.CALLS_TRANSCRIPT);
        ok("gong transcripts", "POST /v2/calls/transcript: " + transcripts.size()
            + " transcript(s) for " + describe(ids, calls));
      } catch (GongApiException e) {
        count(GongEndpoint.CALLS_TRANSCRIPT);
        gongFailure("gong transcripts", GongEndpoint.CALLS_TRANSCRIPT, e);
      }
    } catch (IllegalArgumentException e) {
      fail("gong", e.getMessage(), "fix the flag");
    }
  }

  private static String describe(List<String> ids, List<JsonNode> calls) {
    return calls.isEmpty() ? "a probe id (no calls in the window; the scope was still checked)"
        : "call " + ids.get(0);
  }

  private void count(GongEndpoint endpoint) {
    gongRequests.merge(endpoint.metricName(), 1L, Long::sum);
  }

  private void gongFailure(String what, GongEndpoint endpoint, GongApiException e) {
    String status = e.httpStatus() > 0 ? "HTTP " + e.httpStatus() : e.gongKind().name();
    String detail = endpoint.describe() + ": " + status
        + (e.requestId() == null ? "" : " (requestId=" + e.requestId() + ")");
    String fix = switch (e.httpStatus()) {
      case 401 -> "Gong refused the key: check GONG_ACCESS_KEY / GONG_ACCESS_KEY_SECRET and that "
          + "--gongBaseUrl is your tenant's host (the generic api.gong.io answers 401 for many)";
      case 403 -> "the access key lacks scope " + SCOPES.get(endpoint)
          + ": a Gong admin grants it under Company settings > Ecosystem > API";
      case 429 -> "Gong is rate-limiting this company (3/s, 10,000/day shared with other "
          + "integrations); try again later";
      default -> e.gongKind() == GongApiException.Kind.IO
          ? "cannot reach " + endpoint.describe() + ": check --gongBaseUrl and the network"
          : "see the status above; Gong's answer was " + e.gongKind();
    };
    fail(what, detail, fix);
  }

  // ---- warehouse ----

  private void warehouse(GongPipelineOptions o) {
    String url = o.getWarehouse();
    String shown = printable(url);
    if (url.startsWith("jdbc:duckdb:") && !url.contains(":memory:")) {
      Path file = Path.of(url.substring("jdbc:duckdb:".length()));
      if (!Files.exists(file)) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir) && Files.isWritable(dir)) {
          ok("warehouse", shown + " does not exist yet; the first job creates it in " + dir);
        } else {
          fail("warehouse", shown + ": directory " + dir + " is missing or not writable",
              "create the directory or point --warehouse elsewhere");
        }
        return;
      }
    }
    try (Warehouse wh = Warehouse.open(url)) {
      SchemaCheck schema = wh.checkSchema();
      ok("warehouse", shown + " reachable");
      if (schema.empty()) {
        ok("warehouse schema", "no pipeline tables yet; the first job creates all "
            + schema.expectedTables());
      } else if (schema.current()) {
        ok("warehouse schema", "all " + schema.expectedTables()
            + " tables at this version's columns");
      } else {
        List<String> behind = new ArrayList<>(schema.missingTables());
        schema.missingColumns().forEach((t, cols) -> behind.add(t + " " + cols));
        fail("warehouse schema", "behind this version: missing " + String.join(", ", behind),
            "run any job once with a role that owns the schemas (it applies the idempotent DDL "
                + "under sql/), or apply sql/<dialect>/ in order (sql/README.md)");
      }
      if (!schema.empty()) {
        if (schema.writeFailures().isEmpty()) {
          ok("warehouse writes", "staging table + MERGE accepted by every table");
        } else {
          fail("warehouse writes", "refused: " + schema.writeFailures(),
              "grant the job's role CREATE TEMPORARY TABLE in the schemas and INSERT, UPDATE, "
                  + "DELETE on the tables (sql/snowflake/admin/100_roles_and_grants.sql)");
        }
      }
      if (!gongRequests.isEmpty() && schema.current()) {
        String jobId = "check-" + Instant.now().getEpochSecond();
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        gongRequests.forEach((endpoint, n) -> wh.addGongRequests(day, jobId, endpoint, n));
      }
    } catch (RuntimeException e) {
      fail("warehouse", shown + ": " + firstLine(e), url.startsWith("jdbc:snowflake:")
          ? "check SNOWFLAKE_ACCOUNT / SNOWFLAKE_USER and SNOWFLAKE_PAT or "
              + "SNOWFLAKE_PRIVATE_KEY_FILE, SNOWFLAKE_ROLE, SNOWFLAKE_WAREHOUSE, SNOWFLAKE_DATABASE"
          : "check the path and that no other process holds the DuckDB file");
    }
  }

  // ---- enrichment ----

  private void enrichment(GongPipelineOptions o) {
    EnrichmentProvider provider;
    try {
      provider = Enrichment.fromOptions(o, snowflake);
    } catch (RuntimeException e) {
      fail("enrichment", firstLine(e), "see --embeddings / --sentiment in backfill --help");
      return;
    }
    try (TextEmbedder embedder = provider.embedder()) {
      float[] v = embedder.embedPassages(List.of(embedder.passagePrefix()
          + "We would need a security review before signing.")).get(0);
      if (v.length == embedder.dimension()) {
        ok("embeddings", embedder.modelName() + " answers with " + v.length + " dimensions");
      } else {
        fail("embeddings", embedder.modelName() + " answered " + v.length
            + " dimensions, expected " + embedder.dimension(),
            "--cortexEmbeddingModel must name the model the endpoint serves");
      }
    } catch (Exception e) {
      fail("embeddings", firstLine(e), "cortex".equals(o.getEmbeddings())
          ? "check --cortexUrl, SNOWFLAKE_PAT (or the key pair) and --cortexEmbeddingModel"
          : "the local model's native library must load on this platform (Linux x86-64/arm64, "
              + "macOS arm64)");
    }
    try (SentimentScorer scorer = provider.sentiment()) {
      double s = scorer.score(List.of("This is great, thank you, we love it."))[0];
      if (s >= -1 && s <= 1) {
        ok("sentiment", o.getSentiment() + " scorer answers (" + String.format("%.2f", s) + ")");
      } else {
        fail("sentiment", "score " + s + " outside [-1, 1]", "report this as a bug");
      }
    } catch (Exception e) {
      fail("sentiment", firstLine(e), "with --sentiment=cortex check the Snowflake connection "
          + "and that the role may use SNOWFLAKE.CORTEX functions (CORTEX_USER database role)");
    }
  }

  /** A JDBC URL without its query string (which may carry a password or token). */
  static String printable(@Nullable String url) {
    if (url == null) {
      return "(none)";
    }
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
