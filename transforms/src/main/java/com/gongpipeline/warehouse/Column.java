package com.gongpipeline.warehouse;

import java.util.Locale;

/**
 * One column of a warehouse table as the database reports it (name upper-cased, SQL type as the
 * dialect spells it, e.g. {@code VARCHAR}, {@code FLOAT[]}, {@code JSON}).
 */
record Column(String name, String type, boolean nullable) {

  Column {
    name = name.toUpperCase(Locale.ROOT);
    type = type.toUpperCase(Locale.ROOT);
  }

  boolean isJson() {
    return type.equals("JSON");
  }
}
