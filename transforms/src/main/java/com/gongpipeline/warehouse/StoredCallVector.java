package com.gongpipeline.warehouse;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A call's vector ({@code AI_MEMORY.CALL_VECTORS}) with what a reader shows of the call: title,
 * start (as the warehouse prints it), account and deal ids.
 */
public record StoredCallVector(String callId, String embeddingModel, float[] embedding,
    @Nullable String title, @Nullable String started, @Nullable String account,
    @Nullable String hubspotDealId, @Nullable String salesforceOpportunityId) {

  /** True when {@code dealId} is this call's HubSpot deal or Salesforce opportunity. */
  public boolean onDeal(String dealId) {
    return dealId.equals(hubspotDealId) || dealId.equals(salesforceOpportunityId);
  }
}
