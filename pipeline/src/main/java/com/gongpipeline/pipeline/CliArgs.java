package com.gongpipeline.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name=value} flags and positional arguments of the non-Beam commands. */
final class CliArgs {
  final Map<String, String> flags = new LinkedHashMap<>();
  final List<String> positional = new ArrayList<>();

  static CliArgs parse(String[] args) {
    CliArgs a = new CliArgs();
    for (String arg : args) {
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        if (eq < 0) {
          a.flags.put(arg.substring(2), "true");
        } else {
          a.flags.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
      } else {
        a.positional.add(arg);
      }
    }
    return a;
  }

  String get(String name, String dflt) {
    return flags.getOrDefault(name, dflt);
  }

  int getInt(String name, int dflt) {
    String v = flags.get(name);
    try {
      return v == null ? dflt : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + "=" + v + " is not a whole number");
    }
  }

  double getDouble(String name, double dflt) {
    String v = flags.get(name);
    try {
      return v == null ? dflt : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + "=" + v + " is not a number");
    }
  }

  boolean has(String name) {
    return flags.containsKey(name) && !"false".equals(flags.get(name));
  }

  /** The flags not in {@code consumed}, back in {@code --k=v} form for Beam's options parser. */
  String[] rest(String... consumed) {
    List<String> out = new ArrayList<>();
    List<String> skip = List.of(consumed);
    flags.forEach((k, v) -> {
      if (!skip.contains(k)) {
        out.add("--" + k + "=" + v);
      }
    });
    return out.toArray(new String[0]);
  }
}
