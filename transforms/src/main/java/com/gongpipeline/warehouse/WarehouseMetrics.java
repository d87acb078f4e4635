package com.gongpipeline.warehouse;

import com.gongpipeline.metrics.MetricNames;
import com.gongpipeline.metrics.PipelineMetric;
import java.util.EnumMap;
import java.util.Map;

/**
 * The warehouse's per-table row counters ({@code warehouse:rows_inserted_<TABLE>}, {@code
 * rows_updated_<TABLE>}, {@code rows_merged_<TABLE>}), declared here because the table names are
 * the warehouse layer's. {@link MetricNames} lists them too: it finds {@link Declarations}
 * through {@code META-INF/services}.
 */
public final class WarehouseMetrics {
  private static final Map<WarehouseTable, PipelineMetric> INSERTED =
      new EnumMap<>(WarehouseTable.class);
  private static final Map<WarehouseTable, PipelineMetric> UPDATED =
      new EnumMap<>(WarehouseTable.class);
  private static final Map<WarehouseTable, PipelineMetric> MERGED =
      new EnumMap<>(WarehouseTable.class);

  static {
    for (WarehouseTable t : WarehouseTable.values()) {
      INSERTED.put(t, declare(t, "inserted"));
      UPDATED.put(t, declare(t, "updated"));
      MERGED.put(t, declare(t, "merged"));
    }
  }

  private WarehouseMetrics() {}

  /** Declares the row counters of every table in {@link MetricNames} (a service). */
  public static final class Declarations implements MetricNames.Contributor {
    @Override
    public void declareMetrics() {
      for (WarehouseTable t : WarehouseTable.values()) {
        for (String what : new String[] {"inserted", "updated", "merged"}) {
          declare(t, what);
        }
      }
    }
  }

  public static PipelineMetric rowsInserted(WarehouseTable t) {
    return INSERTED.get(t);
  }

  public static PipelineMetric rowsUpdated(WarehouseTable t) {
    return UPDATED.get(t);
  }

  public static PipelineMetric rowsMerged(WarehouseTable t) {
    return MERGED.get(t);
  }

  private static PipelineMetric declare(WarehouseTable t, String what) {
    return MetricNames.declareCounter("warehouse", "rows_" + what + "_" + t.name(),
        "Rows " + what + " into " + t.qualifiedName());
  }
}
