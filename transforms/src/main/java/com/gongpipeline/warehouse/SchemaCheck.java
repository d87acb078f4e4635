package com.gongpipeline.warehouse;

import java.util.List;
import java.util.Map;

/**
 * What {@code check} learns about a warehouse without changing it: the tables and columns this
 * version's DDL declares that the warehouse lacks, and the tables a zero-row MERGE through a
 * temporary staging table (the job's own write path) could not write.
 *
 * @param expectedTables tables this version's DDL declares
 * @param presentTables how many of them exist
 * @param missingTables {@code SCHEMA.TABLE} of the declared tables that do not exist
 * @param missingColumns {@code SCHEMA.TABLE} → declared columns the existing table lacks
 * @param writeFailures {@code SCHEMA.TABLE} → the database's answer to the zero-row MERGE
 */
public record SchemaCheck(
    int expectedTables,
    int presentTables,
    List<String> missingTables,
    Map<String, List<String>> missingColumns,
    Map<String, String> writeFailures) {

  public SchemaCheck {
    missingTables = List.copyOf(missingTables);
    missingColumns = Map.copyOf(missingColumns);
    writeFailures = Map.copyOf(writeFailures);
  }

  /** No table of the pipeline exists yet: the first job creates them all. */
  public boolean empty() {
    return presentTables == 0;
  }

  /** Every declared table and column exists. */
  public boolean current() {
    return missingTables.isEmpty() && missingColumns.isEmpty();
  }
}
