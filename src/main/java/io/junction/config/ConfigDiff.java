package io.junction.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Compares configurations key by key, redacts secrets, and hashes a configuration independently of key order.
 * Lists of items with an {@code id} (routes) are compared item by item ({@code gateway.routes[users]}).
 */
public final class ConfigDiff {
  /** Keys whose values are credentials: never shown by the admin API, the history or the audit log. */
  private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|privatekey|apikey|credentials).*");
  private static final Pattern URL_PASSWORD = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*:)[^@]*@");
  public static final String REDACTED = "***";

  /** Keys applied live (by the config participants, or by the config module itself); everything else takes a restart. */
  static final List<String> LIVE = List.of("gateway", "services", "logging", "identity.jwt.privateKey", "identity.jwt.publicKey",
    "config.scanPeriod", "config.history", "config.applyTimeout");

  private ConfigDiff() {
  }

  /** One changed key: added, removed or changed, with redacted values. */
  public record Change(String key, String kind, Object from, Object to) {
    JsonObject toJson() {
      JsonObject o = new JsonObject().put("key", key).put("change", kind);
      if (from != null) {
        o.put("from", from);
      }
      if (to != null) {
        o.put("to", to);
      }
      return o;
    }
  }

  public static List<Change> changes(JsonObject before, JsonObject after) {
    Map<String, Object> a = flatten(before);
    Map<String, Object> b = flatten(after);
    TreeSet<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    List<Change> out = new ArrayList<>();
    for (String k : keys) {
      Object x = a.get(k);
      Object y = b.get(k);
      if (x == null) {
        out.add(new Change(k, "added", null, redact(k, y)));
      } else if (y == null) {
        out.add(new Change(k, "removed", redact(k, x), null));
      } else if (!x.equals(y)) {
        out.add(new Change(k, "changed", redact(k, x), redact(k, y)));
      }
    }
    return out;
  }

  static JsonArray toJson(List<Change> changes) {
    JsonArray a = new JsonArray();
    changes.forEach(c -> a.add(c.toJson()));
    return a;
  }

  /** Keys whose new value only takes effect after a restart. */
  static List<String> needingRestart(List<Change> changes) {
    return changes.stream().map(Change::key)
      .filter(k -> LIVE.stream().noneMatch(live -> k.equals(live) || k.startsWith(live + ".") || k.startsWith(live + "[")))
      .toList();
  }

  static Map<String, Object> flatten(JsonObject config) {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten("", config, out);
    return out;
  }

  private static void flatten(String path, Object value, Map<String, Object> out) {
    if (value instanceof JsonObject o && !o.isEmpty()) {
      for (String name : o.fieldNames()) {
        flatten(path.isEmpty() ? name : path + "." + name, o.getValue(name), out);
      }
    } else if (value instanceof JsonArray a && !a.isEmpty() && identified(a)) {
      for (int i = 0; i < a.size(); i++) {
        out.put(path + "[" + a.getJsonObject(i).getValue("id") + "]", a.getJsonObject(i));
      }
    } else {
      out.put(path, value == null ? "null" : value);
    }
  }

  private static boolean identified(JsonArray a) {
    TreeSet<String> ids = new TreeSet<>();
    for (Object item : a) {
      if (!(item instanceof JsonObject o) || o.getValue("id") == null || !ids.add(String.valueOf(o.getValue("id")))) {
        return false;
      }
    }
    return true;
  }

  /** A copy of the configuration with every credential replaced by {@value #REDACTED}. */
  public static JsonObject redacted(JsonObject config) {
    return (JsonObject) redactTree("", config);
  }

  private static Object redactTree(String key, Object value) {
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      o.forEach(e -> out.put(e.getKey(), redactTree(e.getKey(), e.getValue())));
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(item -> out.add(redactTree(key, item)));
      return out;
    }
    return redact(key, value);
  }

  static Object redact(String key, Object value) {
    if (value instanceof JsonObject || value instanceof JsonArray) {
      return redactTree(key, value);
    }
    String last = key.contains(".") ? key.substring(key.lastIndexOf('.') + 1) : key;
    if (value instanceof String s) {
      if (SECRET_KEY.matcher(last).matches()) {
        return s.isEmpty() ? s : REDACTED;
      }
      return URL_PASSWORD.matcher(s).replaceFirst("$1" + REDACTED + "@");
    }
    return value;
  }

  /** SHA-256 of the configuration with keys sorted, so equal configurations hash equal. */
  public static String hash(Object config) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(canonical(config).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String canonical(Object value) {
    if (value instanceof JsonObject o) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      o.forEach(e -> sorted.put(e.getKey(), e.getValue()));
      StringBuilder sb = new StringBuilder("{");
      sorted.forEach((k, v) -> sb.append(JsonObject.of("k", k).encode()).append(':').append(canonical(v)).append(','));
      return sb.append('}').toString();
    }
    if (value instanceof JsonArray a) {
      StringBuilder sb = new StringBuilder("[");
      a.forEach(v -> sb.append(canonical(v)).append(','));
      return sb.append(']').toString();
    }
    return value == null ? "null" : new JsonArray().add(value).encode();
  }
}
