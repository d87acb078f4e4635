package com.gongpipeline.warehouse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A second process for the multi-process tests: {@code java -cp <test classpath>
 * com.gongpipeline.warehouse.WarehouseProcessDriver <dbfile>}, driven by one command per stdin
 * line, answering one line per command on stdout:
 *
 * <ul>
 *   <li>{@code open <lockWaitMillis>}: opens the file, applies the schema → {@code OPENED} or
 *       {@code FAILED <message>}
 *   <li>{@code write <callId>}: merges one STG_GONG_CALLS row → {@code WROTE}
 *   <li>{@code lease <name> <jobId> <ttlMillis>}: {@code LEASED <expiresAt>} or {@code NOT_LEASED}
 *   <li>{@code close}: closes the warehouse (releasing the file) → {@code CLOSED}
 *   <li>{@code halt}: dies at once without closing anything, like a killed run (no answer)
 * </ul>
 */
public final class WarehouseProcessDriver {
  private WarehouseProcessDriver() {}

  public static void main(String[] args) throws Exception {
    String url = "jdbc:duckdb:" + args[0];
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Warehouse wh = null;
    String line;
    System.out.println("READY " + ProcessHandle.current().pid());
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split(" ");
      switch (cmd[0]) {
        case "open" -> {
          try {
            wh = Warehouse.open(url, OpenOptions.defaults()
                .withLockWait(Duration.ofMillis(Long.parseLong(cmd[1]))));
            wh.applySchema();
            System.out.println("OPENED");
          } catch (RuntimeException e) {
            System.out.println("FAILED " + e.getMessage().replace('\n', ' '));
          }
        }
        case "write" -> {
          wh.merge(WarehouseTable.STG_CALLS, List.of(TestRows.stgCall(cmd[1], "from child", "child")));
          System.out.println("WROTE");
        }
        case "lease" -> {
          Optional<Lease> l = wh.tryAcquireLease(cmd[1], cmd[2], Duration.ofMillis(Long.parseLong(cmd[3])));
          System.out.println(l.map(x -> "LEASED " + x.expiresAt()).orElse("NOT_LEASED"));
        }
        case "close" -> {
          wh.close();
          wh = null;
          System.out.println("CLOSED");
        }
        case "halt" -> Runtime.getRuntime().halt(0);
        default -> System.out.println("UNKNOWN " + line);
      }
      System.out.flush();
    }
    if (wh != null) {
      wh.close();
    }
  }
}
