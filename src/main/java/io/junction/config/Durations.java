package io.junction.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Config durations: an integer is milliseconds, a string carries its unit (250ms, 5s, 2m, 1h, 7d). */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("^([0-9]+)(ms|s|m|h|d)$");

  private Durations() {
  }

  public static Duration parse(Object value) {
    if (value instanceof Number n) {
      return Duration.ofMillis(n.longValue());
    }
    Matcher m = FORM.matcher(String.valueOf(value).trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + value + "' is not a duration (expected e.g. 250ms, 5s, 2m, 1h, 7d or milliseconds)");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  public static boolean isValid(String value) {
    return FORM.matcher(value).matches();
  }
}
