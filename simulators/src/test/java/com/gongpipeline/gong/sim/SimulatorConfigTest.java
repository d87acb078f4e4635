package com.gongpipeline.gong.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Defaults match the brief and the real API; nonsense configurations are rejected early. */
class SimulatorConfigTest {

  @Test
  void defaultsMirrorGongAndUseOddPageSizes() {
    Clock clock = Clock.fixed(Instant.parse("2026-05-05T10:42:13Z"), ZoneOffset.UTC);
    SimulatorConfig c = SimulatorConfig.builder().clock(clock).build();
    assertThat(c.seed(), is(42L));
    assertThat(c.calls(), is(300));
    assertThat(c.callsFrom(), is(Instant.parse("2026-04-05T10:00:00Z")));
    assertThat(c.callsTo(), is(Instant.parse("2026-05-05T09:00:00Z")));
    assertThat(c.accessKey(), is("sim-access-key"));
    assertThat(c.accessKeySecret(), is("sim-access-secret"));
    assertThat(c.callsPageSize(), is(37));
    assertThat(c.extensivePageSize(), is(17));
    assertThat(c.transcriptsPageSize(), is(13));
    assertThat(c.usersPageSize(), is(29));
    assertThat(c.requestsPerSecond(), is(3.0));
    assertThat(c.dailyQuota(), is(10_000L));
    assertThat(c.users(), is(40));
    assertThat(c.workspaces(), is(2));
    assertThat(c.privateCallRate(), is(0.05));
    assertThat(c.serverErrorRate() + c.slowResponseRate() + c.connectionResetRate()
        + c.cursorExpiryRate() + c.malformedPageRate() + c.retryAfterMissingRate(), is(0.0));
    assertThat(c.maxProcessingLag(), is(Duration.ZERO));
    assertThat(c.cursorTtl(), is(Duration.ofHours(1)));
    assertThat(c.port(), is(0));
  }

  @Test
  void toBuilderRoundTrips() {
    SimulatorConfig c = SimFixtures.config().serverErrorRate(0.2).build();
    assertThat(c.toBuilder().build(), is(c));
  }

  @Test
  void invalidConfigurationsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> SimFixtures.config()
        .callsFrom(SimFixtures.TO).callsTo(SimFixtures.FROM).build());
    assertThrows(IllegalArgumentException.class, () -> SimFixtures.config().serverErrorRate(1.5).build());
    assertThrows(IllegalArgumentException.class, () -> SimFixtures.config()
        .minProcessingLag(Duration.ofHours(2)).maxProcessingLag(Duration.ofHours(1)).build());
    assertThrows(IllegalArgumentException.class, () -> SimFixtures.config().callsPageSize(0).build());
    assertThrows(IllegalArgumentException.class, () -> SimFixtures.config().users(1).workspaces(2).build());
  }
}
