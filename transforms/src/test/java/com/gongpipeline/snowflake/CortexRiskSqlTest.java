package com.gongpipeline.snowflake;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.gongpipeline.enrich.RiskClassifier;
import com.gongpipeline.golden.GoldenSql;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Snowflake risk MERGE ({@link CortexRiskSql}) matches its golden file. */
class CortexRiskSqlTest {

  @Test
  void theStatementMatchesItsGoldenFile() {
    new GoldenSql("snowflake").check("cortex_risk_indicators",
        GoldenSql.render(CortexRiskSql.sql(), List.of()));
  }

  @Test
  void everyCategoryOfTheTaxonomyIsOfferedAsAMultiLabel() {
    String sql = CortexRiskSql.sql();
    for (String c : RiskClassifier.CATEGORIES) {
      assertThat(sql, containsString("{'label': '" + c + "', 'description': '"));
    }
    assertThat(sql, containsString("'output_mode': 'multi'"));
    assertThat(sql, containsString("RISK_INPUT_HASH IS DISTINCT FROM i.INPUT_HASH"));
  }
}
