package io.junction.gateway.filter.basic;

import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.definition.Numbers;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes written as Spring's {@code DataSize}: a whole number of bytes, or a number with a unit
 * {@code B, KB, MB, GB, TB} (powers of 1024, as Spring's {@code DataUnit}): {@code 5000000}, {@code 500KB},
 * {@code 5MB}. Units are read ignoring case.
 */
public final class DataSizes {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([A-Za-z]{0,2})");

  private DataSizes() {
  }

  /** A positive size in bytes from argument {@code name}, or {@code defaultBytes} when absent. */
  public static long positive(Args args, String name, long defaultBytes) throws DefinitionException {
    Object value = args.values().get(name);
    if (value == null || value.toString().isBlank()) {
      return defaultBytes;
    }
    Long bytes = parse(value);
    if (bytes == null) {
      throw args.bad(name, "bad data size '" + value + "' (expected bytes, or a whole number with B, KB, MB,"
          + " GB or TB, e.g. 5MB)");
    }
    if (bytes <= 0) {
      throw args.bad(name, "must be more than 0 bytes, not '" + value + "'");
    }
    return bytes;
  }

  /** The size in bytes, or null when {@code value} is not a size (negative numbers are returned as is). */
  static Long parse(Object value) {
    if (value instanceof Number) {
      return Numbers.parseLong(value);
    }
    String text = value.toString().trim();
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      Long plain = Numbers.parseLong(text);
      return plain != null && plain < 0 ? plain : null;
    }
    long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "", "B" -> 1L;
      case "KB" -> 1L << 10;
      case "MB" -> 1L << 20;
      case "GB" -> 1L << 30;
      case "TB" -> 1L << 40;
      default -> -1L;
    };
    if (unit < 0) {
      return null;
    }
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException tooBig) {
      return null;
    }
  }

  /** {@code 5242880 bytes (5.0 MB)}: exact for operators, readable for people. */
  static String describe(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return bytes + " bytes (" + String.format(Locale.ROOT, "%.1f %s", value, units[unit]) + ")";
  }
}
