package com.gongpipeline.warehouse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SQL text plus the values to bind to its {@code ?} placeholders, in order. Dialects return this
 * so that the text (golden-tested) and the parameter order stay together; data values only ever
 * travel as parameters.
 */
record BoundSql(String sql, List<@Nullable Object> params) {

  BoundSql {
    params = Collections.unmodifiableList(new ArrayList<>(params));
  }
}
