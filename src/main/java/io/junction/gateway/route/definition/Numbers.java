package io.junction.gateway.route.definition;

/** Whole numbers from YAML values, which may be numbers or numeric text. */
public final class Numbers {

  private Numbers() {
  }

  /** The value as a long, or null when it is not a whole number. */
  public static Long parseLong(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 9.0e18 ? (long) d : null;
    }
    if (value instanceof String text) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
