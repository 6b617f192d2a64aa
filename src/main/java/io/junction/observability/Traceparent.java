package io.junction.observability;

import java.util.concurrent.ThreadLocalRandom;

/** W3C Trace Context {@code traceparent}: version-traceid-parentid-flags. Parsed by hand: it is on every request. */
public final class Traceparent {
  private static final int LENGTH = 55;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Traceparent() {
  }

  /** The trace id of a valid header, or null: a malformed or all-zero header starts a new trace. */
  public static String traceId(String header) {
    return valid(header) ? header.substring(3, 35) : null;
  }

  /** Whether a valid header asks for the trace to be recorded (flag 01). False for a malformed header. */
  public static boolean sampled(String header) {
    return valid(header) && (hexValue(header.charAt(54)) & 1) == 1;
  }

  /** version (not ff) - 32 hex trace id (not all zero) - 16 hex parent id (not all zero) - 2 hex flags, lower case. */
  static boolean valid(String h) {
    if (h == null || h.length() != LENGTH || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-'
      || h.startsWith("ff")) {
      return false;
    }
    return hexRun(h, 0, 2) && hexRun(h, 53, 55) && hexRun(h, 3, 35) && hexRun(h, 36, 52)
      && !zeros(h, 3, 35) && !zeros(h, 36, 52);
  }

  private static boolean hexRun(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (hexValue(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  private static int hexValue(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  public static String newTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long hi;
    long lo;
    do {
      hi = random.nextLong();
      lo = random.nextLong();
    } while (hi == 0 && lo == 0);
    char[] out = new char[32];
    hex(hi, out, 0);
    hex(lo, out, 16);
    return new String(out);
  }

  public static String newSpanId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    char[] out = new char[16];
    hex(id, out, 0);
    return new String(out);
  }

  /** The header to send upstream: same trace, this hop's span as parent, sampled. */
  public static String format(String traceId, String spanId) {
    return format(traceId, spanId, true);
  }

  /** The header to send on: same trace, this hop's span as parent, flag 01 when the trace is recorded, else 00. */
  public static String format(String traceId, String spanId, boolean sampled) {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }

  private static void hex(long value, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }
}
