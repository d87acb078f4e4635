package com.gongpipeline.model;

import java.io.Serializable;
import java.time.Instant;
import org.checkerframework.checker.nullness.qual.Nullable;

/** What a chunk needs to know about its call for AI_MEMORY metadata and search filters. */
public record CallContext(
    String callId,
    @Nullable String title,
    @Nullable Instant started,
    @Nullable String language,
    @Nullable String accountName,
    @Nullable String hubspotDealId,
    @Nullable String hubspotCompanyId,
    @Nullable String salesforceOpportunityId,
    @Nullable String workspaceId,
    @Nullable String callUrl,
    long version)
    implements Serializable {

  /** An unversioned context (version 0); {@code version} is the fetch's ({@code FetchedCall}). */
  public CallContext(String callId, @Nullable String title, @Nullable Instant started,
      @Nullable String language, @Nullable String accountName, @Nullable String hubspotDealId,
      @Nullable String hubspotCompanyId, @Nullable String salesforceOpportunityId,
      @Nullable String workspaceId, @Nullable String callUrl) {
    this(callId, title, started, language, accountName, hubspotDealId, hubspotCompanyId,
        salesforceOpportunityId, workspaceId, callUrl, 0L);
  }

  /** True for languages the sentiment models are trained on (English), or when Gong did not say. */
  public boolean englishOrUnknown() {
    return language == null || language.isBlank() || "eng".equalsIgnoreCase(language)
        || "und".equalsIgnoreCase(language);
  }
}
