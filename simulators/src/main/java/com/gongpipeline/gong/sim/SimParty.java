package com.gongpipeline.gong.sim;

/**
 * A call participant. Internal parties carry the Gong {@code userId}; external ones a CRM contact
 * id; an "Unknown" party has neither an email nor a {@code speakerId} (null), like a dial-in.
 */
record SimParty(
    String id,
    String name,
    String email,
    String title,
    String userId,
    String speakerId,
    String affiliation,
    String phone,
    boolean invitee,
    String crmContactId) {

  boolean internal() {
    return "Internal".equals(affiliation);
  }
}
