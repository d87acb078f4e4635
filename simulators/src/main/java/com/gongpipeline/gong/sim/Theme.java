package com.gongpipeline.gong.sim;

/** Conversation themes; their display names are the call's {@code content.topics[].name}. */
enum Theme {
  SMALL_TALK("Small Talk"),
  DISCOVERY("Discovery"),
  PRICING("Pricing"),
  COMPETITION("Competition"),
  SECURITY("Security"),
  IMPLEMENTATION("Implementation"),
  NEXT_STEPS("Next Steps");

  private final String displayName;

  Theme(String displayName) {
    this.displayName = displayName;
  }

  String displayName() {
    return displayName;
  }
}
