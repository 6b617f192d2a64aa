package io.junction.observability;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** W3C Trace Context {@code traceparent}: version-traceid-parentid-flags. */
public final class Traceparent {
  private static final Pattern FORM = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  private Traceparent() {
  }

  /** The trace id of a valid header, or null: a malformed or all-zero header starts a new trace. */
  public static String traceId(String header) {
    if (header == null || header.length() != 55) {
      return null;
    }
    var m = FORM.matcher(header);
    if (!m.matches() || m.group(1).equals(ZERO_TRACE) || m.group(2).equals(ZERO_SPAN) || header.startsWith("ff")) {
      return null;
    }
    return m.group(1);
  }

  public static String newTraceId() {
    return hex(16);
  }

  public static String newSpanId() {
    return hex(8);
  }

  /** The header to send upstream: same trace, this hop's span as parent, sampled. */
  public static String format(String traceId, String spanId) {
    return "00-" + traceId + "-" + spanId + "-01";
  }

  private static String hex(int bytes) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(bytes * 2);
    for (int i = 0; i < bytes; i++) {
      int b = random.nextInt(256);
      sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }
}
