package io.junction.gateway.filter.auth;

import java.util.List;
import java.util.Map;

/** Reads a claim by name, or — when no claim has that name — by a dotted path into nested objects ({@code realm_access.roles}). */
final class ClaimPaths {
  private ClaimPaths() {
  }

  static Object get(Map<String, Object> claims, String path) {
    if (claims == null) {
      return null;
    }
    if (claims.containsKey(path)) {
      return claims.get(path);
    }
    Object current = claims;
    for (String key : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  /** A claim value as header text: strings as they are, lists joined with commas, objects as JSON. */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      StringBuilder b = new StringBuilder();
      for (Object o : list) {
        if (b.length() > 0) {
          b.append(',');
        }
        b.append(o instanceof Map || o instanceof List ? io.vertx.core.json.Json.encode(o) : String.valueOf(o));
      }
      return b.toString();
    }
    if (value instanceof Map) {
      return io.vertx.core.json.Json.encode(value);
    }
    return value.toString();
  }
}
