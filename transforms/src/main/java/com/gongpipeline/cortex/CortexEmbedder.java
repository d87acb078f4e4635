package com.gongpipeline.cortex;

import com.gongpipeline.chunking.TokenCounter;
import com.gongpipeline.enrich.ModelUnavailableException;
import com.gongpipeline.enrich.TextEmbedder;
import com.gongpipeline.errors.FailureKind;
import com.gongpipeline.errors.PipelineException;
import com.gongpipeline.errors.RetryAfter;
import com.gongpipeline.errors.RetryPolicy;
import com.gongpipeline.snowflake.SnowflakeAuth;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.util.Sleeper;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeddings from Snowflake Cortex over REST: {@code POST /api/v2/cortex/inference:embed} with
 * {@code {"model": …, "text": [...]}}, at most {@link CortexEmbedConfig#batchSize()} texts per
 * request, vectors read from {@code data[i].embedding} (nested {@code [[…]]} or flat {@code […]})
 * in {@code index} order and L2-normalised.
 *
 * <p>Every request goes through the one {@link RetryPolicy}, classified as: 400/404/413/422 and
 * texts over the model's window (refused before any request, {@link #invalidPassageReason}) →
 * {@link FailureKind#PERMANENT} ({@link CortexRejectedException} or a plain {@link
 * PipelineException}: the input is at fault); 401/403, missing credentials and vectors of the
 * wrong dimension → {@link FailureKind#FATAL_CONFIG} ({@link ModelUnavailableException}, no
 * retry); 429 → {@link FailureKind#RATE_LIMITED} (waiting exactly Retry-After when sent and not
 * above {@code maxRetryAfter}, else the back-off; no attempt used up, at most {@value
 * #MAX_THROTTLED_WAITS} waits); 408, 5xx, I/O failures and malformed 2xx bodies → {@link
 * FailureKind#RETRYABLE}, within {@code maxAttempts}. All waits together stay within {@code
 * maxTotalWait}; a service still failing then is a {@link ModelUnavailableException}.
 *
 * <p>The bearer token is resolved from {@link com.gongpipeline.snowflake.SnowflakeCredentials} on
 * first use and never logged or put into an exception message. Thread-safe; build it in
 * {@code @Setup}, close it in {@code @Teardown}.
 */
public final class CortexEmbedder implements TextEmbedder {
  private static final Logger LOG = LoggerFactory.getLogger(CortexEmbedder.class);
  private static final HttpTransport DEFAULT_TRANSPORT = new NetHttpTransport();
  /** Most 429 waits one batch sits through (each also counts against {@code maxTotalWait}). */
  static final int MAX_THROTTLED_WAITS = 30;
  /**
   * The standard HTTP {@code Warning} response header (RFC 7234 §5.5): a server that wants its
   * caller to know something about a response (a deprecated model, vectors that are not what they
   * seem) says so here, and the first one per embedder is logged.
   */
  public static final String WARNING_HEADER = "Warning";

  /**
   * Every expected failure of an attempt is a {@link PipelineException} with its kind; anything
   * else is a bug, not worth waiting for: not retried ({@link FailureKind#PERMANENT}).
   */
  private static final RetryPolicy.Classifier CLASSIFIER = error ->
      error instanceof PipelineException ? RetryPolicy.BY_KIND.classify(error)
          : RetryPolicy.Failure.of(FailureKind.PERMANENT);

  private final CortexEmbedConfig config;
  private final CortexModel model;
  private final TokenCounter tokenCounter;
  private final HttpRequestFactory requests;
  private final RetryPolicy retryPolicy;
  private final Supplier<SnowflakeAuth> authSource;
  private final CortexMetrics metrics = new CortexMetrics();
  private volatile @Nullable SnowflakeAuth auth;
  private volatile boolean warningLogged;

  public CortexEmbedder(CortexEmbedConfig config) {
    this(config, DEFAULT_TRANSPORT, Sleeper.DEFAULT, Clock.systemUTC());
  }

  /** With an injected transport, sleeper (tests record waits) and clock (JWT renewal). */
  public CortexEmbedder(CortexEmbedConfig config, HttpTransport transport, Sleeper sleeper,
      Clock clock) {
    this.config = config;
    this.model = config.model();
    this.tokenCounter = model.tokenCounter();
    this.requests = transport.createRequestFactory();
    this.retryPolicy = RetryPolicy.builder()
        .withMaxAttempts(config.maxAttempts())
        .withInitialBackoff(config.initialBackoff())
        .withMaxBackoff(config.maxBackoff())
        .withMaxTotalWait(config.maxTotalWait())
        .withMaxRetryAfter(config.maxRetryAfter())
        .withMaxRateLimitedWaits(MAX_THROTTLED_WAITS)
        .withClassifier(CLASSIFIER)
        .withSleeper(sleeper)
        .build();
    this.authSource = () -> config.credentials().resolve(System::getenv, clock);
  }

  @Override
  public String modelName() {
    return model.name();
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public int maxInputTokens() {
    return model.maxInputTokens();
  }

  @Override
  public String passagePrefix() {
    return model.passagePrefix();
  }

  @Override
  public String queryPrefix() {
    return model.queryPrefix();
  }

  @Override
  public TokenCounter tokenCounter() {
    return tokenCounter;
  }

  /** Requests, statuses, texts, tokens, retries and failures so far. */
  public CortexStats stats() {
    return metrics.snapshot();
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    for (int i = 0; i < texts.size(); i++) {
      String problem = invalidPassageReason(texts.get(i));
      if (problem != null) {
        throw new PipelineException(FailureKind.PERMANENT,
            (texts.size() > 1 ? "Text " + i + " of " + texts.size() + ": " : "") + problem);
      }
    }
    List<String> prefixed = new ArrayList<>(texts.size());
    for (String t : texts) {
      prefixed.add(model.passagePrefix() + t);
    }
    return embed(prefixed);
  }

  @Override
  public float[] embedQuery(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("Cannot embed a blank query with " + model.name());
    }
    int tokens = tokenCounter.countTokens(model.queryPrefix() + text);
    if (tokens > model.maxInputTokens()) {
      throw new IllegalArgumentException("Query has " + tokens + " tokens; " + model.name()
          + " takes at most " + model.maxInputTokens());
    }
    try {
      return embed(List.of(model.queryPrefix() + text)).get(0);
    } catch (CortexRejectedException e) {
      // A refused query is the user's argument at fault, reported as such by the CLI.
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += config.batchSize()) {
      out.addAll(request(texts.subList(from, Math.min(texts.size(), from + config.batchSize()))));
    }
    return out;
  }

  /**
   * One batch through {@link #retryPolicy}: {@link #attempt} classifies each answer, the policy
   * waits and retries. A 429 is Cortex asking us to wait, not a failed attempt, so it does not use
   * up {@code maxAttempts}; throttled waits are bounded by {@link #MAX_THROTTLED_WAITS} and, like
   * every wait, by {@code maxTotalWait}.
   */
  private List<float[]> request(List<String> texts) {
    byte[] body = CortexEmbedWire.requestBody(model, texts);
    Batch batch = new Batch();
    RetryPolicy policy = retryPolicy.toBuilder().withListener(
        (what, attempt, failure, waitMillis, error) -> {
          LOG.warn("Cortex embed {}: {}; attempt {} of {}, retrying in {} ms{}", model.name(),
              batch.lastProblem, batch.requests, config.maxAttempts(), waitMillis,
              failure.retryAfter() != null ? " (Retry-After)" : "");
          metrics.retry();
          batch.waitedMillis += waitMillis;
        }).build();
    try {
      return policy.call("Cortex embed " + model.name(), n -> attempt(body, texts.size(), batch));
    } catch (PipelineException e) {
      metrics.failure();
      if (e.kind().isRetryable()) {
        throw new ModelUnavailableException(e.kind(), "Cortex " + model.name()
            + " still failing after " + batch.requests + " attempt(s) and " + batch.waitedMillis
            + " ms of waiting: " + e.getMessage(), batch.requests, e.retryAfter());
      }
      throw e;
    }
  }

  /** What one batch has been through so far (for messages, logs and dead-letter attempts). */
  private static final class Batch {
    int requests;
    long waitedMillis;
    String lastProblem = "no attempt made";
  }

  /**
   * One request: the vectors, or a {@link PipelineException} saying what kind of failure it was
   * (see the class doc); never retries itself.
   */
  private List<float[]> attempt(byte[] body, int expected, Batch batch) {
    SnowflakeAuth a = auth();
    batch.requests++;
    long t0 = System.nanoTime();
    int status = 0;
    try {
      HttpResponse response = send(a, body);
      try {
        status = response.getStatusCode();
        metrics.response(status, (System.nanoTime() - t0) / 1_000_000);
        if (status / 100 == 2) {
          noteWarning(response);
          String json = response.parseAsString();
          try {
            CortexEmbedWire.Embedded embedded = CortexEmbedWire.parse(json, expected, model);
            metrics.embedded(expected, embedded.totalTokens());
            return embedded.vectors();
          } catch (CortexEmbedWire.MalformedResponse e) {
            throw unavailable(FailureKind.RETRYABLE, batch, "malformed response: "
                + e.getMessage(), null);
          }
        }
        String error = CortexEmbedWire.errorText(response);
        String problem = "HTTP " + status + (error.isEmpty() ? "" : ": " + error);
        if (status == 401 || status == 403) {
          throw unavailable(FailureKind.FATAL_CONFIG, batch, "Cortex refused the credentials ("
              + problem + "); check SNOWFLAKE_PAT or the key pair, and that the user's default "
              + "role has SNOWFLAKE.CORTEX_USER", null);
        }
        if (!retryable(status)) {
          batch.lastProblem = problem;
          throw new CortexRejectedException(status, "Cortex " + model.name() + " rejected "
              + expected + " text(s): " + problem);
        }
        if (status == 429) {
          Duration retryAfter = RetryAfter.parse(
              response.getHeaders().getFirstHeaderStringValue("Retry-After"), Clock.systemUTC());
          if (retryAfter != null && retryAfter.compareTo(config.maxRetryAfter()) > 0) {
            throw unavailable(FailureKind.RATE_LIMITED, batch, "Cortex is throttling (HTTP 429) "
                + "and asks to wait " + retryAfter + ", above the " + config.maxRetryAfter()
                + " limit", retryAfter);
          }
          throw unavailable(FailureKind.RATE_LIMITED, batch, problem, retryAfter);
        }
        throw unavailable(FailureKind.RETRYABLE, batch, problem, null);
      } finally {
        response.disconnect();
      }
    } catch (IOException e) {
      if (status == 0) {
        metrics.response(0, (System.nanoTime() - t0) / 1_000_000);
      }
      throw unavailable(FailureKind.RETRYABLE, batch,
          "I/O failure (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  private static ModelUnavailableException unavailable(FailureKind kind, Batch batch,
      String problem, @Nullable Duration retryAfter) {
    batch.lastProblem = problem;
    return new ModelUnavailableException(kind, problem, batch.requests, retryAfter);
  }

  private HttpResponse send(SnowflakeAuth a, byte[] body) throws IOException {
    HttpRequest req = requests.buildPostRequest(new GenericUrl(config.embedUrl()),
        new ByteArrayContent("application/json", body));
    HttpHeaders headers = new HttpHeaders()
        .setAuthorization("Bearer " + a.bearerToken())
        .setAccept("application/json")
        .setUserAgent("gong-pipeline-cortex");
    headers.set("X-Snowflake-Authorization-Token-Type", a.tokenType());
    return req.setHeaders(headers)
        .setConnectTimeout((int) config.connectTimeout().toMillis())
        .setReadTimeout((int) config.readTimeout().toMillis())
        .setNumberOfRetries(0)
        .setThrowExceptionOnExecuteError(false)
        .setLoggingEnabled(false)
        .setCurlLoggingEnabled(false)
        .execute();
  }

  private SnowflakeAuth auth() {
    SnowflakeAuth a = auth;
    if (a == null) {
      synchronized (this) {
        if (auth == null) {
          try {
            auth = authSource.get();
          } catch (RuntimeException e) {
            // Missing or unreadable credentials fail every chunk alike: not the input's fault.
            throw new ModelUnavailableException(FailureKind.FATAL_CONFIG, e.getMessage(), 0,
                null);
          }
          LOG.info("Cortex embeddings: {} at {} ({} auth)", model.name(), config.accountUrl(),
              auth.tokenType());
        }
        a = auth;
      }
    }
    return a;
  }

  private void noteWarning(HttpResponse response) {
    String warning = response.getHeaders().getFirstHeaderStringValue(WARNING_HEADER);
    if (warning != null && !warningLogged) {
      warningLogged = true;
      LOG.warn("Cortex at {} warns: {}", config.accountUrl(), warning);
    }
  }

  static boolean retryable(int status) {
    return status == 429 || status == 408 || status >= 500;
  }

  @Override
  public String toString() {
    return "CortexEmbedder(" + model.name() + " at " + config.accountUrl() + ")";
  }
}
