package com.gongpipeline.gong.sim;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A Gong user (a seller-side employee) or, when {@code avatar}, one of Gong's synthetic staff users
 * that only {@code includeAvatars=true} lists. {@code spokenLanguages} are BCP-47 tags, the first
 * one primary.
 */
record SimUser(
    String id,
    String email,
    Instant created,
    boolean active,
    String firstName,
    String lastName,
    String title,
    String phone,
    String managerId,
    List<String> spokenLanguages,
    String workspaceId,
    ZoneId zone,
    boolean avatar) {

  String fullName() {
    return firstName + " " + lastName;
  }

  boolean speaks(String bcp47Prefix) {
    return spokenLanguages.stream().anyMatch(l -> l.startsWith(bcp47Prefix));
  }
}
