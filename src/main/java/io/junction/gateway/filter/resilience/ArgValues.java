package io.junction.gateway.filter.resilience;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.Numbers;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of one argument value, for what {@link Args} does not cover: durations, decimals, nested objects
 * ({@code backoff: {firstBackoff: 10ms}}) and their dotted twins ({@code backoff.firstBackoff}, which is how
 * Spring's shortcut names them). {@code label} is the argument's name as the error message should show it.
 */
final class ArgValues {
  private static final Pattern DURATION = Pattern.compile("^([0-9]+)\\s*(ms|s|m|h|d)?$", Pattern.CASE_INSENSITIVE);

  private ArgValues() {
  }

  static DefinitionException bad(String label, String why) {
    return new DefinitionException("argument '" + label + "': " + why);
  }

  /**
   * The value of {@code group.key}: from the nested object {@code group: {key: ...}} or the dotted key
   * {@code group.key}; both at once is a mistake.
   */
  static Object nested(Args args, String group, String key) throws DefinitionException {
    Object dotted = args.values().get(group + "." + key);
    Map<String, Object> object = object(args, group);
    Object inner = object == null ? null : object.get(key);
    if (dotted != null && inner != null) {
      throw bad(group + "." + key, "given twice (as '" + group + "." + key + "' and inside '" + group + "')");
    }
    return dotted != null ? dotted : inner;
  }

  /** True when the group is configured at all, nested or dotted. */
  static boolean hasGroup(Args args, String group) {
    if (args.values().get(group) != null) {
      return true;
    }
    for (String name : args.values().keySet()) {
      if (name.startsWith(group + ".") && args.values().get(name) != null) {
        return true;
      }
    }
    return false;
  }

  /** The nested object {@code group}, checked for unknown keys, or null when absent. */
  static Map<String, Object> object(Args args, String group, Collection<String> keys) throws DefinitionException {
    Map<String, Object> object = object(args, group);
    if (object != null) {
      for (String key : object.keySet()) {
        if (!keys.contains(key)) {
          throw bad(group, "unknown key '" + key + "' (expected " + String.join(", ", keys) + ")");
        }
      }
    }
    return object;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Args args, String group) throws DefinitionException {
    Object value = args.values().get(group);
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    throw bad(group, "expected an object but got '" + value + "'");
  }

  static int integer(String label, Object value, int defaultValue) throws DefinitionException {
    if (value == null) {
      return defaultValue;
    }
    Long parsed = Numbers.parseLong(scalar(label, value));
    if (parsed == null || parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
      throw bad(label, "bad integer '" + value + "'");
    }
    return parsed.intValue();
  }

  static double decimal(String label, Object value, double defaultValue) throws DefinitionException {
    if (value == null) {
      return defaultValue;
    }
    Object v = scalar(label, value);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      double d = Double.parseDouble(v.toString().trim());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw bad(label, "bad number '" + value + "'");
  }

  static boolean bool(String label, Object value, boolean defaultValue) throws DefinitionException {
    if (value == null) {
      return defaultValue;
    }
    Object v = scalar(label, value);
    if (v instanceof Boolean b) {
      return b;
    }
    String text = v.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw bad(label, "bad boolean '" + value + "' (expected true or false)");
  }

  /**
   * A duration: whole milliseconds as a number, a number with a unit ({@code 250ms}, {@code 5s}, {@code 2m},
   * {@code 1h}, {@code 1d}; no unit means milliseconds, as Spring reads them), or ISO-8601 ({@code PT0.5S}).
   * Null when absent.
   */
  static Duration duration(String label, Object value) throws DefinitionException {
    if (value == null) {
      return null;
    }
    Object v = scalar(label, value);
    if (v instanceof Number) {
      Long ms = Numbers.parseLong(v);
      if (ms == null || ms < 0) {
        throw bad(label, "bad duration '" + value + "' (expected e.g. 250ms, 5s, 2m or whole milliseconds)");
      }
      return Duration.ofMillis(ms);
    }
    String text = v.toString().trim();
    if (text.length() > 1 && (text.charAt(0) == 'P' || text.charAt(0) == 'p')) {
      try {
        Duration d = Duration.parse(text);
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException ignored) {
        // reported below
      }
    } else {
      Matcher m = DURATION.matcher(text);
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase();
        return switch (unit) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      }
    }
    throw bad(label, "bad duration '" + value + "' (expected e.g. 250ms, 5s, 2m, PT1S or whole milliseconds)");
  }

  /** A list that may be empty: a YAML list or a comma-separated string. Null when absent. */
  static List<String> list(String label, Object value) throws DefinitionException {
    if (value == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object element : list) {
        split(label, element, out);
      }
    } else {
      split(label, value, out);
    }
    return out;
  }

  private static void split(String label, Object element, List<String> out) throws DefinitionException {
    if (element == null) {
      return;
    }
    if (element instanceof Map || element instanceof List) {
      throw bad(label, "expected plain values but got " + element);
    }
    for (String part : element.toString().split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
  }

  private static Object scalar(String label, Object value) throws DefinitionException {
    if (value instanceof Map || value instanceof List) {
      throw bad(label, "expected a single value but got " + value);
    }
    return value;
  }
}
