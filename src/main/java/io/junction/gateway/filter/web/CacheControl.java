package io.junction.gateway.filter.web;

import io.vertx.core.MultiMap;
import java.util.Locale;

/** The Cache-Control directives the response cache acts on (RFC 9111), read from every Cache-Control line. */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, long maxAge, long sharedMaxAge) {

  static final CacheControl NONE = new CacheControl(false, false, false, -1, -1);

  /** Directives of these headers; {@code Pragma: no-cache} counts as no-cache when there is no Cache-Control. */
  static CacheControl of(MultiMap headers) {
    boolean noStore = false;
    boolean noCache = false;
    boolean isPrivate = false;
    long maxAge = -1;
    long sharedMaxAge = -1;
    boolean any = false;
    for (String line : headers.getAll("Cache-Control")) {
      for (String directive : line.split(",")) {
        any = true;
        int eq = directive.indexOf('=');
        String name = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? null : directive.substring(eq + 1).trim();
        switch (name) {
          case "no-store" -> noStore = true;
          case "no-cache" -> noCache = true;
          case "private" -> isPrivate = true;
          case "max-age" -> maxAge = seconds(value, maxAge);
          case "s-maxage" -> sharedMaxAge = seconds(value, sharedMaxAge);
          default -> {
            // other directives do not change what this cache does
          }
        }
      }
    }
    if (!any) {
      for (String pragma : headers.getAll("Pragma")) {
        if (pragma.toLowerCase(Locale.ROOT).contains("no-cache")) {
          noCache = true;
        }
      }
    }
    return any || noCache ? new CacheControl(noStore, noCache, isPrivate, maxAge, sharedMaxAge) : NONE;
  }

  /** Delta-seconds; a malformed value counts as 0 (stale at once), as RFC 9111 asks. */
  private static long seconds(String value, long previous) {
    if (value == null) {
      return 0;
    }
    String v = value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
        ? value.substring(1, value.length() - 1) : value;
    try {
      long s = Long.parseLong(v);
      return s < 0 ? 0 : previous < 0 ? s : Math.min(previous, s);
    } catch (NumberFormatException e) {
      return !v.isEmpty() && v.chars().allMatch(Character::isDigit) ? Long.MAX_VALUE : 0; // too large: "forever"
    }
  }

  /** How long a shared cache may keep the response: s-maxage, else max-age; -1 when neither is given. */
  long freshSeconds() {
    return sharedMaxAge >= 0 ? sharedMaxAge : maxAge;
  }
}
