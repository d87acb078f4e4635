package com.gongpipeline.snowflake.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Snowflake to DuckDB rewrites, one shape per case, and what they must leave alone. */
class SnowflakeToDuckDbTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "CREATE TABLE T (A VARIANT, B OBJECT, C ARRAY) | CREATE TABLE T (A JSON, B JSON, C JSON)",
    "CREATE TABLE T (A NUMBER, B NUMBER(10,0), C NUMBER(38,0), D NUMBER(12,4)) "
        + "| CREATE TABLE T (A BIGINT, B BIGINT, C DECIMAL(38,0), D DECIMAL(12,4))",
    "CREATE TABLE T (A TIMESTAMP_NTZ, B TIMESTAMP_LTZ(9), C TIMESTAMP_TZ) "
        + "| CREATE TABLE T (A TIMESTAMP, B TIMESTAMPTZ, C TIMESTAMPTZ)",
    "CREATE TABLE T (E VECTOR(FLOAT, 768), F FLOAT, G VECTOR(INT, 4)) "
        + "| CREATE TABLE T (E FLOAT[768], F DOUBLE, G INTEGER[4])",
    "CREATE OR REPLACE TRANSIENT TABLE RAW.X (A STRING) | CREATE OR REPLACE TABLE RAW.X (A STRING)",
    "CREATE TEMPORARY TABLE S (A TEXT) | CREATE TABLE S (A TEXT)",
    "SELECT PARSE_JSON(?) , IFF(a > 1, 'x', 'y'), NVL(b, 0) "
        + "| SELECT json(?) , if(a > 1, 'x', 'y'), coalesce(b, 0)",
    "SELECT VECTOR_COSINE_SIMILARITY(e, q) , CURRENT_TIMESTAMP() "
        + "| SELECT array_cosine_similarity(e, q) , current_timestamp",
    "SELECT x::ARRAY::VECTOR(FLOAT, 3) | SELECT x::JSON::FLOAT[3]",
    "SELECT v.$1, SNOWFLAKE.CORTEX.SENTIMENT(v.$2) FROM VALUES (?, ?), (?, ?) AS v "
        + "| SELECT v.col0, sf_cortex_sentiment(v.col1) FROM (VALUES (?, ?), (?, ?)) AS v",
    "SELECT $1 FROM VALUES ('a'), ('b') | SELECT col0 FROM (VALUES ('a'), ('b'))",
    "SELECT v.$1 FROM VALUES (1) v WHERE v.$1 > 0 "
        + "| SELECT v.col0 FROM (VALUES (1)) AS v WHERE v.col0 > 0",
    "SELECT AI_EMBED('e5-base-v2', t) | SELECT sf_ai_embed_768('e5-base-v2', t)",
    "SELECT SNOWFLAKE.CORTEX.EMBED_TEXT_1024('nv-embed-qa-4', t) "
        + "| SELECT sf_ai_embed_1024('nv-embed-qa-4', t)",
    "SELECT AI_EMBED(m, t) | SELECT sf_ai_embed(m, t)",
    "SELECT doc:speaker.name::STRING, doc:tags[0] FROM d "
        + "| SELECT (doc->>'$.speaker.name')::VARCHAR, (doc->'$.tags[0]') FROM d",
    "USE SCHEMA RAW | USE RAW",
    "SELECT GET_PATH(m, 'title')::VARCHAR, GET_PATH(m, 'a.b') FROM t "
        + "| SELECT sf_get_path_text(m, 'title')::VARCHAR, sf_get_path(m, 'a.b') FROM t",
    "SELECT DATE_PART(EPOCH_MICROSECOND, ts), DATE_PART(epoch_second, ts) "
        + "| SELECT epoch_us(ts), sf_epoch_second(ts)",
    "SELECT DATEADD(days, -90, x), TIMESTAMPADD(hr, 1, x) "
        + "| SELECT sf_dateadd('day', -90, x), sf_dateadd('hour', 1, x)",
    "SELECT REGEXP_LIKE(t, '.*a.*', 'is') | SELECT regexp_full_match(t, '.*a.*', 'is')",
    "SELECT TRY_TO_TIMESTAMP_NTZ(s), TO_TIMESTAMP(s) | SELECT sf_try_to_timestamp(s), sf_to_timestamp(s)",
    "SELECT column_name FROM information_schema.columns "
        + "| SELECT column_name FROM sf_information_schema.columns",
    "CREATE TABLE IF NOT EXISTS R.C (ID VARCHAR NOT NULL PRIMARY KEY, \"K\" INT UNIQUE) "
        + "| CREATE TABLE IF NOT EXISTS R.C (ID VARCHAR NOT NULL, \"K\" INT)",
    "CREATE TABLE R.P (A INT, B INT, PRIMARY KEY (\"A\", B), FOREIGN KEY (B) REFERENCES R.C(ID)) "
        + "| CREATE TABLE R.P (A INT, B INT)",
    "SELECT f.value:category::STRING FROM c, LATERAL FLATTEN(input => c.R) f "
        + "| SELECT (f.value->>'$.category')::VARCHAR FROM c, LATERAL json_each(c.R) f",
    "SELECT f.value FROM c, LATERAL FLATTEN( INPUT => c.RESULT:labels ) f "
        + "| SELECT f.value FROM c, LATERAL json_each((c.RESULT->'$.labels') ) f",
    "CREATE OR REPLACE VIEW S.V COPY GRANTS AS SELECT 1 | CREATE OR REPLACE VIEW S.V AS SELECT 1",
    "SELECT f.value::STRING AS C FROM r, LATERAL FLATTEN(input => r.X:labels) f "
        + "| SELECT json_extract_string(f.value, '$') AS C FROM r, "
        + "LATERAL json_each((r.X->'$.labels')) f",
    "SELECT SHA2(LISTAGG(h, ',') WITHIN GROUP (ORDER BY i), 256) FROM t "
        + "| SELECT sf_sha2(string_agg(h, ',' ORDER BY i), 256) FROM t",
    "SELECT ARRAY_AGG(OBJECT_CONSTRUCT_KEEP_NULL('a', x)) WITHIN GROUP (ORDER BY i, x) FROM t "
        + "| SELECT CAST(array_agg(json_object('a', x) ORDER BY i, x) AS JSON) FROM t",
    "SELECT OBJECT_AGG(k, v::VARIANT), ARRAY_CONSTRUCT() | SELECT json_group_object(k, v::JSON), json_array()",
    "SELECT AI_CLASSIFY(t, ['a'], {'output_mode': 'multi'}), AI_SUMMARIZE_AGG(t) "
        + "| SELECT sf_ai_classify(t, ['a'], {'output_mode': 'multi'}), sf_ai_summarize_agg(t)",
  })
  void rewrites(String snowflake, String duckDb) {
    assertThat(SnowflakeToDuckDb.translate(snowflake), is(duckDb));
  }

  @Test
  void sessionVariablesAreSubstitutedOutsideLiterals() {
    assertThat(QueryRunner.substituteVariables("SELECT $q, '$q', $other",
        java.util.Map.of("Q", "'soc 2'")), is("SELECT ('soc 2'), '$q', $other"));
  }

  @Test
  void keyConstraintsInLiteralsStay() {
    String sql = "CREATE TABLE T (A STRING DEFAULT 'PRIMARY KEY')";
    assertThat(SnowflakeToDuckDb.translate(sql), is(sql));
  }

  @Test
  void dropsTheStandInDatabaseFromThreePartNames() {
    assertThat(SnowflakeToDuckDb.translate("INSERT INTO gong.RAW.CALLS SELECT * FROM GONG.STG.X",
        "GONG"), is("INSERT INTO RAW.CALLS SELECT * FROM STG.X"));
    assertThat(SnowflakeToDuckDb.translate("SELECT GONG.A FROM T", "GONG"),
        is("SELECT GONG.A FROM T"));
  }

  /** Literals, quoted identifiers and comments are never rewritten. */
  @ParameterizedTest
  @ValueSource(strings = {
    "SELECT 'VARIANT NUMBER(3,0) IFF( $1 v.$2 a:b' AS x",
    "SELECT \"ARRAY\" FROM t",
    "SELECT 1 -- NVL( VARIANT\n",
    "SELECT 1 /* PARSE_JSON( TIMESTAMP_NTZ */",
    "SELECT $$ VARIANT $1 $$",
    "SELECT 'it''s VARIANT' AS y",
  })
  void leavesLiteralsAlone(String sql) {
    assertThat(SnowflakeToDuckDb.translate(sql), is(sql));
  }

  @Test
  void castsAndTimesAreNotVariantPaths() {
    String sql = "SELECT a::STRING, '10:30' AS t, x::NUMBER(10,2) FROM s";
    assertThat(SnowflakeToDuckDb.translate(sql),
        is("SELECT a::STRING, '10:30' AS t, x::DECIMAL(10,2) FROM s"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "CREATE OR REPLACE MASKING POLICY PII AS (v STRING) RETURNS STRING -> v",
    "ALTER TABLE STG.SPEAKERS MODIFY COLUMN EMAIL SET MASKING POLICY PII",
    "GRANT USAGE ON SCHEMA RAW TO ROLE ANALYST",
    "CREATE ROLE IF NOT EXISTS ANALYST",
    "USE ROLE SYSADMIN",
    "use warehouse LOAD_WH",
    "ALTER SESSION SET QUERY_TAG = 'x'",
    "CREATE OR REPLACE CORTEX SEARCH SERVICE S ON TXT WAREHOUSE = W AS SELECT 1",
    "CREATE DATABASE IF NOT EXISTS GONG",
  })
  void accountOnlyStatementsAreNoOps(String sql) {
    Optional<String> reason = SnowflakeToDuckDb.noOpReason(sql);
    assertThat(sql, reason.isPresent(), is(true));
    assertThat(reason.get(), containsString("real Snowflake account"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "CREATE TABLE RAW.GRANTS (ROLE STRING)",
    "SELECT 'GRANT ALL' AS x",
    "ALTER TABLE RAW.CALLS ADD COLUMN X STRING",
    "USE SCHEMA RAW",
  })
  void ordinaryStatementsRun(String sql) {
    assertThat(SnowflakeToDuckDb.noOpReason(sql).isPresent(), is(false));
  }

  @Test
  void translationIsIdempotentOnDuckDbSql() {
    String once = SnowflakeToDuckDb.translate(
        "SELECT v.$1, AI_EMBED('e5-base-v2', v.$2) FROM VALUES (?, ?) AS v");
    assertThat(SnowflakeToDuckDb.translate(once), is(once));
    assertThat(once, not(containsString("$")));
  }
}
