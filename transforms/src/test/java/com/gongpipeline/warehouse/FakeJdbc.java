package com.gongpipeline.warehouse;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A JDBC connection that records what a warehouse sends (statements, batches with their binds,
 * transaction calls) and answers MERGEs with fixed counts: enough to test the Snowflake writer's
 * protocol without a server. Not thread-safe; one test, one instance.
 */
public final class FakeJdbc {
  /** One executeBatch: its rows, each a column-index → bound value (null for setNull). */
  record Batch(String sql, List<Map<Integer, Object>> rows, List<Map<Integer, Integer>> nullTypes) {}

  public final List<String> log = Collections.synchronizedList(new ArrayList<>());
  final List<Batch> batches = new ArrayList<>();
  long mergeInserted;
  long mergeUpdated;
  int opened;
  Predicate<String> failOn = sql -> false;

  /** A new recording connection. */
  public Connection open() {
    opened++;
    return connection();
  }

  SnowflakeWarehouse.ConnectionSource source() {
    return () -> {
      opened++;
      return connection();
    };
  }

  private Connection connection() {
    boolean[] autoCommit = {true};
    InvocationHandler h = (proxy, m, args) -> switch (m.getName()) {
      case "createStatement" -> statement(null);
      case "prepareStatement" -> statement((String) args[0]);
      case "setAutoCommit" -> {
        autoCommit[0] = (Boolean) args[0];
        log.add("autoCommit=" + args[0]);
        yield null;
      }
      case "getAutoCommit" -> autoCommit[0];
      case "commit", "rollback", "close" -> {
        log.add(m.getName());
        yield null;
      }
      case "isClosed" -> false;
      default -> throw new UnsupportedOperationException("Connection." + m.getName());
    };
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, h);
  }

  private PreparedStatement statement(String preparedSql) {
    Map<Integer, Object> current = new TreeMap<>();
    Map<Integer, Integer> currentNulls = new TreeMap<>();
    List<Map<Integer, Object>> rows = new ArrayList<>();
    List<Map<Integer, Integer>> nulls = new ArrayList<>();
    ResultSet[] last = {null};
    InvocationHandler h = (proxy, m, args) -> {
      String name = m.getName();
      if (name.startsWith("set") && args != null && args.length == 2 && args[0] instanceof Integer i) {
        if (name.equals("setNull")) {
          current.put(i, null);
          currentNulls.put(i, (Integer) args[1]);
        } else {
          current.put(i, args[1]);
        }
        return null;
      }
      switch (name) {
        case "addBatch" -> {
          rows.add(new TreeMap<>(current));
          nulls.add(new TreeMap<>(currentNulls));
          current.clear();
          currentNulls.clear();
          return null;
        }
        case "executeBatch" -> {
          batches.add(new Batch(preparedSql, new ArrayList<>(rows), new ArrayList<>(nulls)));
          log.add("batch " + rows.size() + " " + preparedSql);
          int[] counts = new int[rows.size()];
          rows.clear();
          nulls.clear();
          return counts;
        }
        case "execute" -> {
          String sql = args == null ? preparedSql : (String) args[0];
          run(sql);
          // Like snowflake-jdbc: DML (MERGE included) reports only an update count here.
          return false;
        }
        case "executeUpdate" -> {
          run(args == null ? preparedSql : (String) args[0]);
          return 1;
        }
        case "executeQuery" -> {
          String sql = args == null ? preparedSql : (String) args[0];
          run(sql);
          return sql.startsWith("MERGE") ? counts() : empty();
        }
        case "getResultSet" -> {
          return last[0];
        }
        case "getUpdateCount" -> {
          return -1;
        }
        case "setQueryTimeout" -> { // SnowflakeWarehouse sets one on every statement
          return null;
        }
        case "close" -> {
          return null;
        }
        default -> throw new UnsupportedOperationException("Statement." + name);
      }
    };
    return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, h);
  }

  private void run(String sql) throws SQLException {
    log.add(sql.lines().findFirst().orElse(""));
    if (failOn.test(sql)) {
      throw new SQLException("injected failure", "42000", 1003);
    }
  }

  private ResultSet counts() {
    List<String> labels = List.of("number of rows inserted", "number of rows updated");
    long[] values = {mergeInserted, mergeUpdated};
    boolean[] read = {false};
    ResultSetMetaData md = (ResultSetMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ResultSetMetaData.class}, (p, m, a) -> switch (m.getName()) {
          case "getColumnCount" -> 2;
          case "getColumnLabel" -> labels.get((Integer) a[0] - 1);
          default -> throw new UnsupportedOperationException("ResultSetMetaData." + m.getName());
        });
    return (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ResultSet.class}, (p, m, a) -> switch (m.getName()) {
          case "next" -> {
            boolean first = !read[0];
            read[0] = true;
            yield first;
          }
          case "getMetaData" -> md;
          case "getLong" -> values[(Integer) a[0] - 1];
          case "close" -> null;
          default -> throw new UnsupportedOperationException("ResultSet." + m.getName());
        });
  }

  private ResultSet empty() {
    return (ResultSet) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ResultSet.class}, (p, m, a) -> switch (m.getName()) {
          case "next" -> false;
          case "close" -> null;
          default -> throw new UnsupportedOperationException("ResultSet." + m.getName());
        });
  }
}
