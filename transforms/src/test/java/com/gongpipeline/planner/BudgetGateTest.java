package com.gongpipeline.planner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseProvider;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The stream's budget gate reads the shared ledger of the UTC day of "now". */
class BudgetGateTest {
  @Test
  void pausesOnceTheDaysLedgerReachesTheBudgetAndNotOnTheNextDay() {
    String url = "jdbc:duckdb::memory:gate-" + UUID.randomUUID();
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      BudgetGate gate = BudgetGate.ledger(WarehouseProvider.of(url), 100);
      Instant now = Instant.parse("2026-03-02T15:00:00Z");
      wh.addGongRequests(LocalDate.parse("2026-03-02"), "other-job", "GET /v2/calls", 99);
      assertThat(gate.pausedBecause(now), nullValue());
      wh.addGongRequests(LocalDate.parse("2026-03-02"), "stream-1", "POST /v2/calls/extensive", 1);
      assertThat(gate.pausedBecause(now), containsString("100 of 100 requests on 2026-03-02"));
      assertThat(gate.pausedBecause(now), containsString("2026-03-03T00:00Z"));
      assertThat(gate.pausedBecause(Instant.parse("2026-03-03T00:00:01Z")), nullValue());
    }
  }
}
