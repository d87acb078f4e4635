package com.gongpipeline.warehouse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file database's buffer pool is capped, by default at {@value
 * DuckDbDatabase#DEFAULT_MEMORY_LIMIT} (so the process does not grow with the file), by {@value
 * DuckDbDatabase#MEMORY_LIMIT_PROPERTY} when set, and not at all with {@value
 * DuckDbDatabase#NO_MEMORY_LIMIT}; an in-memory database, which cannot spill, keeps DuckDB's
 * default.
 */
class DuckDbMemoryLimitTest {
  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty(DuckDbDatabase.MEMORY_LIMIT_PROPERTY);
  }

  @Test
  void fileDatabasesAreCappedAt256MbByDefault() {
    try (Warehouse file = Warehouse.open("jdbc:duckdb:" + dir.resolve("default.duckdb"));
        Warehouse memory = Warehouse.open("jdbc:duckdb::memory:default_limit_test")) {
      assertThat(limit(file), is("244.1 MiB")); // DuckDB shows 256 MB in MiB
      assertThat(limit(memory), is(duckDbDefault()));
      assertThat(limit(memory), not(is("244.1 MiB")));
    }
  }

  @Test
  void thePropertyOverridesTheDefaultForFileDatabasesOnly() {
    System.setProperty(DuckDbDatabase.MEMORY_LIMIT_PROPERTY, "256MB");
    try (Warehouse file = Warehouse.open("jdbc:duckdb:" + dir.resolve("limited.duckdb"));
        Warehouse memory = Warehouse.open("jdbc:duckdb::memory:limit_test")) {
      assertThat(limit(file), is("244.1 MiB")); // DuckDB shows 256 MB in MiB
      assertThat(limit(memory), is(duckDbDefault()));
    }
  }

  @Test
  void noneRestoresDuckDbsDefault() {
    String expected = duckDbDefault();
    System.setProperty(DuckDbDatabase.MEMORY_LIMIT_PROPERTY, "none");
    try (Warehouse file = Warehouse.open("jdbc:duckdb:" + dir.resolve("unlimited.duckdb"))) {
      assertThat(limit(file), is(expected));
    }
    System.setProperty(DuckDbDatabase.MEMORY_LIMIT_PROPERTY, " ");
    try (Warehouse file = Warehouse.open("jdbc:duckdb:" + dir.resolve("unlimited2.duckdb"))) {
      assertThat(limit(file), is(expected));
    }
  }

  /**
   * DuckDB shares one instance per file inside a JVM and refuses a connection whose configuration
   * differs; the cap is set after opening, so another connection with the warehouse's own
   * open properties (as the tests' read-only looks use) still joins, and sees the cap.
   */
  @Test
  void anotherConnectionOfThisProcessStillOpensTheCappedFile() throws SQLException {
    String url = "jdbc:duckdb:" + dir.resolve("shared.duckdb");
    Properties p = new Properties();
    p.setProperty("autoinstall_known_extensions", "false");
    p.setProperty("autoload_known_extensions", "false");
    try (Warehouse wh = Warehouse.open(url);
        Connection plain = DriverManager.getConnection(url, p);
        Statement st = plain.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('memory_limit')")) {
      rs.next();
      assertThat(rs.getString(1), is("244.1 MiB")); // the same database, capped
      assertThat(limit(wh), is("244.1 MiB"));
    }
  }

  @Test
  void anInvalidLimitFailsTheOpenNamingTheProperty() {
    System.setProperty(DuckDbDatabase.MEMORY_LIMIT_PROPERTY, "lots");
    WarehouseException e = assertThrows(WarehouseException.class,
        () -> Warehouse.open("jdbc:duckdb:" + dir.resolve("bad.duckdb")).close());
    assertThat(e.getCause().getMessage(),
        containsString("-D" + DuckDbDatabase.MEMORY_LIMIT_PROPERTY + "=lots"));
  }

  /** DuckDB's own default (80% of RAM), read from a plain JDBC connection of our own. */
  private static String duckDbDefault() {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('memory_limit')")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object limit(Warehouse wh) {
    return wh.query("SELECT current_setting('memory_limit') AS V").get(0).get("V");
  }
}
