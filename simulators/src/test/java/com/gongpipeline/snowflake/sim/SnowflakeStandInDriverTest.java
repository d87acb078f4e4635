package com.gongpipeline.snowflake.sim;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.gongpipeline.enrich.VaderSentimentScorer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The real Snowflake JDBC driver (3.23.1) against {@link SnowflakeStandIn} over plain HTTP: login
 * with PAT, key-pair JWT and password; DDL with VARIANT and VECTOR; array-bound batches; MERGE
 * counts; VARIANT paths; Cortex SENTIMENT; awkward strings; injected faults.
 */
class SnowflakeStandInDriverTest {
  private static final String PAT = "pat-s3cr3t-value-1234567890";
  private static final String PASSWORD = "pw-s3cr3t-value";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KeyPair keys;
  private static SnowflakeStandIn standIn;

  @BeforeAll
  static void start() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    keys = gen.generateKeyPair();
    standIn = SnowflakeStandIn.start(StandInConfig.builder()
        .token(PAT).password(PASSWORD).publicKey(keys.getPublic()).build());
  }

  /** Whatever the driver did in all these tests, it never called a path the stand-in lacks. */
  @AfterAll
  static void stop() {
    StandInStats stats = standIn.stats();
    standIn.close();
    System.out.println("Snowflake stand-in requests by path: " + stats.requestsByPath());
    assertThat(stats.unknownPaths(), empty());
  }

  private static Properties patProps(String token) {
    Properties p = new Properties();
    p.put("user", "TEST_USER");
    p.put("authenticator", "PROGRAMMATIC_ACCESS_TOKEN");
    p.put("token", token);
    p.put("loginTimeout", "20");
    return p;
  }

  /** The PAT as the password: works with every driver setting (see the PAT test below). */
  private static Connection connect() throws SQLException {
    Properties p = new Properties();
    p.put("user", "TEST_USER");
    p.put("password", PAT);
    return DriverManager.getConnection(standIn.jdbcUrl(), p);
  }

  private static List<RecordedStatement> executedLike(String sqlPrefix) {
    return standIn.statements().stream()
        .filter(s -> s.sql().startsWith(sqlPrefix) && !s.describeOnly())
        .collect(Collectors.toList());
  }

  /**
   * {@code authenticator=PROGRAMMATIC_ACCESS_TOKEN}, a SELECT, and a clean close (the session is
   * deleted on the stand-in). Driver 3.23.1 needs SF_ENABLE_EXPERIMENTAL_AUTHENTICATION=true for
   * this authenticator; surefire sets it.
   */
  @Test
  @EnabledIfEnvironmentVariable(named = "SF_ENABLE_EXPERIMENTAL_AUTHENTICATION", matches = "true")
  void connectsWithProgrammaticAccessToken() throws Exception {
    long before = standIn.stats().requests(SnowflakeStandIn.SESSION);
    try (Connection c = DriverManager.getConnection(standIn.jdbcUrl(), patProps(PAT));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1 + 1 AS two, 'x' AS letter")) {
      assertThat(rs.next(), is(true));
      assertThat(rs.getInt("TWO"), is(2));
      assertThat(rs.getString("LETTER"), is("x"));
      assertThat(rs.next(), is(false));
      assertThat(c.getCatalog(), is("GONG"));
    }
    assertThat(standIn.stats().requests(SnowflakeStandIn.SESSION), is(before + 1));
    assertThat(standIn.stats().unknownPaths(), empty());
  }

  /** Key-pair login: the driver signs an RS256 JWT that the stand-in verifies with the public key. */
  @Test
  void connectsWithKeyPairJwt() throws Exception {
    Properties p = new Properties();
    p.put("user", "test_user");
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", keys.getPrivate());
    try (Connection c = DriverManager.getConnection(standIn.jdbcUrl(), p);
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 42")) {
      assertThat(rs.next(), is(true));
      assertThat(rs.getLong(1), is(42L));
    }
  }

  /** A JWT signed by another key is refused, naming the reason but not the token. */
  @Test
  void refusesJwtSignedByAnotherKey() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    Properties p = new Properties();
    p.put("user", "TEST_USER");
    p.put("authenticator", "SNOWFLAKE_JWT");
    p.put("privateKey", gen.generateKeyPair().getPrivate());
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(standIn.jdbcUrl(), p).close());
    assertThat(e.getErrorCode(), is(StandInAuth.BAD_JWT));
    assertThat(e.getMessage(), containsString("fingerprint"));
  }

  /**
   * A password login works; a wrong PAT fails with a clear SQLException that hides the secret,
   * both as the token of the PAT authenticator and in the password field.
   */
  @Test
  @EnabledIfEnvironmentVariable(named = "SF_ENABLE_EXPERIMENTAL_AUTHENTICATION", matches = "true")
  void wrongTokenFailsWithoutTheSecretInTheMessage() throws Exception {
    Properties pw = new Properties();
    pw.put("user", "TEST_USER");
    pw.put("password", PASSWORD);
    try (Connection c = DriverManager.getConnection(standIn.jdbcUrl(), pw)) {
      assertThat(c.isClosed(), is(false));
    }
    String wrong = "pat-wrong-and-secret-0987654321";
    long refused = standIn.stats().refusedLogins();
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(standIn.jdbcUrl(), patProps(wrong)).close());
    assertThat(e.getErrorCode(), is(StandInAuth.BAD_TOKEN));
    assertThat(e.getMessage(), containsString("programmatic access token"));
    assertThat(fullText(e), allOf(not(containsString(wrong)), not(containsString(PAT))));
    Properties asPassword = new Properties();
    asPassword.put("user", "TEST_USER");
    asPassword.put("password", wrong);
    SQLException e2 = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(standIn.jdbcUrl(), asPassword).close());
    assertThat(e2.getErrorCode(), is(StandInAuth.BAD_PASSWORD));
    assertThat(fullText(e2), allOf(not(containsString(wrong)), not(containsString(PAT))));
    assertThat(standIn.stats().refusedLogins(), is(refused + 2));
  }

  /**
   * DDL with VARIANT and VECTOR(FLOAT,768), a 500-row executeBatch sent as ONE array-bound request,
   * and per-row update counts.
   */
  @Test
  void batchInsertOf500RowsIsOneArrayBoundRequest() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS BATCH");
      st.execute("CREATE OR REPLACE TRANSIENT TABLE GONG.BATCH.CHUNKS (CHUNK_ID STRING NOT NULL, "
          + "SEQ NUMBER(38,0), SCORE FLOAT, PAYLOAD VARIANT, EMBEDDING VECTOR(FLOAT, 768), "
          + "LOADED_AT TIMESTAMP_NTZ)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO BATCH.CHUNKS "
          + "(CHUNK_ID, SEQ, SCORE, PAYLOAD, LOADED_AT) VALUES (?, ?, ?, ?, ?)")) {
        for (int i = 0; i < 500; i++) {
          ps.setString(1, "chunk-" + i);
          ps.setLong(2, i);
          if (i % 7 == 3) {
            ps.setNull(3, java.sql.Types.DOUBLE);
          } else {
            ps.setDouble(3, i / 10.0);
          }
          ps.setString(4, "{\"i\": " + i + "}");
          ps.setTimestamp(5, java.sql.Timestamp.valueOf("2026-03-01 10:00:00"));
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        assertThat(counts.length, is(500));
        assertThat(Arrays.stream(counts).boxed().collect(Collectors.toList()), everyItem(is(1)));
      }
      try (ResultSet rs = st.executeQuery(
          "SELECT COUNT(*), SUM(SEQ), MAX(SCORE), COUNT(SCORE), MAX(PAYLOAD:i::NUMBER) "
              + "FROM BATCH.CHUNKS")) {
        rs.next();
        assertThat(rs.getLong(1), is(500L));
        assertThat(rs.getLong(2), is(499L * 500 / 2));
        assertThat(rs.getDouble(3), closeTo(49.9, 1e-12));
        assertThat(rs.getLong(4), is(500L - 71));
        assertThat(rs.getLong(5), is(499L));
      }
    }
    List<RecordedStatement> inserts = executedLike("INSERT INTO BATCH.CHUNKS");
    assertThat(inserts, hasSize(1));
    assertThat(inserts.get(0).batchRows(), is(500));
    assertThat(inserts.get(0).rowCount(), is(500L));
  }

  /**
   * Booleans, dates, timestamps, decimals and binary survive binding and come back typed.
   * Timestamps keep microseconds (DuckDB's precision; Snowflake keeps nanoseconds).
   */
  @Test
  void typedValuesRoundTrip() throws Exception {
    java.sql.Timestamp ts = java.sql.Timestamp.from(java.time.Instant.parse(
        "2026-03-01T10:15:30.123456Z"));
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS TY");
      st.execute("CREATE OR REPLACE TABLE TY.V (B BOOLEAN, D DATE, LTZ TIMESTAMP_LTZ, "
          + "NTZ TIMESTAMP_NTZ, AMOUNT NUMBER(12,4), BYTES BINARY, N NUMBER)");
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO TY.V VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setBoolean(1, true);
        ps.setDate(2, java.sql.Date.valueOf("2026-02-28"));
        ps.setTimestamp(3, ts);
        ps.setTimestamp(4, ts);
        ps.setBigDecimal(5, new java.math.BigDecimal("12345678.9012"));
        ps.setBytes(6, new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
        ps.setNull(7, java.sql.Types.BIGINT);
        assertThat(ps.executeUpdate(), is(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT B, D, LTZ, NTZ, AMOUNT, BYTES, N FROM TY.V")) {
        assertThat(rs.next(), is(true));
        assertThat(rs.getBoolean(1), is(true));
        assertThat(rs.getDate(2).toLocalDate(), is(java.time.LocalDate.parse("2026-02-28")));
        assertThat(rs.getTimestamp(3).toInstant(), is(ts.toInstant()));
        assertThat(rs.getString(4), startsWith("2026-03-01 10:15:30.123"));
        assertThat(rs.getBigDecimal(5), is(new java.math.BigDecimal("12345678.9012")));
        assertThat(rs.getBytes(6), is(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}));
        assertThat(rs.getObject(7), is(org.hamcrest.Matchers.nullValue()));
        assertThat(rs.getMetaData().getColumnTypeName(3), is("TIMESTAMPLTZ"));
      }
    }
  }

  /** setAutoCommit(false) + rollback/commit map onto a DuckDB transaction of the session. */
  @Test
  void transactionsCommitAndRollBack() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS TX");
      st.execute("CREATE OR REPLACE TABLE TX.T (ID NUMBER)");
      c.setAutoCommit(false);
      st.executeUpdate("INSERT INTO TX.T VALUES (1)");
      c.rollback();
      st.executeUpdate("INSERT INTO TX.T VALUES (2)");
      c.commit();
      c.setAutoCommit(true);
      try (ResultSet rs = st.executeQuery("SELECT LISTAGG(ID, ',') FROM TX.T")) {
        rs.next();
        assertThat(rs.getString(1), is("2"));
      }
    }
  }

  /**
   * The driver takes AUTOCOMMIT from each response's parameters: after {@code setAutoCommit(false)}
   * and a statement it must still know autocommit is off, so {@code setAutoCommit(true)} reaches
   * the stand-in and what the session does next is committed (visible to other sessions).
   */
  @Test
  void autocommitStaysOffUntilTurnedBackOn() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS AC");
      st.execute("CREATE OR REPLACE TABLE AC.T (ID NUMBER)");
      c.setAutoCommit(false);
      st.executeUpdate("INSERT INTO AC.T VALUES (1)");
      assertThat(c.getAutoCommit(), is(false));
      c.commit();
      assertThat(c.getAutoCommit(), is(false));
      c.setAutoCommit(true);
      assertThat(c.getAutoCommit(), is(true));
      st.executeUpdate("INSERT INTO AC.T VALUES (2)");
      try (Connection other = connect(); Statement o = other.createStatement();
          ResultSet rs = o.executeQuery("SELECT COUNT(*) FROM AC.T")) {
        rs.next();
        assertThat(rs.getLong(1), is(2L));
      }
    }
  }

  /** Four connections batch-insert into one table at the same time, as parallel DoFns would. */
  @Test
  void concurrentSessionsShareOneDatabase() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS CC");
      st.execute("CREATE OR REPLACE TABLE CC.T (W NUMBER, I NUMBER)");
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        final int worker = w;
        done.add(pool.submit(() -> {
          try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
              "INSERT INTO CC.T (W, I) VALUES (?, ?)")) {
            for (int i = 0; i < 200; i++) {
              ps.setInt(1, worker);
              ps.setInt(2, i);
              ps.addBatch();
            }
            return Arrays.stream(ps.executeBatch()).sum();
          }
        }));
      }
      for (java.util.concurrent.Future<Integer> f : done) {
        assertThat(f.get(), is(200));
      }
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT W) FROM CC.T")) {
      rs.next();
      assertThat(rs.getLong(1), is(800L));
      assertThat(rs.getLong(2), is(4L));
    }
  }

  /** MERGE from a staging table deduplicated with QUALIFY: inserted and updated counts. */
  @Test
  void mergeWithQualifyReportsInsertedAndUpdatedCounts() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS M");
      st.execute("CREATE OR REPLACE TABLE M.TARGET (ID STRING, TXT STRING, V NUMBER)");
      st.execute("CREATE OR REPLACE TEMPORARY TABLE M.STAGE (ID STRING, TXT STRING, V NUMBER, "
          + "INGESTED_AT TIMESTAMP_NTZ)");
      assertThat(st.executeUpdate("INSERT INTO M.TARGET VALUES ('a','old',1),('b','old',1)"),
          is(2));
      assertThat(st.executeUpdate("INSERT INTO M.STAGE VALUES "
          + "('a','new',2,'2026-01-01 00:00:00'),('a','older',9,'2025-01-01 00:00:00'),"
          + "('c','new',3,'2026-01-01 00:00:00'),('d','new',4,'2026-01-01 00:00:00'),"
          + "('d','stale',0,'2025-01-01 00:00:00')"), is(5));
      String merge = "MERGE INTO M.TARGET t USING (SELECT ID, TXT, V FROM M.STAGE "
          + "QUALIFY ROW_NUMBER() OVER (PARTITION BY ID ORDER BY INGESTED_AT DESC) = 1) s "
          + "ON t.ID = s.ID "
          + "WHEN MATCHED AND t.TXT <> s.TXT THEN UPDATE SET TXT = s.TXT, V = s.V "
          + "WHEN NOT MATCHED THEN INSERT (ID, TXT, V) VALUES (s.ID, s.TXT, s.V)";
      try (ResultSet rs = st.executeQuery(merge)) {
        ResultSetMetaData md = rs.getMetaData();
        assertThat(md.getColumnName(1), is("number of rows inserted"));
        assertThat(md.getColumnName(2), is("number of rows updated"));
        rs.next();
        assertThat(rs.getLong(1), is(2L));
        assertThat(rs.getLong(2), is(1L));
      }
      // run again: nothing new, nothing changed
      assertThat(st.executeUpdate(merge), is(0));
      try (ResultSet rs = st.executeQuery("SELECT ID, TXT, V FROM M.TARGET ORDER BY ID")) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getString(1) + "=" + rs.getString(2) + "/" + rs.getLong(3));
        }
        assertThat(rows, contains("a=new/2", "b=old/1", "c=new/3", "d=new/4"));
      }
    }
  }

  /** PARSE_JSON into VARIANT, a VARIANT path, and a VECTOR read back as JSON text with ::ARRAY. */
  @Test
  void variantPathsAndVectorsAsArrays() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS V");
      st.execute("CREATE OR REPLACE TABLE V.DOCS (ID NUMBER(10,0), DOC VARIANT, "
          + "EMB VECTOR(FLOAT, 3))");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO V.DOCS (ID, DOC, EMB) "
          + "SELECT ?, PARSE_JSON(?), PARSE_JSON(?)::ARRAY::VECTOR(FLOAT, 3)")) {
        ps.setLong(1, 7);
        ps.setString(2, "{\"speaker\": {\"name\": \"Ann\", \"tags\": [\"ae\", \"emea\"]}}");
        ps.setString(3, "[0.25, 0.5, 1.0]");
        assertThat(ps.executeUpdate(), is(1));
      }
      try (ResultSet rs = st.executeQuery("SELECT DOC:speaker.name::STRING AS NAME, "
          + "DOC:speaker.tags[1] AS TAG, EMB::ARRAY AS EMB_JSON, "
          + "VECTOR_COSINE_SIMILARITY(EMB, [0.25, 0.5, 1.0]::VECTOR(FLOAT, 3)) AS SELF_SIM, "
          + "IFF(ID > 5, 'big', 'small') AS SIZE, NVL(NULL, 'dflt') AS D "
          + "FROM V.DOCS WHERE ID = 7")) {
        assertThat(rs.next(), is(true));
        assertThat(rs.getString("NAME"), is("Ann"));
        assertThat(JSON.readTree(rs.getString("TAG")).asText(), is("emea"));
        JsonNode emb = JSON.readTree(rs.getString("EMB_JSON"));
        assertThat(emb.size(), is(3));
        assertThat(emb.get(2).asDouble(), closeTo(1.0, 1e-6));
        assertThat(rs.getDouble("SELF_SIM"), closeTo(1.0, 1e-6));
        assertThat(rs.getString("SIZE"), is("big"));
        assertThat(rs.getString("D"), is("dflt"));
      }
    }
  }

  /** {@code SELECT v.$1, SNOWFLAKE.CORTEX.SENTIMENT(v.$2) FROM VALUES (?,?),(?,?) AS v}. */
  @Test
  void cortexSentimentOverBoundValuesMatchesVader() throws Exception {
    List<String> texts = List.of("This is great, we love the product!",
        "Terrible onboarding, the support was awful.");
    double[] expected = new VaderSentimentScorer().score(texts);
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT v.$1, SNOWFLAKE.CORTEX.SENTIMENT(v.$2) FROM VALUES (?, ?), (?, ?) AS v")) {
      ps.setString(1, "c1");
      ps.setString(2, texts.get(0));
      ps.setString(3, "c2");
      ps.setString(4, texts.get(1));
      try (ResultSet rs = ps.executeQuery()) {
        for (int i = 0; i < 2; i++) {
          assertThat(rs.next(), is(true));
          assertThat(rs.getString(1), is("c" + (i + 1)));
          double score = rs.getDouble(2);
          assertThat(score, allOf(greaterThanOrEqualTo(-1.0), lessThanOrEqualTo(1.0)));
          assertThat(score, closeTo(expected[i], 1e-9));
        }
        assertThat(rs.next(), is(false));
      }
    }
    assertThat(expected[0], greaterThanOrEqualTo(0.5));
    assertThat(expected[1], lessThanOrEqualTo(-0.5));
  }

  /** AI_EMBED gives a model-sized vector that fits a VECTOR(FLOAT,768) column and reads as JSON. */
  @Test
  void aiEmbedFillsVectorColumns() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS E");
      st.execute("CREATE OR REPLACE TABLE E.MEM (ID STRING, EMB VECTOR(FLOAT, 768))");
      assertThat(st.executeUpdate("INSERT INTO E.MEM SELECT 'x', "
          + "AI_EMBED('e5-base-v2', 'passage: pricing discussion')"), is(1));
      try (ResultSet rs = st.executeQuery("SELECT EMB::ARRAY, "
          + "VECTOR_COSINE_SIMILARITY(EMB, AI_EMBED('e5-base-v2', 'passage: pricing discussion')) "
          + "FROM E.MEM")) {
        rs.next();
        assertThat(JSON.readTree(rs.getString(1)).size(), is(768));
        assertThat(rs.getDouble(2), closeTo(1.0, 1e-5));
      }
    }
  }

  /** Unicode, SQL-looking text and a 1 MB string survive binding and come back unchanged. */
  @Test
  void awkwardStringsRoundTripThroughBindings() throws Exception {
    String big = "ä€😀x".repeat(1 << 18); // 1 MiB of chars, multi-byte
    List<String> values = List.of("Grüße, 東京, emoji 😀, RTL שלום",
        "'; DROP TABLE T.S; --", "it's \"quoted\" \\ back\\slash ? $1 :x", "", big);
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS T");
      st.execute("CREATE OR REPLACE TABLE T.S (K NUMBER, V STRING)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO T.S (K, V) VALUES (?, ?)")) {
        for (int i = 0; i < values.size(); i++) {
          ps.setInt(1, i);
          ps.setString(2, values.get(i));
          assertThat(ps.executeUpdate(), is(1));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT V FROM T.S WHERE K = ?")) {
        for (int i = 0; i < values.size(); i++) {
          ps.setInt(1, i);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next(), is(true));
            assertThat("row " + i, rs.getString(1), equalTo(values.get(i)));
          }
        }
      }
    }
  }

  /** Statements that only matter on a real account are acknowledged and recorded as no-ops. */
  @Test
  void accountOnlyStatementsAreRecordedNoOps() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("USE ROLE SYSADMIN");
      st.execute("USE WAREHOUSE LOAD_WH");
      st.execute("ALTER SESSION SET QUERY_TAG = 'gong'");
      st.execute("CREATE OR REPLACE MASKING POLICY PII_MASK AS (v STRING) RETURNS STRING -> "
          + "CASE WHEN CURRENT_ROLE() IN ('PII') THEN v ELSE '***' END");
      st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA RAW TO ROLE ANALYST");
    }
    List<RecordedStatement> noOps = standIn.statements().stream()
        .filter(s -> s.outcome() == RecordedStatement.Outcome.NO_OP)
        .collect(Collectors.toList());
    assertThat(noOps.stream().map(RecordedStatement::sql).collect(Collectors.toList()),
        org.hamcrest.Matchers.hasItems("USE ROLE SYSADMIN", "USE WAREHOUSE LOAD_WH",
            "ALTER SESSION SET QUERY_TAG = 'gong'"));
    assertThat(noOps.stream().anyMatch(s -> s.sql().startsWith("CREATE OR REPLACE MASKING")),
        is(true));
    assertThat(noOps.stream().anyMatch(s -> s.sql().startsWith("GRANT")), is(true));
  }

  /** Session variables keep string literal values ({@code SET account = 'Acme'}), not only numbers. */
  @Test
  void sessionVariablesKeepStringLiterals() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("SET account = 'O''Brien & Co'");
      st.execute("SET days = 90");
      try (ResultSet rs = st.executeQuery("SELECT $account AS a, $days + 1 AS d")) {
        assertThat(rs.next(), is(true));
        assertThat(rs.getString(1), is("O'Brien & Co"));
        assertThat(rs.getLong(2), is(91L));
      }
    }
  }

  /** A SQL error comes back as an SQLException with Snowflake's code and state. */
  @Test
  void sqlErrorsSurfaceWithSnowflakeCodes() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class,
          () -> st.executeQuery("SELECT * FROM NO_SUCH.TABLE_X"));
      assertThat(e.getErrorCode(), is(2003));
      assertThat(e.getSQLState(), is("42S02"));
      assertThat(e.getMessage(), startsWith("SQL compilation error"));
    }
  }

  /** The driver's session heartbeat reaches {@code /session/heartbeat} and succeeds. */
  @Test
  void heartbeatIsAnswered() throws Throwable {
    try (Connection c = connect()) {
      long before = standIn.stats().requests(SnowflakeStandIn.HEARTBEAT);
      c.unwrap(net.snowflake.client.jdbc.SnowflakeConnectionV1.class).getSfSession()
          .callHeartBeat(0);
      assertThat(standIn.stats().requests(SnowflakeStandIn.HEARTBEAT), is(before + 1));
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
        assertThat(rs.next(), is(true));
      }
    }
  }

  /** An injected HTTP 503 on the next query request is retried by the driver itself. */
  @Test
  void injected503IsRetriedByTheDriver() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      long retriedBefore = standIn.stats().retriedRequests();
      standIn.faults().httpStatus(503, 1);
      try (ResultSet rs = st.executeQuery("SELECT 'after-503'")) {
        rs.next();
        assertThat(rs.getString(1), is("after-503"));
      }
      assertThat(standIn.faults().pending(), is(0));
      assertThat(standIn.stats().retriedRequests(), greaterThanOrEqualTo(retriedBefore + 1));
    }
  }

  /** An expired session (390112) is renewed with the master token and the statement re-sent. */
  @Test
  void expiredSessionIsRenewedAndRetried() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      long renewals = standIn.stats().renewals();
      standIn.faults().sessionExpired();
      try (ResultSet rs = st.executeQuery("SELECT 'after-renew'")) {
        rs.next();
        assertThat(rs.getString(1), is("after-renew"));
      }
      assertThat(standIn.stats().renewals(), is(renewals + 1));
    }
  }

  /**
   * An expired master token (390114) is not renewable: the statement fails with that code and the
   * caller must log in again (unlike 390112, which the driver renews by itself).
   */
  @Test
  void expiredMasterTokenSurfacesWithItsCode() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      long renewals = standIn.stats().renewals();
      standIn.faults().snowflakeError(390114, "08001",
          "Authentication token has expired.  The user must authenticate again.");
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1"));
      assertThat(e.getErrorCode(), is(390114));
      assertThat(standIn.stats().renewals(), is(renewals));
    }
  }

  /** A statement timeout (000630) surfaces as an SQLException carrying that code. */
  @Test
  void statementTimeoutSurfacesWithItsCode() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      standIn.faults().snowflakeError(630, "57014",
          "Statement reached its statement or warehouse timeout of 10 second(s) and was canceled.");
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1"));
      assertThat(e.getErrorCode(), is(630));
      assertThat(e.getMessage(), containsString("timeout"));
    }
  }

  private static String fullText(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable x = t; x != null; x = x.getCause()) {
      sb.append(x).append('\n');
    }
    return sb.toString();
  }
}
