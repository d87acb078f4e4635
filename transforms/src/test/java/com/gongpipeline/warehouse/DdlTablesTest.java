package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Snowflake writer's column lists come from the DDL: a migration's ADD COLUMN counts, or the
 * writer refuses rows carrying the new column ("has no column").
 */
class DdlTablesTest {

  @Test
  void addColumnMigrationsAppendColumnsOnce() {
    DdlTables t = DdlTables.parse("""
        CREATE TABLE IF NOT EXISTS S.T (
          ID VARCHAR NOT NULL PRIMARY KEY, -- the key
          A NUMBER(38,0)
        );
        ALTER TABLE S.T ADD COLUMN IF NOT EXISTS A NUMBER(38,0);
        ALTER TABLE S.T ADD COLUMN IF NOT EXISTS B VARCHAR;
        ALTER TABLE S.OTHER ADD COLUMN IF NOT EXISTS C VARCHAR;
        """);
    assertThat(t.tables().get("S.T").stream().map(Column::name).toList(),
        is(List.of("ID", "A", "B")));
    assertThat(t.tables().get("S.T").get(2).nullable(), is(true));
  }

  @Test
  void theSnowflakeScriptsDeclareTheMigration140Columns() {
    List<String> calls = DdlTables.fromResources(SnowflakeDialect.SCHEMA_SCRIPTS).tables()
        .get("STG_TRANSFORMED.STG_GONG_CALLS").stream().map(Column::name).toList();
    assertThat(calls, hasItems("CALL_SUMMARY", "CALL_SUMMARY_METHOD", "CALL_SUMMARY_INPUT_HASH",
        "NEXT_STEPS_METHOD"));
  }
}
