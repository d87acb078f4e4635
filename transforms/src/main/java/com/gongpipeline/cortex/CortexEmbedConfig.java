package com.gongpipeline.cortex;

import com.gongpipeline.security.CleartextPolicy;
import com.gongpipeline.snowflake.SnowflakeCredentials;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a {@link CortexEmbedder} needs, Serializable so it travels inside a DoFn: the account
 * URL, the model, a reference to the credentials, and the batching, timeout and retry bounds.
 *
 * <pre>{@code
 * CortexEmbedConfig c = CortexEmbedConfig.builder("https://myorg-myacct.snowflakecomputing.com",
 *         SnowflakeCredentials.fromEnv())
 *     .model("e5-base-v2").batchSize(64).build();
 * }</pre>
 */
public final class CortexEmbedConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The embed endpoint, relative to the account URL. */
  public static final String EMBED_PATH = "/api/v2/cortex/inference:embed";

  private final String accountUrl;
  private final CortexModel model;
  private final SnowflakeCredentials credentials;
  private final int batchSize;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final Duration maxTotalWait;

  private CortexEmbedConfig(Builder b) {
    this.accountUrl = b.accountUrl;
    this.model = b.model;
    this.credentials = b.credentials;
    this.batchSize = b.batchSize;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.maxRetryAfter = b.maxRetryAfter;
    this.maxTotalWait = b.maxTotalWait;
  }

  public static Builder builder(String accountUrl, SnowflakeCredentials credentials) {
    return new Builder(accountUrl, credentials);
  }

  /** {@code https://ACCOUNT.snowflakecomputing.com} (or the local stand-in), no trailing slash. */
  public String accountUrl() {
    return accountUrl;
  }

  public String embedUrl() {
    return accountUrl + EMBED_PATH;
  }

  public CortexModel model() {
    return model;
  }

  public SnowflakeCredentials credentials() {
    return credentials;
  }

  /** Most texts per request; larger inputs are split into several requests, in order. */
  public int batchSize() {
    return batchSize;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  /** Requests per batch, first one included, before a retryable failure becomes final. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** A 429 asking for a longer wait than this fails at once instead of sleeping. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** Total time one batch may spend waiting between attempts. */
  public Duration maxTotalWait() {
    return maxTotalWait;
  }

  public Builder toBuilder() {
    return new Builder(accountUrl, credentials).model(model.name()).batchSize(batchSize)
        .connectTimeout(connectTimeout).readTimeout(readTimeout).maxAttempts(maxAttempts)
        .backoff(initialBackoff, maxBackoff).maxRetryAfter(maxRetryAfter)
        .maxTotalWait(maxTotalWait);
  }

  @Override
  public String toString() {
    return "CortexEmbedConfig{" + accountUrl + ", " + model.name() + ", batch " + batchSize
        + ", attempts " + maxAttempts + ", " + credentials + "}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CortexEmbedConfig c && accountUrl.equals(c.accountUrl)
        && model.equals(c.model) && credentials.equals(c.credentials) && batchSize == c.batchSize
        && connectTimeout.equals(c.connectTimeout) && readTimeout.equals(c.readTimeout)
        && maxAttempts == c.maxAttempts && initialBackoff.equals(c.initialBackoff)
        && maxBackoff.equals(c.maxBackoff) && maxRetryAfter.equals(c.maxRetryAfter)
        && maxTotalWait.equals(c.maxTotalWait);
  }

  @Override
  public int hashCode() {
    return Objects.hash(accountUrl, model, credentials, batchSize, maxAttempts);
  }

  /** Defaults: e5-base-v2, 64 texts, 10 s connect, 60 s read, 6 attempts, 0.5–20 s back-off. */
  public static final class Builder {
    private final String accountUrl;
    private final SnowflakeCredentials credentials;
    private CortexModel model = CortexModel.E5_BASE_V2;
    private int batchSize = 64;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);
    private int maxAttempts = 6;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(20);
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private Duration maxTotalWait = Duration.ofMinutes(2);

    private Builder(String accountUrl, SnowflakeCredentials credentials) {
      if (accountUrl == null || accountUrl.isBlank()) {
        throw new IllegalArgumentException("--cortexUrl is required with --embeddings=cortex, e.g. "
            + "https://myorg-myaccount.snowflakecomputing.com");
      }
      String url = accountUrl.trim();
      while (url.endsWith("/")) {
        url = url.substring(0, url.length() - 1);
      }
      String lower = url.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
        throw new IllegalArgumentException("--cortexUrl must start with https:// (http:// only for "
            + "the local stand-in), got " + accountUrl);
      }
      CleartextPolicy.requireSecureTransport("--cortexUrl", url);
      this.accountUrl = url;
      this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    public Builder model(String name) {
      this.model = CortexModel.named(name);
      return this;
    }

    public Builder batchSize(int texts) {
      if (texts < 1) {
        throw new IllegalArgumentException("Cortex batch size must be at least 1, got " + texts);
      }
      this.batchSize = texts;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connect timeout");
      return this;
    }

    public Builder readTimeout(Duration d) {
      this.readTimeout = positive(d, "read timeout");
      return this;
    }

    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("Cortex max attempts must be at least 1, got "
            + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = positive(initial, "initial back-off");
      this.maxBackoff = positive(max, "max back-off");
      return this;
    }

    public Builder maxRetryAfter(Duration d) {
      this.maxRetryAfter = positive(d, "max Retry-After");
      return this;
    }

    public Builder maxTotalWait(Duration d) {
      this.maxTotalWait = positive(d, "max total wait");
      return this;
    }

    public CortexEmbedConfig build() {
      return new CortexEmbedConfig(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("Cortex " + what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
