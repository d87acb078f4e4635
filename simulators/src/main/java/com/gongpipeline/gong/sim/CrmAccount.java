package com.gongpipeline.gong.sim;

import java.time.LocalDate;
import java.util.List;

/**
 * A fictional customer account and its one open deal, held either in Salesforce (Account
 * {@code 001…} and Opportunity {@code 006…}) or in HubSpot (numeric company and deal ids). The
 * deal's stage "now" is {@code stageIndex}; calls further in the past saw earlier stages, which
 * is what {@code contextTiming: TimeOfCall} exposes.
 */
record CrmAccount(
    String name,
    String domain,
    String industry,
    boolean salesforce,
    String accountId,
    String opportunityId,
    String opportunityName,
    int stageIndex,
    long amount,
    LocalDate closeDate) {

  static final List<String> SALESFORCE_STAGES = List.of("Prospecting", "Qualification",
      "Needs Analysis", "Value Proposition", "Proposal/Price Quote", "Negotiation/Review");
  static final List<String> HUBSPOT_STAGES = List.of("appointmentscheduled", "qualifiedtobuy",
      "presentationscheduled", "decisionmakerboughtin", "contractsent");

  String system() {
    return salesforce ? "Salesforce" : "HubSpot";
  }

  List<String> stages() {
    return salesforce ? SALESFORCE_STAGES : HUBSPOT_STAGES;
  }

  /** The stage name {@code weeksBeforeNow} weeks ago (one stage per two weeks, floored at 0). */
  String stageAt(long weeksBeforeNow) {
    int idx = (int) Math.max(0, Math.min(stageIndex, stageIndex - weeksBeforeNow / 2));
    return stages().get(idx);
  }

  /** First word of the name, as people say it on calls ("Brightwater"). */
  String shortName() {
    int space = name.indexOf(' ');
    return space < 0 ? name : name.substring(0, space);
  }
}
