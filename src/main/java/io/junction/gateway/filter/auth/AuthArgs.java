package io.junction.gateway.filter.auth;

import io.junction.config.Durations;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Argument reads the auth filters share: durations, any/all modes, header names, plain string lists. */
final class AuthArgs {
  private AuthArgs() {
  }

  static Duration duration(Args args, String name, Duration fallback) throws DefinitionException {
    Object value = args.values().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      Duration d = Durations.parse(value);
      if (d.isNegative()) {
        throw args.bad(name, "must not be negative");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw args.bad(name, e.getMessage());
    }
  }

  /** {@code any} or {@code all} (any case); fallback when absent. True means all. */
  static boolean all(Args args, boolean fallback) throws DefinitionException {
    String mode = args.optionalString("mode");
    if (mode == null) {
      return fallback;
    }
    if (mode.equalsIgnoreCase("all")) {
      return true;
    }
    if (mode.equalsIgnoreCase("any")) {
      return false;
    }
    throw args.bad("mode", "expected any or all, not '" + mode + "'");
  }

  static String headerName(Args args, String name, String fallback) throws DefinitionException {
    String value = args.optionalString(name);
    if (value == null) {
      return fallback;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0)) {
        throw args.bad(name, "bad header name '" + value + "'");
      }
    }
    return value;
  }

  /** A list of whole strings (no comma splitting: bcrypt lines are kept intact); null when absent. */
  static List<String> lines(Args args, String name) throws DefinitionException {
    Object value = args.values().get(name);
    if (value == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map || o instanceof List) {
          throw args.bad(name, "expected plain strings but got " + o);
        }
        if (o != null) {
          out.add(o.toString());
        }
      }
    } else if (value instanceof Map) {
      throw args.bad(name, "expected a list of strings");
    } else {
      out.addAll(List.of(value.toString().split("\n")));
    }
    return out;
  }
}
