package io.junction.gateway.upstream;

import java.util.BitSet;

/** HTTP status codes a health check accepts, written {@code 200}, {@code 200-399} or {@code 200,204,300-399}. */
public final class StatusRanges {
  private final BitSet codes;
  private final String text;

  private StatusRanges(BitSet codes, String text) {
    this.codes = codes;
    this.text = text;
  }

  /** @throws IllegalArgumentException naming what is wrong */
  public static StatusRanges parse(String text) {
    BitSet codes = new BitSet(600);
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("'" + text + "' names no status");
    }
    for (String part : trimmed.split(",")) {
      String range = part.trim();
      int dash = range.indexOf('-');
      int from = code(dash < 0 ? range : range.substring(0, dash), text);
      int to = dash < 0 ? from : code(range.substring(dash + 1), text);
      if (to < from) {
        throw new IllegalArgumentException("'" + range + "' is an empty range");
      }
      codes.set(from, to + 1);
    }
    return new StatusRanges(codes, trimmed);
  }

  private static int code(String digits, String text) {
    int code;
    try {
      code = Integer.parseInt(digits.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a status or range (expected e.g. 200, 200-399 or 200,204)");
    }
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException(code + " is not an HTTP status (100-599)");
    }
    return code;
  }

  public boolean matches(int status) {
    return status >= 0 && codes.get(status);
  }

  @Override
  public String toString() {
    return text;
  }
}
