package com.gongpipeline.gong.sim;

import java.time.ZoneId;
import java.util.List;

/** A Gong workspace and the time zones its users live in (which shape rendered offsets). */
record SimWorkspace(String id, String name, String description, List<ZoneId> zones) {}
