package com.gongpipeline.cortex.sim;

import java.security.PublicKey;
import java.time.Clock;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a {@link CortexSimulator} behaves: where it listens, whom it lets in (a PAT, and/or key-pair
 * JWTs of {@code account}/{@code user} signed by the key whose public half is given), the response
 * shape, and a random throttle rate for trying retries by hand. Scripted faults are added on the
 * running simulator ({@link CortexSimulator#failNext}).
 */
public record CortexSimulatorConfig(int port, String account, String user, @Nullable String pat,
    @Nullable PublicKey publicKey, boolean nestedEmbeddings, boolean reverseDataOrder,
    double throttleRate, long seed, Clock clock, boolean hashedVectors) {

  /** The PAT {@code simulate --cortexPort} accepts; a demo value, not a secret. */
  public static final String DEMO_PAT = "sim-cortex-pat";

  public static Builder builder() {
    return new Builder();
  }

  /** Defaults: any free port, account SIMACCOUNT, user SIMUSER, PAT {@value #DEMO_PAT}, nested. */
  public static final class Builder {
    private int port;
    private String account = "SIMACCOUNT";
    private String user = "SIMUSER";
    private @Nullable String pat = DEMO_PAT;
    private @Nullable PublicKey publicKey;
    private boolean nested = true;
    private boolean reverse;
    private double throttleRate;
    private long seed = 42;
    private Clock clock = Clock.systemUTC();
    private boolean hashed;

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder account(String account) {
      this.account = account;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The accepted programmatic access token; null accepts none. */
    public Builder pat(@Nullable String pat) {
      this.pat = pat;
      return this;
    }

    /** Accept key-pair JWTs for account/user signed by the matching private key. */
    public Builder publicKey(@Nullable PublicKey publicKey) {
      this.publicKey = publicKey;
      return this;
    }

    /** {@code "embedding": [[...]]} as the OpenAPI spec types it (true) or flat {@code [...]}. */
    public Builder nestedEmbeddings(boolean nested) {
      this.nested = nested;
      return this;
    }

    /** Return {@code data[]} last index first, so clients must order by {@code index}. */
    public Builder reverseDataOrder(boolean reverse) {
      this.reverse = reverse;
      return this;
    }

    /** Share of requests answered 429 without Retry-After (seeded). */
    public Builder throttleRate(double rate) {
      if (rate < 0 || rate > 1) {
        throw new IllegalArgumentException("throttleRate must be in [0, 1], got " + rate);
      }
      this.throttleRate = rate;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Vectors from a hash of each text instead of the local model: Cortex-shaped (dimension,
     * response) and stable per text, but with no similarity between texts, and next to free, so a
     * load test ({@code bench --scale}) measures the pipeline, not the model.
     */
    public Builder hashedVectors(boolean hashed) {
      this.hashed = hashed;
      return this;
    }

    public CortexSimulatorConfig build() {
      return new CortexSimulatorConfig(port, account, user, pat, publicKey, nested, reverse,
          throttleRate, seed, clock, hashed);
    }
  }
}
