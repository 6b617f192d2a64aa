package io.junction.gateway.filter.web;

import io.junction.gateway.filter.GatewayFilter;
import io.junction.gateway.route.definition.Args;
import io.junction.gateway.route.definition.DefinitionException;
import io.junction.gateway.route.path.PathPattern;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gateway-wide CORS policies by path pattern, as Spring Cloud Gateway's
 * {@code spring.cloud.gateway.globalcors.cors-configurations}:
 * <pre>
 * { "/**": { "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "POST"] },
 *   "/api/**": { "allowedOriginPatterns": ["https://*.example.com"], "allowCredentials": true } }
 * </pre>
 * Each value takes the {@link CorsFilter} arguments, camelCase or kebab-case ({@code allowed-origins}). Keys may
 * be written Spring's way, in brackets ({@code '[/**]'}). The first pattern that matches wins, in the order
 * written. The whole {@code globalcors} object of Spring ({@code cors-configurations} plus
 * {@code add-to-simple-url-handler-mapping}) is accepted too. Immutable; build off the hot path.
 */
public final class GlobalCors {

  public static final GlobalCors NONE = new GlobalCors(List.of());

  private static final List<String> WRAPPER_KEYS = List.of("corsconfigurations", "addtosimpleurlhandlermapping");

  private record Entry(PathPattern pattern, CorsFilter filter) {
  }

  private final List<Entry> entries;

  private GlobalCors(List<Entry> entries) {
    this.entries = entries;
  }

  /** Parses the config object, reporting problems as {@code gateway.globalcors...: message}. */
  public static GlobalCors parse(JsonObject config, List<String> problems) {
    return parse(config, "gateway.globalcors", problems);
  }

  /**
   * Parses the config object; every problem is added to {@code problems} prefixed with {@code path}, and the
   * entries that had problems are left out. Null or empty config gives {@link #NONE}.
   */
  public static GlobalCors parse(JsonObject config, String path, List<String> problems) {
    if (config == null || config.isEmpty()) {
      return NONE;
    }
    JsonObject byPattern = config;
    String base = path;
    if (isSpringWrapper(config)) {
      Object inner = null;
      for (String key : config.fieldNames()) {
        if (canonical(key).equals("corsconfigurations")) {
          inner = config.getValue(key);
          base = path + "." + key;
        }
      }
      if (inner == null) {
        return NONE;
      }
      if (!(inner instanceof JsonObject object)) {
        problems.add(base + ": expected an object of path pattern to CORS settings");
        return NONE;
      }
      byPattern = object;
    }
    List<Entry> entries = new ArrayList<>();
    for (String key : byPattern.fieldNames()) {
      String where = base + "[" + key + "]";
      String patternText = key.startsWith("[") && key.endsWith("]") ? key.substring(1, key.length() - 1) : key;
      PathPattern pattern;
      try {
        pattern = PathPattern.parse(patternText.trim());
      } catch (IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
        continue;
      }
      Object value = byPattern.getValue(key);
      if (!(value instanceof JsonObject settings)) {
        problems.add(where + ": expected an object of CORS settings (allowedOrigins, allowedMethods, ...)");
        continue;
      }
      try {
        Args args = Args.of("globalcors " + key, camelCase(settings));
        args.rejectUnknown(CorsPolicy.ARG_NAMES);
        entries.add(new Entry(pattern, new CorsFilter(CorsPolicy.from(args))));
      } catch (DefinitionException e) {
        problems.add(where + ": " + e.getMessage());
      }
    }
    return entries.isEmpty() ? NONE : new GlobalCors(List.copyOf(entries));
  }

  /** The CORS filter for this normalised path (first matching pattern), or null when none applies. */
  public GatewayFilter filterFor(String normalisedPath) {
    for (Entry entry : entries) {
      if (entry.pattern().matches(normalisedPath)) {
        return entry.filter();
      }
    }
    return null;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  private static boolean isSpringWrapper(JsonObject config) {
    for (String key : config.fieldNames()) {
      if (!WRAPPER_KEYS.contains(canonical(key))) {
        return false;
      }
    }
    return true;
  }

  /** Spring's relaxed names: {@code allowed-origins}, {@code allowed_origins} and {@code allowedOrigins} are one. */
  private static Map<String, Object> camelCase(JsonObject settings) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : settings) {
      String name = e.getKey();
      for (String known : CorsPolicy.ARG_NAMES) {
        if (canonical(known).equals(canonical(name))) {
          name = known;
        }
      }
      out.put(name, plain(e.getValue()));
    }
    return out;
  }

  private static String canonical(String key) {
    return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  private static Object plain(Object value) {
    if (value instanceof JsonArray array) {
      List<Object> out = new ArrayList<>(array.size());
      array.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (value instanceof JsonObject object) {
      return object.getMap();
    }
    return value;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("GlobalCors");
    entries.forEach(e -> out.append(' ').append(e.pattern()).append(": ").append(e.filter()));
    return out.toString();
  }
}
