package com.gongpipeline.errors;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Issue 11 item 16: secrets in JDBC URLs never reach logs, output or tables. */
class SecretRedactionTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jdbc:snowflake://acct.snowflakecomputing.com/?user=etl&password=hunter2&db=GONG"
          + "|jdbc:snowflake://acct.snowflakecomputing.com/?user=etl&password=***&db=GONG",
      "jdbc:snowflake://acct.snowflakecomputing.com/?PASSWORD=hunter2"
          + "|jdbc:snowflake://acct.snowflakecomputing.com/?PASSWORD=***",
      "jdbc:snowflake://a.snowflakecomputing.com/;user=etl;Password=hunter2;warehouse=WH"
          + "|jdbc:snowflake://a.snowflakecomputing.com/;user=etl;Password=***;warehouse=WH",
      "jdbc:snowflake://a.snowflakecomputing.com/?token=eyJhbGciOi.x.y&authenticator=oauth"
          + "|jdbc:snowflake://a.snowflakecomputing.com/?token=***&authenticator=oauth",
      "jdbc:snowflake://a.snowflakecomputing.com/?private_key_file_pwd=s3cret&private_key_base64=MIIE"
          + "|jdbc:snowflake://a.snowflakecomputing.com/?private_key_file_pwd=***&private_key_base64=***",
      "jdbc:duckdb:md:gong?motherduck_token=abc.def|jdbc:duckdb:md:gong?motherduck_token=***",
      "jdbc:postgresql://etl:hunter2@db.example.com/gong|jdbc:postgresql://etl:***@db.example.com/gong",
      "https://user:pa55@gong.example.com/v2|https://user:***@gong.example.com/v2",
      "jdbc:duckdb:./gong.duckdb|jdbc:duckdb:./gong.duckdb",
      "--chunkMaxTokens=512 --warehouse=jdbc:duckdb:x.duckdb"
          + "|--chunkMaxTokens=512 --warehouse=jdbc:duckdb:x.duckdb",
  })
  void masksSecretParametersOnly(String in, String expected) {
    assertThat(SecretRedaction.redact(in), equalTo(expected));
  }

  @Test
  void redactsOptionMapsAndExceptionTraces() {
    assertThat(SecretRedaction.redact(Map.of("warehouse", "jdbc:snowflake://a/?Pwd=x1;db=G")),
        equalTo(Map.of("warehouse", "jdbc:snowflake://a/?Pwd=***;db=G")));
    Exception e = new RuntimeException("open failed",
        new SQLException("cannot connect to jdbc:snowflake://a/?user=u&password=hunter2"));
    String trace = SecretRedaction.stackTrace(e);
    assertThat(trace, not(containsString("hunter2")));
    assertThat(trace, containsString("password=***"));
    assertThat(trace, containsString("SQLException"));
  }
}
