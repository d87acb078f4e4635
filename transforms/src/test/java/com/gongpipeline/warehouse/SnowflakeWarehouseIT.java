package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.gongpipeline.snowflake.SnowflakeConnections;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SnowflakeWarehouse} against a real Snowflake account: the shared {@link
 * WarehouseScenario} (the same logical operations DuckDB runs), plus a check that the live tables
 * have exactly the columns the DDL declares. Skipped, with the missing variables named, unless
 * {@code SNOWFLAKE_ACCOUNT}, {@code SNOWFLAKE_USER} and one of {@code
 * SNOWFLAKE_PRIVATE_KEY_FILE}/{@code SNOWFLAKE_PAT}/{@code SNOWFLAKE_PASSWORD} are set; use a
 * dedicated database ({@code SNOWFLAKE_DATABASE}) and a role that may create schemas in it. Rows
 * carry a per-run tag and are deleted afterwards; the schemas stay.
 *
 * <pre>{@code
 * export SNOWFLAKE_ACCOUNT=xy12345.eu-central-1 SNOWFLAKE_USER=GONG_PIPELINE \
 *        SNOWFLAKE_PRIVATE_KEY_FILE=~/.snowflake/rsa_key.p8 SNOWFLAKE_ROLE=GONG_INGEST \
 *        SNOWFLAKE_WAREHOUSE=GONG_WH SNOWFLAKE_DATABASE=GONG_IT
 * mvn -B -o -pl transforms test -Dtest=SnowflakeWarehouseIT -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
class SnowflakeWarehouseIT {
  private SnowflakeWarehouse wh;
  private WarehouseScenario scenario;

  @BeforeEach
  void connect() {
    Map<String, String> env = System.getenv();
    List<String> missing = SnowflakeConnections.missing(env);
    assumeTrue(missing.isEmpty(),
        "Snowflake integration test skipped: set " + String.join(", ", missing));
    String url = SnowflakeConnections.urlFromEnvironment(env).orElseThrow();
    wh = new SnowflakeWarehouse(url, SnowflakeConnections.fromEnvironment(env));
    scenario = new WarehouseScenario(wh, "it-" + UUID.randomUUID().toString().substring(0, 8),
        768, "e5-base-v2");
  }

  @AfterEach
  void cleanUp() {
    if (wh != null) {
      try {
        scenario.cleanUp();
      } finally {
        wh.close();
      }
    }
  }

  @Test
  void theSharedScenarioPassesOnSnowflake() {
    scenario.runAll();
  }

  @Test
  void liveTablesHaveTheColumnsTheDdlDeclares() throws Exception {
    wh.applySchema();
    Map<String, String> env = System.getenv();
    Properties p = SnowflakeConnections.fromEnvironment(env);
    SnowflakeDialect dialect = new SnowflakeDialect();
    DdlTables ddl = DdlTables.fromResources(SnowflakeDialect.SCHEMA_SCRIPTS);
    try (Connection c = DriverManager.getConnection(
        SnowflakeConnections.urlFromEnvironment(env).orElseThrow(), p)) {
      for (Map.Entry<String, List<Column>> t : ddl.tables().entrySet()) {
        String[] st = t.getKey().split("\\.");
        List<String> live = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(dialect.columnsQuery())) {
          ps.setString(1, st[0]);
          ps.setString(2, st[1]);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              live.add(rs.getString(1));
            }
          }
        }
        assertThat(t.getKey(), live, is(t.getValue().stream().map(Column::name).toList()));
      }
    }
  }
}
