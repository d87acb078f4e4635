package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.gongpipeline.snowflake.EnvSnowflakeDataSource;
import java.lang.reflect.Proxy;
import java.util.List;
import javax.sql.DataSource;
import org.apache.beam.sdk.io.snowflake.enums.CreateDisposition;
import org.apache.beam.sdk.io.snowflake.enums.WriteDisposition;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeBatchServiceConfig;
import org.apache.beam.sdk.io.snowflake.services.SnowflakeServices;
import org.junit.jupiter.api.Test;

/** The bulk path around SnowflakeIO's COPY: landing DDL first, then the COPY, then the merge. */
class LandThenMergeServicesTest {
  static final FakeJdbc JDBC = new FakeJdbc();

  @Test
  void createsTheLandingTableCopiesThenMergesTheLoad() throws Exception {
    SnowflakeServices copyOnly = new SnowflakeServices() {
      @Override
      public BatchService getBatchService() {
        return new BatchService() {
          @Override
          public String read(SnowflakeBatchServiceConfig c) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void write(SnowflakeBatchServiceConfig c) {
            JDBC.log.add("COPY " + c.getFilesList());
          }
        };
      }

      @Override
      public StreamingService getStreamingService() {
        throw new UnsupportedOperationException();
      }
    };
    DataSource ds = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, (p, m, a) -> {
          if (m.getName().equals("getConnection")) {
            return JDBC.open();
          }
          throw new UnsupportedOperationException(m.getName());
        });
    SnowflakeBatchServiceConfig config = new SnowflakeBatchServiceConfig(v -> ds,
        List.of("gs://b/raw/a.csv.gz"), null, "GONG", "RAW", "GONG_RAW_LANDING", null,
        CreateDisposition.CREATE_NEVER, WriteDisposition.APPEND, "I", "gs://b/raw/", "'");

    new LandThenMergeServices(copyOnly, "load-7").getBatchService().write(config);

    List<String> log = JDBC.log.stream().filter(l -> !l.equals("close")).toList();
    assertThat(log.get(0), is("CREATE TABLE IF NOT EXISTS RAW.GONG_RAW_LANDING ("));
    assertThat(log.get(1), is("COPY [gs://b/raw/a.csv.gz]"));
    assertThat(log.get(2), startsWith("CREATE TEMPORARY TABLE \"RAW\".\"GP_STAGE_GONG_CALLS_RAW_"));
    assertThat(log.get(log.size() - 1),
        is("DELETE FROM \"RAW\".\"GONG_RAW_LANDING\" WHERE \"LOAD_ID\" = ?"));
  }

  @Test
  void theDataSourceCarriesOnlyTheUrlAndIsEqualByIt() {
    assertThat(new EnvSnowflakeDataSource("jdbc:snowflake://a/"),
        is(new EnvSnowflakeDataSource("jdbc:snowflake://a/")));
    assertThat(new EnvSnowflakeDataSource("jdbc:snowflake://a/").toString(),
        is("EnvSnowflakeDataSource[jdbc:snowflake://a/]"));
  }
}
