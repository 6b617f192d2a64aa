package io.junction.gateway.filter.resilience;

import io.junction.gateway.route.definition.DefinitionException;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A fixed set of HTTP statuses, read from config as numbers ({@code 502}), Spring {@code HttpStatus} names
 * ({@code BAD_GATEWAY}) or, for series, Spring {@code HttpStatus.Series} names ({@code SERVER_ERROR}) or
 * {@code 5xx}. Immutable; testing a status is one array read.
 */
final class StatusSet implements IntPredicate {
  static final StatusSet EMPTY = new StatusSet(new boolean[600]);

  private static final Map<String, Integer> NAMES = new HashMap<>();
  private static final Map<String, Integer> SERIES = Map.of(
    "INFORMATIONAL", 1, "SUCCESSFUL", 2, "REDIRECTION", 3, "CLIENT_ERROR", 4, "SERVER_ERROR", 5);

  static {
    Object[] pairs = {
      "CONTINUE", 100, "SWITCHING_PROTOCOLS", 101, "PROCESSING", 102, "EARLY_HINTS", 103, "CHECKPOINT", 103,
      "OK", 200, "CREATED", 201, "ACCEPTED", 202, "NON_AUTHORITATIVE_INFORMATION", 203, "NO_CONTENT", 204,
      "RESET_CONTENT", 205, "PARTIAL_CONTENT", 206, "MULTI_STATUS", 207, "ALREADY_REPORTED", 208, "IM_USED", 226,
      "MULTIPLE_CHOICES", 300, "MOVED_PERMANENTLY", 301, "FOUND", 302, "MOVED_TEMPORARILY", 302, "SEE_OTHER", 303,
      "NOT_MODIFIED", 304, "USE_PROXY", 305, "TEMPORARY_REDIRECT", 307, "PERMANENT_REDIRECT", 308,
      "BAD_REQUEST", 400, "UNAUTHORIZED", 401, "PAYMENT_REQUIRED", 402, "FORBIDDEN", 403, "NOT_FOUND", 404,
      "METHOD_NOT_ALLOWED", 405, "NOT_ACCEPTABLE", 406, "PROXY_AUTHENTICATION_REQUIRED", 407,
      "REQUEST_TIMEOUT", 408, "CONFLICT", 409, "GONE", 410, "LENGTH_REQUIRED", 411, "PRECONDITION_FAILED", 412,
      "PAYLOAD_TOO_LARGE", 413, "CONTENT_TOO_LARGE", 413, "REQUEST_ENTITY_TOO_LARGE", 413, "URI_TOO_LONG", 414,
      "REQUEST_URI_TOO_LONG", 414, "UNSUPPORTED_MEDIA_TYPE", 415, "REQUESTED_RANGE_NOT_SATISFIABLE", 416,
      "EXPECTATION_FAILED", 417, "I_AM_A_TEAPOT", 418, "MISDIRECTED_REQUEST", 421, "UNPROCESSABLE_ENTITY", 422,
      "UNPROCESSABLE_CONTENT", 422, "LOCKED", 423, "FAILED_DEPENDENCY", 424, "TOO_EARLY", 425,
      "UPGRADE_REQUIRED", 426, "PRECONDITION_REQUIRED", 428, "TOO_MANY_REQUESTS", 429,
      "REQUEST_HEADER_FIELDS_TOO_LARGE", 431, "UNAVAILABLE_FOR_LEGAL_REASONS", 451,
      "INTERNAL_SERVER_ERROR", 500, "NOT_IMPLEMENTED", 501, "BAD_GATEWAY", 502, "SERVICE_UNAVAILABLE", 503,
      "GATEWAY_TIMEOUT", 504, "HTTP_VERSION_NOT_SUPPORTED", 505, "VARIANT_ALSO_NEGOTIATES", 506,
      "INSUFFICIENT_STORAGE", 507, "LOOP_DETECTED", 508, "BANDWIDTH_LIMIT_EXCEEDED", 509, "NOT_EXTENDED", 510,
      "NETWORK_AUTHENTICATION_REQUIRED", 511,
    };
    for (int i = 0; i < pairs.length; i += 2) {
      NAMES.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
  }

  private final boolean[] members;

  private StatusSet(boolean[] members) {
    this.members = members;
  }

  /** The union of single statuses and whole series. */
  static StatusSet of(String label, List<String> statuses, String seriesLabel, List<String> series)
    throws DefinitionException {
    boolean[] members = new boolean[600];
    for (String s : statuses) {
      members[status(label, s)] = true;
    }
    for (String s : series) {
      int first = series(seriesLabel, s) * 100;
      for (int code = first; code < first + 100; code++) {
        members[code] = true;
      }
    }
    return new StatusSet(members);
  }

  /** A status from its number (100-599) or its Spring HttpStatus name, ignoring case. */
  static int status(String label, String text) throws DefinitionException {
    String t = text.trim();
    try {
      int code = Integer.parseInt(t);
      if (code >= 100 && code <= 599) {
        return code;
      }
      throw ArgValues.bad(label, "status " + code + " is outside 100-599");
    } catch (NumberFormatException notANumber) {
      Integer code = NAMES.get(normal(t));
      if (code == null) {
        throw ArgValues.bad(label, "unknown HTTP status '" + text + "' (expected a number such as 502 or a name such as BAD_GATEWAY)");
      }
      return code;
    }
  }

  private static int series(String label, String text) throws DefinitionException {
    String t = normal(text);
    Integer s = SERIES.get(t);
    if (s == null && t.length() == 3 && t.endsWith("XX") && t.charAt(0) >= '1' && t.charAt(0) <= '5') {
      s = t.charAt(0) - '0';
    }
    if (s == null) {
      throw ArgValues.bad(label, "unknown status series '" + text
        + "' (expected INFORMATIONAL, SUCCESSFUL, REDIRECTION, CLIENT_ERROR, SERVER_ERROR or 1xx..5xx)");
    }
    return s;
  }

  private static String normal(String text) {
    return text.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
  }

  @Override
  public boolean test(int status) {
    return status >= 0 && status < members.length && members[status];
  }

  boolean isEmpty() {
    for (boolean m : members) {
      if (m) {
        return false;
      }
    }
    return true;
  }

  /** {@code a or b}, where a null predicate means "none". */
  static IntPredicate or(IntPredicate a, IntPredicate b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return s -> a.test(s) || b.test(s);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < members.length; i++) {
      if (members[i]) {
        sb.append(sb.length() > 1 ? "," : "").append(i);
      }
    }
    return sb.append(']').toString();
  }
}
