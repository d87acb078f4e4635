package com.gongpipeline.warehouse;

import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A semantic-search request over AI_MEMORY: the query vector and the model that produced it (only
 * rows embedded with the same model and dimension are compared: vectors of different models live
 * in different spaces), how many hits, and optional filters.
 *
 * <pre>{@code
 * SearchQuery q = SearchQuery.builder(vector, "e5-small-v2").k(10).account("Acme").build();
 * }</pre>
 */
public final class SearchQuery implements Serializable {
  /** Hits returned when {@link Builder#k} is not set. */
  public static final int DEFAULT_K = 5;

  /** Upper bound on {@code k}; search is brute force, the caller wants a short list. */
  public static final int MAX_K = 1000;

  private final float[] queryVector;
  private final String embeddingModel;
  private final int k;
  private final @Nullable String account;
  private final @Nullable Instant since;
  private final @Nullable String affiliation;

  private SearchQuery(Builder b) {
    this.queryVector = b.queryVector.clone();
    this.embeddingModel = b.embeddingModel;
    this.k = b.k;
    this.account = b.account;
    this.since = b.since;
    this.affiliation = b.affiliation;
  }

  /** Starts a query; both arguments are required. */
  public static Builder builder(float[] queryVector, String embeddingModel) {
    return new Builder(queryVector, embeddingModel);
  }

  public float[] queryVector() {
    return queryVector.clone();
  }

  /** The vector's dimension; only rows with this EMBEDDING_DIM are compared. */
  public int dimension() {
    return queryVector.length;
  }

  public String embeddingModel() {
    return embeddingModel;
  }

  public int k() {
    return k;
  }

  /** Account name to match, case-insensitively; null for any. */
  public @Nullable String account() {
    return account;
  }

  /** Only calls that started at or after this instant; null for any. */
  public @Nullable Instant since() {
    return since;
  }

  /** "Internal" or "External" speaker affiliation, case-insensitive; null for any. */
  public @Nullable String affiliation() {
    return affiliation;
  }

  @Override
  public String toString() {
    return "SearchQuery{model=" + embeddingModel + ", dim=" + queryVector.length + ", k=" + k
        + ", account=" + account + ", since=" + since + ", affiliation=" + affiliation + "}";
  }

  /** Validating builder for {@link SearchQuery}. */
  public static final class Builder {
    private final float[] queryVector;
    private final String embeddingModel;
    private int k = DEFAULT_K;
    private @Nullable String account;
    private @Nullable Instant since;
    private @Nullable String affiliation;

    private Builder(float[] queryVector, String embeddingModel) {
      if (queryVector == null || queryVector.length == 0) {
        throw new IllegalArgumentException("queryVector is required and must not be empty");
      }
      boolean nonZero = false;
      for (float f : queryVector) {
        if (!Float.isFinite(f)) {
          throw new IllegalArgumentException("queryVector contains a non-finite value: " + f);
        }
        nonZero |= f != 0f;
      }
      if (!nonZero) {
        throw new IllegalArgumentException("queryVector is all zeros; cosine is undefined");
      }
      if (embeddingModel == null || embeddingModel.isBlank()) {
        throw new IllegalArgumentException("embeddingModel is required");
      }
      this.queryVector = Arrays.copyOf(queryVector, queryVector.length);
      this.embeddingModel = embeddingModel;
    }

    /** Number of hits, 1..{@value SearchQuery#MAX_K}; default {@value SearchQuery#DEFAULT_K}. */
    public Builder k(int k) {
      if (k < 1 || k > MAX_K) {
        throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", was " + k);
      }
      this.k = k;
      return this;
    }

    public Builder account(@Nullable String account) {
      this.account = blankToNull(account);
      return this;
    }

    public Builder since(@Nullable Instant since) {
      this.since = since;
      return this;
    }

    public Builder affiliation(@Nullable String affiliation) {
      this.affiliation = blankToNull(affiliation);
      return this;
    }

    public SearchQuery build() {
      return new SearchQuery(this);
    }

    private static @Nullable String blankToNull(@Nullable String s) {
      return s == null || s.isBlank() ? null : s.trim();
    }
  }
}
