package io.junction.gateway.filter.web;

import io.junction.gateway.filter.basic.DataSizes;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.Numbers;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Argument reads the web filters need beyond {@link Args}: optional lists, durations and data sizes. */
final class WebArgs {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

  private WebArgs() {
  }

  /** A list (YAML list or comma-separated text), or {@code defaultValue} when the argument is absent. */
  static List<String> list(Args args, String name, List<String> defaultValue) throws DefinitionException {
    Object value = args.values().get(name);
    if (value == null) {
      return defaultValue;
    }
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object element : list) {
        split(args, name, element, out);
      }
    } else {
      split(args, name, value, out);
    }
    return out;
  }

  private static void split(Args args, String name, Object element, List<String> out) throws DefinitionException {
    if (element == null) {
      return;
    }
    if (element instanceof Map || element instanceof List) {
      throw args.bad(name, "expected text values but got " + element);
    }
    // commas inside [...] stay: an origin pattern's port list, http://localhost:[8080,8081]
    String text = element.toString();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : ',';
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth = Math.max(0, depth - 1);
      } else if (c == ',' && (depth == 0 || i == text.length())) {
        String part = text.substring(start, i);
        if (!part.isBlank()) {
          out.add(part.trim());
        }
        start = i + 1;
      }
    }
  }

  /**
   * A positive duration: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, ISO-8601
   * ({@code PT30S}), or whole milliseconds (a bare number, as Spring reads a Duration).
   */
  static Duration positiveDuration(Args args, String name, Duration defaultValue) throws DefinitionException {
    String text = args.optionalString(name);
    if (text == null) {
      return defaultValue;
    }
    Duration d = parseDuration(text);
    if (d == null) {
      throw args.bad(name, "bad duration '" + text + "' (expected e.g. 30s, 5m, 1h, PT30S or whole milliseconds)");
    }
    if (d.isZero() || d.isNegative()) {
      throw args.bad(name, "must be more than 0, not '" + text + "'");
    }
    return d;
  }

  static Duration parseDuration(String text) {
    if (text.length() > 1 && (text.charAt(0) == 'P' || text.charAt(0) == 'p')) {
      try {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException tooBig) {
      return null;
    }
    String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
    try {
      return switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (ArithmeticException tooBig) {
      return null;
    }
  }

  /**
   * A positive size in bytes, written as Spring's DataSize: whole bytes, or a whole number with
   * {@code B, KB, MB, GB, TB} (powers of 1024), e.g. {@code 10MB}.
   */
  static long positiveSize(Args args, String name, long defaultValue) throws DefinitionException {
    Object value = args.values().get(name);
    if (value == null || value.toString().isBlank()) {
      return defaultValue;
    }
    if (value instanceof Map || value instanceof List) {
      throw args.bad(name, "expected a single value but got " + value);
    }
    return DataSizes.positive(args, name, defaultValue);
  }
}
