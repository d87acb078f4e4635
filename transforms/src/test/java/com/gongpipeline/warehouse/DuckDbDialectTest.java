package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Golden SQL text of {@link DuckDbDialect}: what the warehouse sends, letter by letter. */
class DuckDbDialectTest {
  private final DuckDbDialect dialect = new DuckDbDialect();

  private static final List<Column> TOPIC_COLUMNS = List.of(
      new Column("CALL_ID", "VARCHAR", false),
      new Column("TOPIC_NAME", "VARCHAR", false),
      new Column("DURATION_SECONDS", "DOUBLE", true),
      new Column("JOB_ID", "VARCHAR", false),
      new Column("LOADED_AT", "TIMESTAMP", false));

  @Test
  void mergeComparesNonVolatileColumnsAndUpdatesAllNonKeyColumns() {
    String sql = dialect.merge(TableSpec.of(WarehouseTable.STG_TOPICS), TOPIC_COLUMNS, "GP_STAGE_1");
    assertThat(sql, is(String.join("\n",
        "MERGE INTO \"STG_TRANSFORMED\".\"STG_GONG_CALL_TOPICS\" AS t",
        "USING (",
        "  SELECT \"CALL_ID\", \"TOPIC_NAME\", \"DURATION_SECONDS\", \"JOB_ID\", \"LOADED_AT\"",
        "  FROM \"GP_STAGE_1\"",
        "  QUALIFY row_number() OVER (PARTITION BY \"CALL_ID\", \"TOPIC_NAME\""
            + " ORDER BY \"__GP_SEQ\" DESC) = 1",
        ") AS s",
        "ON t.\"CALL_ID\" = s.\"CALL_ID\" AND t.\"TOPIC_NAME\" = s.\"TOPIC_NAME\"",
        "WHEN MATCHED AND (t.\"DURATION_SECONDS\" IS DISTINCT FROM s.\"DURATION_SECONDS\")",
        "  THEN UPDATE SET \"DURATION_SECONDS\" = s.\"DURATION_SECONDS\", \"JOB_ID\" = s.\"JOB_ID\","
            + " \"LOADED_AT\" = s.\"LOADED_AT\"",
        "WHEN NOT MATCHED",
        "  THEN INSERT (\"CALL_ID\", \"TOPIC_NAME\", \"DURATION_SECONDS\", \"JOB_ID\", \"LOADED_AT\")"
            + " VALUES (s.\"CALL_ID\", s.\"TOPIC_NAME\", s.\"DURATION_SECONDS\", s.\"JOB_ID\","
            + " s.\"LOADED_AT\")",
        "RETURNING merge_action")));
  }

  @Test
  void mergeNamingKeysAddsABoundKeyListToTheOnClauseOfAOneColumnKey() {
    TableSpec spec = new TableSpec("S", "T", List.of("ID"), Set.of("JOB_ID"));
    List<Column> columns =
        List.of(new Column("ID", "VARCHAR", false), new Column("V", "VARCHAR", true));
    String plain = dialect.merge(spec, columns, "st");
    BoundSql named = dialect.mergeNamingKeys(spec, columns, "st", List.of("a", "b", "c"));
    assertThat(named.sql(), is(plain.replace("ON t.\"ID\" = s.\"ID\"\n",
        "ON t.\"ID\" = s.\"ID\" AND t.\"ID\" IN (?, ?, ?)\n")));
    assertThat(named.params(), contains("a", "b", "c"));
    // A composite key, or no keys: the plain MERGE, nothing bound.
    BoundSql topics = dialect.mergeNamingKeys(TableSpec.of(WarehouseTable.STG_TOPICS),
        TOPIC_COLUMNS, "GP_STAGE_1", List.of("c1"));
    assertThat(topics.sql(), is(dialect.merge(TableSpec.of(WarehouseTable.STG_TOPICS),
        TOPIC_COLUMNS, "GP_STAGE_1")));
    assertThat(topics.params().isEmpty(), is(true));
    assertThat(dialect.mergeNamingKeys(spec, columns, "st", List.of()).sql(), is(plain));
  }

  @Test
  void mergeWithoutComparableColumnsNeverUpdates() {
    TableSpec spec = new TableSpec("S", "T", List.of("ID"), Set.of("JOB_ID"));
    String sql = dialect.merge(spec,
        List.of(new Column("ID", "VARCHAR", false), new Column("JOB_ID", "VARCHAR", true)), "st");
    assertThat(sql, not(containsString("WHEN MATCHED")));
    assertThat(sql, containsString("WHEN NOT MATCHED"));
  }

  @Test
  void stagingTableMirrorsTheTargetPlusASequence() {
    assertThat(dialect.createStagingTable("GP_STAGE_9", List.of(
            new Column("MEMORY_ID", "VARCHAR", false), new Column("EMBEDDING", "FLOAT[]", true),
            new Column("METADATA", "JSON", true))),
        is("CREATE TEMP TABLE \"GP_STAGE_9\" (\"MEMORY_ID\" VARCHAR, \"EMBEDDING\" FLOAT[],"
            + " \"METADATA\" JSON, \"__GP_SEQ\" BIGINT)"));
    assertThat(dialect.invalidJsonQuery("GP_STAGE_9", List.of(new Column("METADATA", "JSON", true))),
        is("SELECT min(CASE WHEN NOT json_valid(\"METADATA\") THEN \"__GP_SEQ\" END)"
            + " FROM \"GP_STAGE_9\""));
  }

  @Test
  void identifiersAreQuotedAndEscaped() {
    assertThat(dialect.quote("A\"B"), is("\"A\"\"B\""));
    assertThat(dialect.qualified("RAW", "GONG_CALLS_RAW"), is("\"RAW\".\"GONG_CALLS_RAW\""));
  }

  @Test
  void deleteBindsEveryValue() {
    BoundSql sql = dialect.deleteWhere(TableSpec.of(WarehouseTable.MEMORY_RECORDS), "SOURCE_ID",
        List.of("c1", "x'); DROP TABLE y; --"));
    assertThat(sql.sql(),
        is("DELETE FROM \"AI_MEMORY\".\"MEMORY_RECORDS\" WHERE \"SOURCE_ID\" IN (?, ?)"));
    assertThat(sql.params(), contains("c1", "x'); DROP TABLE y; --"));
  }

  @Test
  void searchBindsVectorAndFiltersInOrder() {
    SearchQuery q = SearchQuery.builder(new float[] {0.5f, -1.0e-5f}, "e5-small-v2").k(3)
        .account("Acme").since(Instant.parse("2024-01-01T00:00:00Z")).affiliation("External")
        .build();
    BoundSql sql = dialect.search(q);
    assertThat(sql.params(), contains("[0.5, -1.0E-5]", "e5-small-v2", 2, 2, "Acme",
        1_704_067_200_000_000L, "External", 3));
    assertThat(sql.sql(), containsString("CROSS JOIN (SELECT CAST(? AS FLOAT[]) AS v) q"));
    assertThat(sql.sql(), containsString("WHERE m.\"EMBEDDING_MODEL\" = ? AND m.\"EMBEDDING_DIM\" = ?"
        + " AND len(m.\"EMBEDDING\") = ?"));
    assertThat(sql.sql(), containsString("WHERE score IS NOT NULL AND NOT isnan(score)\n"
        + "  AND lower(ACCOUNT) = lower(?)\n"
        + "  AND STARTED >= make_timestamp(?)\n"
        + "  AND lower(AFFILIATION) = lower(?)\n"
        + "ORDER BY score DESC, MEMORY_ID\nLIMIT ?"));

    BoundSql plain = dialect.search(SearchQuery.builder(new float[] {1f}, "m").build());
    assertThat(plain.params(), contains("[1.0]", "m", 1, 1, 5));
    assertThat(plain.sql(), not(containsString("lower(")));
  }

  @Test
  void retryableErrorsAreWriteConflictsOnly() {
    assertThat(dialect.isRetryable(new SQLException("TransactionContext Error: Conflict on update!")),
        is(true));
    assertThat(dialect.isRetryable(new SQLException(
        "TransactionContext Error: Conflict on tuple deletion!")), is(true));
    assertThat(dialect.isRetryable(new SQLException("TransactionContext Error: Failed to commit:"
        + " PRIMARY KEY or UNIQUE constraint violation: duplicate key \"z\"")), is(true));
    assertThat(dialect.isRetryable(new SQLException("Constraint Error: Duplicate key"
        + " \"CALL_ID: c0\" violates primary key constraint.")), is(true));
    assertThat(dialect.isRetryable(new SQLException(
        "Constraint Error: NOT NULL constraint failed: STG_GONG_CALLS.JOB_ID")), is(false));
    assertThat(dialect.isRetryable(new SQLException("Binder Error: column not found")), is(false));
  }

  @Test
  void vectorLiteralRoundTripsFloats() {
    float[] v = {Float.MIN_VALUE, -Float.MAX_VALUE, 0.1f, 1.0e-7f};
    assertThat(DuckDbDialect.vectorLiteral(v), is("[1.4E-45, -3.4028235E38, 0.1, 1.0E-7]"));
  }

  @Test
  void highWaterMarkAdvancesOnlyToALaterMarkInOneStatement() {
    BoundSql sql = dialect.advanceHighWaterMark("gong_calls", 20L, 30L, "job-1");
    assertThat(sql.sql(), is(String.join("\n",
        "MERGE INTO \"OPS_MONITORING\".\"SYNC_STATE\" AS t",
        "USING (SELECT ? AS \"SYNC_NAME\", make_timestamp(?) AS \"HIGH_WATER_MARK\","
            + " make_timestamp(?) AS \"UPDATED_AT\", ? AS \"JOB_ID\") AS s",
        "ON t.\"SYNC_NAME\" = s.\"SYNC_NAME\"",
        "WHEN MATCHED AND (t.\"HIGH_WATER_MARK\" IS NULL"
            + " OR t.\"HIGH_WATER_MARK\" < s.\"HIGH_WATER_MARK\")",
        "  THEN UPDATE SET \"HIGH_WATER_MARK\" = s.\"HIGH_WATER_MARK\","
            + " \"UPDATED_AT\" = s.\"UPDATED_AT\", \"JOB_ID\" = s.\"JOB_ID\"",
        "WHEN NOT MATCHED",
        "  THEN INSERT (\"SYNC_NAME\", \"HIGH_WATER_MARK\", \"UPDATED_AT\", \"JOB_ID\")"
            + " VALUES (s.\"SYNC_NAME\", s.\"HIGH_WATER_MARK\", s.\"UPDATED_AT\", s.\"JOB_ID\")",
        "RETURNING merge_action")));
    assertThat(sql.params(), contains("gong_calls", 20L, 30L, "job-1"));
    BoundSql read = dialect.selectHighWaterMark("x'--");
    assertThat(read.sql(), is("SELECT epoch_us(\"HIGH_WATER_MARK\") FROM"
        + " \"OPS_MONITORING\".\"SYNC_STATE\" WHERE \"SYNC_NAME\" = ?"));
    assertThat(read.params(), contains("x'--"));
  }

  @Test
  void leaseStatementsDecideAndWriteInOneStatement() {
    BoundSql acquire = dialect.acquireLease("gong_calls", "job-1", 100L, 200L);
    assertThat(acquire.sql(), is(String.join("\n",
        "MERGE INTO \"OPS_MONITORING\".\"SYNC_LEASE\" AS t",
        "USING (SELECT ? AS \"LEASE_NAME\", ? AS \"OWNER_JOB_ID\", make_timestamp(?) AS \"NOW_AT\","
            + " make_timestamp(?) AS \"EXPIRES_AT\") AS s",
        "ON t.\"LEASE_NAME\" = s.\"LEASE_NAME\"",
        "WHEN MATCHED AND (t.\"EXPIRES_AT\" <= s.\"NOW_AT\" OR t.\"OWNER_JOB_ID\" = s.\"OWNER_JOB_ID\")",
        "  THEN UPDATE SET \"OWNER_JOB_ID\" = s.\"OWNER_JOB_ID\", \"ACQUIRED_AT\" = CASE WHEN"
            + " t.\"OWNER_JOB_ID\" = s.\"OWNER_JOB_ID\" THEN t.\"ACQUIRED_AT\" ELSE s.\"NOW_AT\" END,"
            + " \"EXPIRES_AT\" = s.\"EXPIRES_AT\", \"HEARTBEAT_AT\" = s.\"NOW_AT\"",
        "WHEN NOT MATCHED",
        "  THEN INSERT (\"LEASE_NAME\", \"OWNER_JOB_ID\", \"ACQUIRED_AT\", \"EXPIRES_AT\","
            + " \"HEARTBEAT_AT\") VALUES (s.\"LEASE_NAME\", s.\"OWNER_JOB_ID\", s.\"NOW_AT\","
            + " s.\"EXPIRES_AT\", s.\"NOW_AT\")",
        "RETURNING merge_action")));
    assertThat(acquire.params(), contains("gong_calls", "job-1", 100L, 200L));

    BoundSql renew = dialect.renewLease("gong_calls", "job-1", 100L, 200L);
    assertThat(renew.sql(), is("UPDATE \"OPS_MONITORING\".\"SYNC_LEASE\""
        + " SET \"EXPIRES_AT\" = make_timestamp(?), \"HEARTBEAT_AT\" = make_timestamp(?)"
        + " WHERE \"LEASE_NAME\" = ? AND \"OWNER_JOB_ID\" = ? AND \"EXPIRES_AT\" > make_timestamp(?)"));
    assertThat(renew.params(), contains(200L, 100L, "gong_calls", "job-1", 100L));

    BoundSql release = dialect.releaseLease("gong_calls", "job-1");
    assertThat(release.sql(), is("DELETE FROM \"OPS_MONITORING\".\"SYNC_LEASE\""
        + " WHERE \"LEASE_NAME\" = ? AND \"OWNER_JOB_ID\" = ?"));
    assertThat(release.params(), contains("gong_calls", "job-1"));
  }

  @Test
  void replaceChildrenDeletesOnlyUnstagedKeysOfTheGivenParents() {
    BoundSql sql = dialect.deleteChildrenNotStaged(TableSpec.of(WarehouseTable.STG_PARTICIPANTS),
        "CALL_ID", "GP_STAGE_7", List.of("c1", "c'2"));
    assertThat(sql.sql(), is("DELETE FROM \"STG_TRANSFORMED\".\"STG_GONG_CALL_PARTICIPANTS\" AS t"
        + " WHERE t.\"CALL_ID\" IN (?, ?) AND NOT EXISTS (SELECT 1 FROM \"GP_STAGE_7\" AS s"
        + " WHERE s.\"CALL_ID\" = t.\"CALL_ID\" AND s.\"PARTICIPANT_ID\" = t.\"PARTICIPANT_ID\")"));
    assertThat(sql.params(), contains("c1", "c'2"));
  }

  @Test
  void lookupsBindEveryId() {
    BoundSql chunks = dialect.storedChunks(List.of("c1", "c2"));
    assertThat(chunks.sql(), is("SELECT \"MEMORY_ID\", \"SOURCE_ID\", \"CONTENT_HASH\","
        + " \"EMBEDDING_MODEL\", \"EMBEDDING\", \"SENTIMENT_SCORE\", \"SENTIMENT_MODEL\""
        + " FROM \"AI_MEMORY\".\"MEMORY_RECORDS\" WHERE \"SOURCE_ID\" IN (?, ?)"));
    assertThat(chunks.params(), contains("c1", "c2"));
    BoundSql hashes = dialect.payloadHashes(TableSpec.of(WarehouseTable.RAW_TRANSCRIPTS),
        List.of("c1"));
    assertThat(hashes.sql(), is("SELECT \"CALL_ID\", \"PAYLOAD_HASH\""
        + " FROM \"RAW\".\"GONG_CALL_TRANSCRIPTS_RAW\" WHERE \"CALL_ID\" IN (?)"));
    assertThat(hashes.params(), contains("c1"));
  }

  @Test
  void mergeResultKeepsItsThreeCountConstructor() {
    assertThat(new MergeResult(1, 2, 3), is(new MergeResult(1, 2, 3, 0)));
    MergeResult sum = new MergeResult(1, 2, 3, 4).plus(new MergeResult(10, 20, 30));
    assertThat(sum, is(new MergeResult(11, 22, 33, 4)));
    assertThat(sum.total(), is(66L));
    assertThat(sum.written(), is(33L));
    assertThat(sum.changed(), is(37L));
  }

  @Test
  void lockErrorsAreRecognisedAndTheHolderNamed() {
    SQLException locked = new SQLException("IO Error: Could not set lock on file \"/d/x.duckdb\":"
        + " Conflicting lock is held in /usr/bin/java (PID 4242). See also https://duckdb.org/docs");
    assertThat(DuckDbDatabase.isLockedByAnotherProcess(locked), is(true));
    assertThat(DuckDbDatabase.holder(locked), is(" (PID 4242: /usr/bin/java)"));
    assertThat(DuckDbDatabase.isLockedByAnotherProcess(new SQLException("IO Error: disk full")),
        is(false));
    assertThat(DuckDbDatabase.holder(new SQLException("Could not set lock on file x")), is(""));
  }

  /** A new DDL file must be added to the ordered list, or it would never run. */
  @Test
  void schemaScriptListMatchesTheSqlDirectoryAndTheClasspath() throws IOException {
    Path dir = Path.of("..", "sql", "duckdb");
    List<String> onDisk;
    try (Stream<Path> files = Files.list(dir)) {
      onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted()
          .map(n -> "sql/duckdb/" + n).toList();
    }
    assertThat(dialect.schemaScripts(), is(onDisk));
    for (String resource : dialect.schemaScripts()) {
      // Every script is DDL read from the classpath: tables created or (migrations) altered.
      assertThat(resource, DuckDbDatabase.readResource(resource),
          org.hamcrest.Matchers.anyOf(containsString("CREATE "), containsString("ALTER TABLE ")));
    }
  }
}
