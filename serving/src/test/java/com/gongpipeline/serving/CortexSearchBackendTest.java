package com.gongpipeline.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import com.gongpipeline.snowflake.SnowflakeCredentials;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The Cortex Search request body: query, columns, limit, and the filters as the service's. */
class CortexSearchBackendTest {
  @Test
  void filtersBecomeTheServicesFilterAndTheConfigHidesTheToken() {
    assertThat(CortexSearchBackend.body(SearchRequest.of("pricing").withK(4)).toString(),
        equalTo("{\"query\":\"pricing\",\"columns\":[\"MEMORY_ID\",\"CONTENT\",\"SOURCE_ID\","
            + "\"AFFILIATION\",\"ACCOUNT_NAME\",\"CALL_DATETIME_UTC\"],\"limit\":4}"));
    SearchRequest one = new SearchRequest("q", 5, SearchMode.HYBRID, "Acme", null, null, null);
    assertThat(CortexSearchBackend.body(one).get("filter").toString(),
        equalTo("{\"@eq\":{\"ACCOUNT_NAME\":\"Acme\"}}"));
    SearchRequest all = new SearchRequest("q", 5, SearchMode.HYBRID, "Acme",
        Instant.parse("2026-06-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z"), "external");
    assertThat(CortexSearchBackend.body(all).get("filter").toString(), equalTo("{\"@and\":["
        + "{\"@eq\":{\"ACCOUNT_NAME\":\"Acme\"}},{\"@eq\":{\"AFFILIATION\":\"External\"}},"
        + "{\"@gte\":{\"CALL_DATETIME_UTC\":\"2026-06-01T00:00:00Z\"}},"
        + "{\"@not\":{\"@gte\":{\"CALL_DATETIME_UTC\":\"2026-07-01T00:00:00Z\"}}}]}"));
    var auth = SnowflakeCredentials.pat("s3cret-pat", null, null).resolve();
    CortexSearchBackend.Config c = new CortexSearchBackend.Config("https://acct.example",
        "GONG", "AI_MEMORY", "GONG_CALL_SEARCH", () -> auth, Duration.ofSeconds(5));
    assertThat(c.toString(), not(containsString("s3cret")));
    assertThat(c.queryPath(), equalTo(
        "/api/v2/databases/GONG/schemas/AI_MEMORY/cortex-search-services/GONG_CALL_SEARCH:query"));
  }
}
